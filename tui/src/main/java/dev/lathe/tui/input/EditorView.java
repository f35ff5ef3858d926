package dev.lathe.tui.input;

import dev.lathe.tui.text.Role;
import dev.lathe.tui.text.Theme;
import dev.lathe.tui.text.Wrap;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;

/**
 * Draws a {@link LineEditor} as prompt lines no wider than the given width, and says where the terminal cursor
 * goes. Long lines soft-wrap at spaces (a word longer than a row is cut between characters, never inside a wide
 * character); the first row starts with {@code promptFirst}, every other row with {@code promptRest}. Placeholders
 * draw as their labels in {@link Role#ACCENT}, tabs as {@value LineEditor#TAB_WIDTH} spaces, and an empty editor
 * shows the hint in {@link Role#MUTED}. Stateless; safe to call from any thread with an editor no one is changing.
 */
public final class EditorView {
    /** The hint {@link #standard()} shows in an empty editor. */
    public static final String DEFAULT_HINT = "Ask anything… (/ for commands, @ for files)";

    /**
     * The drawn lines and the cursor within them: {@code cursorRow} indexes {@code lines}, {@code cursorColumn} is
     * in display columns from the left edge (prompt included) and always below the width.
     */
    public record Rendered(List<AttributedString> lines, int cursorRow, int cursorColumn) {
        public Rendered {
            lines = List.copyOf(lines);
        }
    }

    /** One drawn cell group: a code point (or part of a placeholder label or tab) and where the cursor stops. */
    private record Unit(String text, int width, Role role, int index, boolean stop) {
        /** A typed space, where rows may break (spaces inside a placeholder label do not count). */
        boolean isSpace() { return role == Role.TEXT && text.equals(" "); }
    }

    private final String hint;

    public EditorView(String hint) {
        this.hint = hint;
    }

    public static EditorView standard() { return new EditorView(DEFAULT_HINT); }

    /**
     * @param width the columns available; at least one column of text is always drawn, prompts are cut to make room
     */
    public Rendered render(LineEditor editor, int width, AttributedString promptFirst, AttributedString promptRest, Theme theme) {
        int w = Math.max(1, width);
        AttributedString first = promptFirst.columnLength() < w ? promptFirst : promptFirst.columnSubSequence(0, w - 1);
        AttributedString rest = promptRest.columnLength() < w ? promptRest : promptRest.columnSubSequence(0, w - 1);
        if (editor.isEmpty()) {
            var line = new AttributedStringBuilder().append(first)
                    .append(Wrap.truncate(theme.paint(Role.MUTED, hint), w - first.columnLength())).toAttributedString();
            return new Rendered(List.of(line), 0, first.columnLength());
        }

        String buf = editor.buffer();
        var rows = new ArrayList<List<Unit>>();
        int cursorRow = -1;
        int cursorCol = 0;
        int lineStart = 0;
        while (true) {
            int lineEnd = buf.indexOf('\n', lineStart);
            if (lineEnd < 0) lineEnd = buf.length();
            int firstRow = rows.size();
            wrap(units(editor, buf, lineStart, lineEnd), rows, w - first.columnLength(), w - rest.columnLength());
            if (editor.cursor() >= lineStart && editor.cursor() <= lineEnd) {
                int[] at = locate(rows, firstRow, editor.cursor(), w - first.columnLength(), w - rest.columnLength());
                cursorRow = at[0];
                cursorCol = at[1];
            }
            if (lineEnd == buf.length()) break;
            lineStart = lineEnd + 1;
        }

        var lines = new ArrayList<AttributedString>(rows.size());
        for (int r = 0; r < rows.size(); r++) {
            var b = new AttributedStringBuilder().append(r == 0 ? first : rest);
            for (Unit u : rows.get(r)) b.styled(theme.style(u.role()), u.text());
            lines.add(b.toAttributedString());
        }
        int promptWidth = (cursorRow == 0 ? first : rest).columnLength();
        return new Rendered(lines, cursorRow, promptWidth + cursorCol);
    }

