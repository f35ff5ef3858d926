package dev.lathe.tui.render;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A unified diff read into rows with their line numbers. Hunk bodies are read by the counts in their {@code @@}
 * header, so a removed line that reads {@code --- x} (a removed SQL comment) is not taken for a file header.
 */
final class DiffRows {
    private static final Pattern HUNK = Pattern.compile("^@@ -(\\d+)(?:,(\\d+))? \\+(\\d+)(?:,(\\d+))? @@ ?(.*)$");
    private static final List<String> HEADERS = List.of("diff ", "index ", "--- ", "+++ ", "new file mode", "deleted file mode",
            "old mode", "new mode", "similarity index", "dissimilarity index", "rename from", "rename to", "copy from", "copy to");

    /** One thing the diff view draws. */
    sealed interface Row {
        /** Lines skipped between hunks; {@code context} is what git puts after {@code @@} (often a method). */
        record Gap(String context) implements Row {}

        /** A diff line; a number is 0 on the side the line does not exist on. */
        record Change(Sign sign, int oldLine, int newLine, String text) implements Row {}

        /** Something to show dimmed: {@code \ No newline at end of file}, an unreadable hunk header, binary notices. */
        record Note(String text) implements Row {}
    }

    enum Sign { ADDED, REMOVED, CONTEXT }

    private DiffRows() {}

    static List<Row> read(String diff) {
        var rows = new ArrayList<Row>();
        int oldLeft = 0;
        int newLeft = 0;
        int oldNo = 0;
        int newNo = 0;
        boolean seenHunk = false;
        for (String line : diff.lines().toList()) {
            if (oldLeft > 0 || newLeft > 0) {
                char c = line.isEmpty() ? ' ' : line.charAt(0);
                String text = line.isEmpty() ? "" : line.substring(1);
                if (c == ' ' && oldLeft > 0 && newLeft > 0) {
                    rows.add(new Row.Change(Sign.CONTEXT, oldNo++, newNo++, text));
                    oldLeft--;
                    newLeft--;
                    continue;
                } else if (c == '-' && oldLeft > 0) {
                    rows.add(new Row.Change(Sign.REMOVED, oldNo++, 0, text));
                    oldLeft--;
                    continue;
                } else if (c == '+' && newLeft > 0) {
                    rows.add(new Row.Change(Sign.ADDED, 0, newNo++, text));
                    newLeft--;
                    continue;
                } else if (c == '\\') {
                    rows.add(new Row.Note(line));
                    continue;
                }
                // A line the counts did not announce: the header lied, so read on as if the hunk had ended.
                oldLeft = 0;
                newLeft = 0;
            }
            Matcher m = HUNK.matcher(line);
            if (m.matches()) {
                oldNo = Integer.parseInt(m.group(1));
                newNo = Integer.parseInt(m.group(3));
                oldLeft = m.group(2) == null ? 1 : Integer.parseInt(m.group(2));
                newLeft = m.group(4) == null ? 1 : Integer.parseInt(m.group(4));
                // "-0,0" is how diff(1) numbers an empty side; the first line would be line 1.
                if (oldNo == 0) oldNo = 1;
                if (newNo == 0) newNo = 1;
                if (seenHunk || oldNo > 1 || newNo > 1 || !m.group(5).isBlank()) rows.add(new Row.Gap(m.group(5)));
                seenHunk = true;
            } else if (line.startsWith("@@") || line.startsWith("\\") || line.startsWith("Binary files")) {
                rows.add(new Row.Note(line));
            } else if (HEADERS.stream().noneMatch(line::startsWith) && !line.isEmpty()) {
                // Outside any hunk: a diff without headers or counts; colour by the sign alone.
                char c = line.charAt(0);
                Sign sign = c == '+' ? Sign.ADDED : c == '-' ? Sign.REMOVED : Sign.CONTEXT;
                rows.add(new Row.Change(sign, 0, 0, c == '+' || c == '-' || c == ' ' ? line.substring(1) : line));
            }
        }
        return rows;
    }
}
