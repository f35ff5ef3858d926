package dev.lathe.app;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * The header row of a tab-separated listing ({@code lathe import --from}, {@code lathe mcp list}, {@code lathe hooks}):
 * printed for a person, when standard output is a terminal, and left out for a script reading a pipe, whose lines stay
 * one row each (as {@code gh} lists do). Issue 53: these listings had no header, so their columns were guesswork.
 */
final class ColumnHeads {
    private ColumnHeads() {}

    static void print(PrintWriter out, String... columns) {
        if (toTerminal()) out.println(String.join("\t", columns));
    }

    /**
     * A whole listing: on a terminal the header and the rows in columns padded to their widest cell (tabs stop every 8
     * places, so a long id pushed the rest of its row out from under the header, issue 82); to a pipe the rows alone,
     * tab-separated, as scripts read them.
     */
    static void table(PrintWriter out, List<String> heads, List<String> tabbedRows) {
        table(out, heads, tabbedRows, toTerminal());
    }

    static void table(PrintWriter out, List<String> heads, List<String> tabbedRows, boolean terminal) {
        if (!terminal) {
            tabbedRows.forEach(out::println);
            return;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(heads.toArray(String[]::new));
        for (String r : tabbedRows) rows.add(r.split("\t", -1));
        int columns = rows.stream().mapToInt(r -> r.length).max().orElse(0);
        int[] widths = new int[columns];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) widths[i] = Math.max(widths[i], r[i].codePointCount(0, r[i].length()));
        }
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                line.append(r[i]);
                // the last cell is not padded: no trailing blanks
                if (i < r.length - 1) line.append(" ".repeat(widths[i] - r[i].codePointCount(0, r[i].length()) + 2));
            }
            out.println(line);
        }
    }

    private static boolean toTerminal() {
        var console = System.console();
        return console != null && console.isTerminal();
    }
}
