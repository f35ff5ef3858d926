package dev.lathe.app;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code lathe sessions} as text: a header row and one row per session, each column as wide as its widest cell (a long
 * owner name or a child's indented id pushed every later column out of line when the widths were fixed, issue 53).
 * The last column (the title) is not padded.
 */
final class SessionTable {
    private SessionTable() {}

    /** The lines of the table of {@code header} and {@code rows} (each row as many cells as the header). */
    static List<String> lines(List<String> header, List<List<String>> rows) {
        int[] widths = new int[header.size()];
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        for (List<String> row : all) {
            for (int i = 0; i < widths.length - 1; i++) widths[i] = Math.max(widths[i], width(row.get(i)));
        }
        List<String> out = new ArrayList<>();
        for (List<String> row : all) {
            var line = new StringBuilder();
            for (int i = 0; i < widths.length - 1; i++) line.append(row.get(i)).append(" ".repeat(widths[i] - width(row.get(i)) + 1));
            line.append(row.getLast());
            out.add(line.toString().stripTrailing());
        }
        return out;
    }

    private static int width(String cell) { return cell.codePointCount(0, cell.length()); }
}
