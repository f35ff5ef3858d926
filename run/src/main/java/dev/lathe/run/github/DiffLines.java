package dev.lathe.run.github;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lines of a pull request's diff one can comment on: for each file, the lines of its new side that a hunk shows
 * (added or context). GitHub refuses a whole review when one inline comment names another line, so a finding elsewhere
 * goes into the review's body instead.
 */
public record DiffLines(Map<String, Set<Integer>> lines) {
    private static final Pattern HUNK = Pattern.compile("^@@ -\\d+(?:,\\d+)? \\+(\\d+)(?:,(\\d+))? @@");

    public DiffLines {
        lines = Map.copyOf(lines);
    }

    /** The lines of {@code diff} ({@code git diff}'s unified output). */
    public static DiffLines of(String diff) {
        Map<String, Set<Integer>> lines = new HashMap<>();
        String file = null;
        int next = 0;
        for (String line : diff.split("\n", -1)) {
            if (line.startsWith("+++ ")) {
                file = line.startsWith("+++ b/") ? line.substring(6) : null;
                continue;
            }
            if (line.startsWith("--- ") || line.startsWith("diff --git")) continue;
            Matcher hunk = HUNK.matcher(line);
            if (hunk.find()) {
                next = Integer.parseInt(hunk.group(1));
                continue;
            }
            if (file == null || next == 0) continue;
            if (line.startsWith("+") || line.startsWith(" ")) {
                lines.computeIfAbsent(file, f -> new HashSet<>()).add(next);
                next++;
            }
        }
        return new DiffLines(lines);
    }

    /** Whether {@code line} of {@code file} can carry an inline comment. */
    public boolean contains(String file, int line) { return lines.getOrDefault(file, Set.of()).contains(line); }
}
