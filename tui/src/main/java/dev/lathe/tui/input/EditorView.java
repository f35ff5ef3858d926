package dev.lathe.tui.input;

import dev.lathe.tui.text.Role;
import dev.lathe.tui.text.Theme;
import java.util.ArrayList;
import java.util.List;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.WCWidth;

/**
 * The editor as lines of a width, soft-wrapped by display columns (a wide character is never split), with the
 * prompt on the first line and an indent on the others, and where the terminal cursor goes: a cursor exactly at the
 * right edge goes to the start of the next row, as the terminal would put the next character there.
 */
public final class EditorView {
    /** The lines, and the cursor's row in them and display column. */
    public record Rendered(List<AttributedString> lines, int row, int column) {}

    private EditorView() {}

    public static Rendered render(LineEditor editor, int width, AttributedString promptFirst, AttributedString promptRest, Theme theme, String hint) {
        String text = editor.display();
        if (text.isEmpty()) {
            var line = new AttributedStringBuilder().append(promptFirst).styled(theme.style(Role.MUTED), hint).toAttributedString();
            return new Rendered(List.of(line.columnLength() > width ? line.columnSubSequence(0, width) : line), 0, promptFirst.columnLength());
        }
        int cursor = editor.displayCursor();
        var lines = new ArrayList<AttributedString>();
        var current = new AttributedStringBuilder().append(promptFirst);
        int col = promptFirst.columnLength();
        int row = 0;
        int cursorRow = -1;
        int cursorCol = 0;
        int i = 0;
        while (i <= text.length()) {
            int cp = i < text.length() ? text.codePointAt(i) : -1;
            // the width the next character takes here; at the end, the cursor itself needs one column
            int w = cp == -1 ? 1 : cp == '\n' ? 0 : cp == '\t' ? 1 : Math.max(0, WCWidth.wcwidth(cp));
            if (col + w > width && col > promptRest.columnLength()) {
                lines.add(current.toAttributedString());
                current = new AttributedStringBuilder().append(promptRest);
                col = promptRest.columnLength();
                row++;
            }
            if (i == cursor) {
                cursorRow = row;
                cursorCol = col;
            }
            if (cp == -1) break;
            i += Character.charCount(cp);
            if (cp == '\n') {
                lines.add(current.toAttributedString());
                current = new AttributedStringBuilder().append(promptRest);
                col = promptRest.columnLength();
                row++;
            } else if (cp == '\t') {
                // tabs stay in the text; on screen they take a fixed width, cut at the edge
                int spaces = Math.min(LineEditor.TAB_WIDTH, width - col);
                current.append(" ".repeat(spaces));
                col += spaces;
            } else {
                current.appendCodePoint(cp);
                col += w;
            }
        }
        lines.add(current.toAttributedString());
        return new Rendered(lines, Math.max(0, cursorRow), cursorCol);
    }
}
