package dev.lathe.tui.render;

import dev.lathe.tui.text.Role;
import dev.lathe.tui.text.Theme;
import dev.lathe.tui.text.Wrap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.commonmark.ext.gfm.tables.TableBlock;
import org.commonmark.ext.gfm.tables.TableCell;
import org.commonmark.ext.gfm.tables.TableRow;
import org.commonmark.node.Node;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;

/**
 * A GFM table in a box-drawn grid. Columns take the width of their content; when that is too wide, the widest column
 * gives up a column at a time (so narrow columns such as ids keep their width) and cell text wraps inside its cell.
 * Rows are separated by a rule only when some row wraps, since then a rule is what tells rows apart.
 */
final class TableLayout {
    /** Narrowest a column gets: one wide character must still fit. */
    private static final int MIN_COLUMN = 2;

    private record Row(List<AttributedString> cells, boolean header) {}

    private final Theme theme;
    private final Inlines inlines;

    TableLayout(Theme theme, Inlines inlines) {
        this.theme = theme;
        this.inlines = inlines;
    }

    List<AttributedString> render(TableBlock table, int width) {
        List<Row> rows = new ArrayList<>();
        List<TableCell.Alignment> aligns = new ArrayList<>();
        collect(table, rows, aligns);
        int n = aligns.size();
        if (n == 0) return List.of();
        int[] widths = new int[n];
        int[] words = new int[n];
        for (Row row : rows) {
            for (int c = 0; c < row.cells().size() && c < n; c++) {
                widths[c] = Math.max(widths[c], row.cells().get(c).columnLength());
                words[c] = Math.max(words[c], longestWord(row.cells().get(c)));
            }
        }
        for (int c = 0; c < n; c++) widths[c] = Math.max(1, widths[c]);
        shrink(widths, words, width - (3 * n + 1));

        List<List<AttributedString>> laidOut = new ArrayList<>();
        boolean wraps = false;
        for (Row row : rows) {
            List<AttributedString> lines = rowLines(row, widths, aligns);
            wraps |= lines.size() > 1;
            laidOut.add(lines);
        }
        var out = new ArrayList<AttributedString>();
        out.add(rule(widths, '┌', '┬', '┐'));
        for (int r = 0; r < rows.size(); r++) {
            if (r > 0) {
                boolean afterHeader = rows.get(r - 1).header() && !rows.get(r).header();
                if (afterHeader || wraps) out.add(rule(widths, '├', '┼', '┤'));
            }
            out.addAll(laidOut.get(r));
        }
        out.add(rule(widths, '└', '┴', '┘'));
        return out;
    }

    private void collect(Node node, List<Row> rows, List<TableCell.Alignment> aligns) {
        for (Node n = node.getFirstChild(); n != null; n = n.getNext()) {
            if (!(n instanceof TableRow)) {
                collect(n, rows, aligns); // TableHead and TableBody
                continue;
            }
            var cells = new ArrayList<AttributedString>();
            boolean header = false;
            for (Node c = n.getFirstChild(); c != null; c = c.getNext()) {
                if (!(c instanceof TableCell cell)) continue;
                header = cell.isHeader();
                AttributedStyle style = header ? Styles.merge(theme.style(Role.TEXT), theme.style(Role.STRONG)) : theme.style(Role.TEXT);
                cells.add(inlines.of(cell, style));
                if (aligns.size() < cells.size()) {
                    aligns.add(cell.getAlignment() == null ? TableCell.Alignment.LEFT : cell.getAlignment());
                }
            }
            rows.add(new Row(cells, header));
        }
    }

    /**
     * Takes a column at a time from the widest column until the sum fits {@code available}: first only down to each
     * column's longest word (so words are not cut while wrapping can still help), then down to {@link #MIN_COLUMN}.
     */
    static void shrink(int[] widths, int[] longestWords, int available) {
        int[] floor = new int[widths.length];
        for (int c = 0; c < widths.length; c++) floor[c] = Math.min(widths[c], Math.max(MIN_COLUMN, longestWords[c]));
        int[] natural = widths.clone();
        int total = Arrays.stream(widths).sum();
        total = shrinkTo(widths, natural, floor, total, available);
        Arrays.fill(floor, MIN_COLUMN);
        shrinkTo(widths, natural, floor, total, available);
    }

    /** Between equally wide columns, the one with more text gives: it wraps anyway. */
    private static int shrinkTo(int[] widths, int[] natural, int[] floor, int total, int available) {
        while (total > available) {
            int widest = -1;
            for (int c = 0; c < widths.length; c++) {
                if (widths[c] <= floor[c]) continue;
                if (widest < 0 || widths[c] > widths[widest] || (widths[c] == widths[widest] && natural[c] > natural[widest])) widest = c;
            }
            if (widest < 0) return total;
            widths[widest]--;
            total--;
        }
        return total;
    }

    private static int longestWord(AttributedString cell) {
        int longest = 0;
        for (String word : cell.toString().split("\\s+")) longest = Math.max(longest, new AttributedString(word).columnLength());
        return longest;
    }

    private List<AttributedString> rowLines(Row row, int[] widths, List<TableCell.Alignment> aligns) {
        List<List<AttributedString>> wrapped = new ArrayList<>();
        int height = 1;
        for (int c = 0; c < widths.length; c++) {
            AttributedString cell = c < row.cells().size() ? row.cells().get(c) : AttributedString.EMPTY;
            List<AttributedString> lines = Wrap.lines(cell, widths[c]);
            wrapped.add(lines);
            height = Math.max(height, lines.size());
        }
        AttributedString bar = theme.paint(Role.BORDER, "│");
        var out = new ArrayList<AttributedString>();
        for (int l = 0; l < height; l++) {
            var b = new AttributedStringBuilder().append(bar);
            for (int c = 0; c < widths.length; c++) {
                List<AttributedString> lines = wrapped.get(c);
                AttributedString text = l < lines.size() ? lines.get(l) : AttributedString.EMPTY;
                b.append(" ").append(align(text, widths[c], aligns.get(c))).append(" ").append(bar);
            }
            out.add(b.toAttributedString());
        }
        return out;
    }

    private static AttributedString align(AttributedString text, int width, TableCell.Alignment alignment) {
        AttributedString fitted = Lines.clamp(text, width);
        int missing = width - fitted.columnLength();
        int left = switch (alignment) {
            case LEFT -> 0;
            case RIGHT -> missing;
            case CENTER -> missing / 2;
        };
        return AttributedString.join(AttributedString.EMPTY, Lines.spaces(left), fitted, Lines.spaces(missing - left));
    }

    private AttributedString rule(int[] widths, char left, char middle, char right) {
        var sb = new StringBuilder().append(left);
        for (int c = 0; c < widths.length; c++) {
            if (c > 0) sb.append(middle);
            sb.append("─".repeat(widths[c] + 2));
        }
        return theme.paint(Role.BORDER, sb.append(right).toString());
    }
}
