package dev.lathe.tui.render;

import dev.lathe.tui.render.DiffRows.Row;
import dev.lathe.tui.text.Role;
import dev.lathe.tui.text.Theme;
import java.util.ArrayList;
import java.util.List;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;

/**
 * A unified diff (as the edit tools write it) as styled lines: a gutter with the old and new line numbers, the sign,
 * then the line in the added, removed or context colour. File headers are dropped, since the caller shows the file
 * name; a gap between hunks is a dim {@code ⋯}. Long lines are cut, continuing under an empty gutter.
 *
 * <p>Contract: every line is at most {@code width} columns; never throws for any input text. Thread-safe.
 */
public final class DiffView {
    /** Below this many columns for the code, line numbers are dropped: the code matters more than where it is. */
    private static final int MIN_CODE = 8;

    private final Theme theme;

    public DiffView(Theme theme) {
        this.theme = theme;
    }

    /** All of {@code unifiedDiff}, in lines of at most {@code width} columns. */
    public List<AttributedString> render(String unifiedDiff, int width) {
        int w = Math.max(1, width);
        List<Row> rows = DiffRows.read(unifiedDiff);
        int digits = String.valueOf(rows.stream()
                .mapToInt(r -> r instanceof Row.Change c ? Math.max(c.oldLine(), c.newLine()) : 0).max().orElse(0)).length();
        // "12 13 + code": two number columns, a space after each, the sign and a space.
        boolean numbered = w - (2 * digits + 4) >= MIN_CODE && rows.stream().anyMatch(r -> r instanceof Row.Change c && c.oldLine() + c.newLine() > 0);
        int gutter = numbered ? 2 * digits + 4 : 2;
        var out = new ArrayList<AttributedString>();
        for (Row row : rows) {
            switch (row) {
                case Row.Gap gap -> {
                    var b = new AttributedStringBuilder().append(theme.paint(Role.DIFF_HUNK,
                            " ".repeat(numbered ? Math.max(0, digits - 1) : 0) + "⋯"));
                    if (!gap.context().isBlank()) b.append(theme.paint(Role.DIFF_HUNK, " ".repeat(Math.max(1, gutter - b.length())) + Lines.clean(gap.context())));
                    out.add(Lines.clamp(b.toAttributedString(), w));
                }
                case Row.Note note -> out.addAll(cut(theme.paint(Role.MUTED, Lines.clean(note.text())), Lines.spaces(gutter), w, gutter));
                case Row.Change change -> out.addAll(change(change, numbered, digits, gutter, w));
            }
        }
        return out;
    }

    /**
     * At most {@code maxLines} lines of the diff, then (if some were left out) a muted {@code … N more lines} line, so
     * at most {@code maxLines + 1} lines in all.
     */
    public List<AttributedString> render(String unifiedDiff, int width, int maxLines) {
        List<AttributedString> all = render(unifiedDiff, width);
        int keep = Math.max(0, maxLines);
        if (all.size() <= keep) return all;
        var out = new ArrayList<AttributedString>(all.subList(0, keep));
        int more = all.size() - keep;
        out.add(Lines.clamp(theme.paint(Role.MUTED, "… " + more + (more == 1 ? " more line" : " more lines")), Math.max(1, width)));
        return out;
    }

    private List<AttributedString> change(Row.Change change, boolean numbered, int digits, int gutter, int width) {
        Role role = switch (change.sign()) {
            case ADDED -> Role.DIFF_ADDED;
            case REMOVED -> Role.DIFF_REMOVED;
            case CONTEXT -> Role.DIFF_CONTEXT;
        };
        String sign = switch (change.sign()) {
            case ADDED -> "+";
            case REMOVED -> "-";
            case CONTEXT -> " ";
        };
        var head = new AttributedStringBuilder();
        if (numbered) {
            head.append(theme.paint(Role.MUTED, number(change.oldLine(), digits) + " " + number(change.newLine(), digits) + " "));
        }
        head.append(theme.paint(role, sign + " "));
        return cut(theme.paint(role, Lines.clean(change.text())), head.toAttributedString(), width, gutter);
    }

    /** {@code text} after {@code head}, cut to the width; continuation lines start under an empty gutter. */
    private static List<AttributedString> cut(AttributedString text, AttributedString head, int width, int gutter) {
        var out = new ArrayList<AttributedString>();
        if (text.length() == 0) {
            out.add(Lines.clamp(Lines.trimEnd(head), width));
            return out;
        }
        List<AttributedString> pieces = Lines.hardCut(text, Math.max(1, width - gutter));
        for (int i = 0; i < pieces.size(); i++) {
            AttributedString prefix = i == 0 ? head : Lines.spaces(gutter);
            out.add(Lines.clamp(AttributedString.join(AttributedString.EMPTY, prefix, pieces.get(i)), width));
        }
        return out;
    }

    private static String number(int n, int digits) {
        String s = n == 0 ? "" : String.valueOf(n);
        return " ".repeat(digits - s.length()) + s;
    }
}