    /** The drawn units of buffer range {@code [from, to)}, one logical line. */
    private static List<Unit> units(LineEditor editor, String buf, int from, int to) {
        var out = new ArrayList<Unit>();
        for (int i = from; i < to; ) {
            int cp = buf.codePointAt(i);
            var label = cp <= 0xffff ? editor.placeholderLabel((char) cp) : Optional.<String>empty();
            if (label.isPresent()) {
                String l = label.get();
                for (int j = 0; j < l.length(); j += Character.charCount(l.codePointAt(j))) {
                    int lc = l.codePointAt(j);
                    out.add(new Unit(Character.toString(lc), editor.width(lc), Role.ACCENT, i, j == 0));
                }
            } else if (cp == '\t') {
                for (int k = 0; k < LineEditor.TAB_WIDTH; k++) out.add(new Unit(" ", 1, Role.TEXT, i, k == 0));
            } else {
                out.add(new Unit(Character.toString(cp), editor.width(cp), Role.TEXT, i, true));
            }
            i += Character.charCount(cp);
        }
        return out;
    }

    /**
     * Appends the rows of one logical line to {@code rows}: greedy, breaking after the last space that fits, else
     * before the unit that does not fit. The very first row of the editor has {@code firstRoom} columns.
     */
    private static void wrap(List<Unit> units, List<List<Unit>> rows, int firstRoom, int restRoom) {
        var row = new ArrayList<Unit>();
        int col = 0;
        int afterSpace = 0;
        for (Unit unit : units) {
            int room = rows.isEmpty() ? firstRoom : restRoom;
            Unit u = unit.width() <= room ? unit : new Unit("?", 1, unit.role(), unit.index(), unit.stop());
            if (col + u.width() > room && u.isSpace()) {
                // A space that does not fit hangs at the end of its row, drawn as nothing, so the next row does
                // not start with it (as in text areas everywhere).
                row.add(new Unit("", 0, u.role(), u.index(), u.stop()));
                rows.add(row);
                row = new ArrayList<>();
                col = 0;
                afterSpace = 0;
                continue;
            }
            if (col + u.width() > room && !row.isEmpty()) {
                var carry = new ArrayList<Unit>();
                if (afterSpace > 0 && afterSpace < row.size()) {
                    carry.addAll(row.subList(afterSpace, row.size()));
                    row.subList(afterSpace, row.size()).clear();
                }
                rows.add(row);
                row = carry;
                col = carry.stream().mapToInt(Unit::width).sum();
                afterSpace = 0;
                if (!row.isEmpty() && col + u.width() > restRoom) {
                    // The carried word and this unit still do not fit: cut the word here instead.
                    rows.add(row);
                    row = new ArrayList<>();
                    col = 0;
                }
            }
            row.add(u);
            col += u.width();
            if (u.isSpace()) afterSpace = row.size();
        }
        // A line that ended with a hanging space has nothing left for a last row; locate adds one if the cursor
        // needs it.
        if (!row.isEmpty() || units.isEmpty()) rows.add(row);
    }

    /**
     * Row and column (without prompt) of buffer index {@code cursor} within the rows from {@code firstRow} on. A
     * cursor that would sit at the right edge (at the end of a full row, or on a hanging space) goes to the start of
     * the next row, which is added, empty, when the line has none.
     */
    private static int[] locate(List<List<Unit>> rows, int firstRow, int cursor, int firstRoom, int restRoom) {
        int row = rows.size() - 1;
        int col = rows.get(row).stream().mapToInt(Unit::width).sum();
        search:
        for (int r = firstRow; r < rows.size(); r++) {
            int c = 0;
            for (Unit u : rows.get(r)) {
                if (u.stop() && u.index() == cursor) {
                    row = r;
                    col = c;
                    break search;
                }
                c += u.width();
            }
        }
        if (col < (row == 0 ? firstRoom : restRoom)) return new int[] {row, col};
        if (row + 1 == rows.size()) rows.add(new ArrayList<>());
        return new int[] {row + 1, 0};
    }
}
