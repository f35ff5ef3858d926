package dev.lathe.core.project;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code @path} imports of a Claude Code memory file, as Claude Code finds them: an {@code @} at the start of a line
 * or after white space, then the path up to the next white space ({@code \ } keeps a space); never inside a fenced
 * code block ({@code ```} or {@code ~~~}) or a code span, so a {@code `@decorator`} or an e-mail address is no import.
 * A {@code #fragment} is dropped; what does not look like a path ({@code @@x}, {@code @#x}) is no import.
 */
final class ImportSyntax {
    private static final Pattern TOKEN = Pattern.compile("(?:^|\\s)@((?:[^\\s\\\\]|\\\\ )+)");
    private static final Pattern FENCE = Pattern.compile("^ {0,3}(`{3,}|~{3,})");
    private static final Pattern PATH_START = Pattern.compile("^(?:\\./|\\.\\./|~/|/[^/]|[A-Za-z0-9._-])");

    private ImportSyntax() {}

    /** One import: the path as written (unescaped, fragment dropped) and its 1-based line. */
    record Import(String path, int line) {}

    static List<Import> imports(String text) {
        List<Import> out = new ArrayList<>();
        String fence = null;
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            Matcher f = FENCE.matcher(line);
            if (fence == null && f.find()) {
                fence = f.group(1);
                continue;
            }
            if (fence != null) {
                // a fence closes with at least as many of the same character
                String stripped = line.strip();
                char mark = fence.charAt(0);
                if (stripped.startsWith(fence) && stripped.chars().allMatch(c -> c == mark)) fence = null;
                continue;
            }
            Matcher m = TOKEN.matcher(withoutCodeSpans(line));
            while (m.find()) {
                String path = m.group(1).replace("\\ ", " ");
                int hash = path.indexOf('#');
                if (hash >= 0) path = path.substring(0, hash);
                if (!path.isEmpty() && PATH_START.matcher(path).find()) out.add(new Import(path, i + 1));
            }
        }
        return out;
    }

    /** {@code line} with each code span (a run of backticks up to the same run) blanked out. */
    static String withoutCodeSpans(String line) {
        var out = new StringBuilder(line);
        int i = 0;
        while (i < line.length()) {
            if (line.charAt(i) != '`') {
                i++;
                continue;
            }
            int run = i;
            while (run < line.length() && line.charAt(run) == '`') run++;
            String ticks = line.substring(i, run);
            int close = line.indexOf(ticks, run);
            while (close >= 0 && close + ticks.length() < line.length() && line.charAt(close + ticks.length()) == '`') {
                close = line.indexOf(ticks, close + ticks.length() + 1);
            }
            if (close < 0) {
                i = run;
                continue;
            }
            for (int k = i; k < close + ticks.length(); k++) out.setCharAt(k, ' ');
            i = close + ticks.length();
        }
        return out.toString();
    }
}
