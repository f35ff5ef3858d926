package dev.lathe.acp;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * ACP shows a change as a file's old and new text; Lathe stores a unified diff. This turns each file of a unified diff
 * into the text its hunks cover before and after (context and removed lines, context and added lines), which an editor
 * diffs back into the same change. A file the diff creates has no old text.
 */
final class DiffSnippets {
    /** One file's change: its path as the diff names it, the text before (empty for a new file) and after. */
    record Snippet(String path, Optional<String> oldText, String newText) {}

    private DiffSnippets() {}

    static List<Snippet> of(String unifiedDiff) {
        var snippets = new ArrayList<Snippet>();
        String path = null;
        boolean created = false;
        var before = new StringBuilder();
        var after = new StringBuilder();
        boolean inHunk = false;
        for (String line : unifiedDiff.split("\n", -1)) {
            if (line.startsWith("--- ")) {
                if (path != null) snippets.add(snippet(path, created, before, after));
                created = stripPrefix(line.substring(4)).equals("/dev/null");
                path = null;
                before.setLength(0);
                after.setLength(0);
                inHunk = false;
            } else if (line.startsWith("+++ ") && !inHunk) {
                path = stripPrefix(line.substring(4));
            } else if (line.startsWith("@@")) {
                inHunk = true;
                if (!before.isEmpty() || !after.isEmpty()) {
                    // hunks are far apart: a marker line keeps the editor from joining them into one run of text
                    before.append("…\n");
                    after.append("…\n");
                }
            } else if (inHunk && path != null) {
                if (line.startsWith("-")) before.append(line, 1, line.length()).append('\n');
                else if (line.startsWith("+")) after.append(line, 1, line.length()).append('\n');
                else if (line.startsWith(" ")) {
                    before.append(line, 1, line.length()).append('\n');
                    after.append(line, 1, line.length()).append('\n');
                }
            }
        }
        if (path != null) snippets.add(snippet(path, created, before, after));
        return snippets;
    }

    private static Snippet snippet(String path, boolean created, StringBuilder before, StringBuilder after) {
        return new Snippet(path, created ? Optional.empty() : Optional.of(before.toString()), after.toString());
    }

    /** {@code a/src/x.py} → {@code src/x.py}; a timestamp after a tab is dropped. */
    private static String stripPrefix(String name) {
        int tab = name.indexOf('\t');
        String n = tab >= 0 ? name.substring(0, tab) : name;
        return n.startsWith("a/") || n.startsWith("b/") ? n.substring(2) : n;
    }
}
