package dev.lathe.tui.input;

import dev.lathe.tui.text.Role;
import dev.lathe.tui.text.Theme;
import java.util.ArrayList;
import java.util.List;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.WCWidth;

/** The editor as lines of a width, soft-wrapped by columns, and where the cursor is in them. */
public final class EditorView {
    public record Rendered(List<AttributedString> lines, int row, int column) {}

    private EditorView() {}

    public static Rendered render(LineEditor editor, int width, AttributedString promptFirst, AttributedString promptRest, Theme theme, String hint) {
        String text = editor.display();
        if (text.isEmpty()) {
            var line = new AttributedStringBuilder().append(promptFirst).styled(theme.style(Role.MUTED), hint).toAttributedString();
            return new Rendered(List.of(line.columnLength() > width ? line.columnSubSequence(0, width) : line), 0, promptFirst.columnLength());
        }
        int cursor = displayCursor(editor);
        var lines = new ArrayList<AttributedString>();
        var current = new AttributedStringBuilder().append(promptFirst);
        int col = promptFirst.columnLength();
        int row = 0;
        int cursorRow = -1;
        int cursorCol = 0;
        int i = 0;
        while (i <= text.length()) {
            if (i == cursor) {
                if (col >= width) {
                    lines.add(current.toAttributedString());
                    current = new AttributedStringBuilder().append(promptRest);
                    col = promptRest.columnLength();
                    row++;
                }
                cursorRow = row;
                cursorCol = col;
            }
            if (i == text.length()) break;
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == '\n') {
                lines.add(current.toAttributedString());
                current = new AttributedStringBuilder().append(promptRest);
                col = promptRest.columnLength();
                row++;
                continue;
            }
            int w = Math.max(0, WCWidth.wcwidth(cp));
            if (col + w > width) {
                lines.add(current.toAttributedString());
                current = new AttributedStringBuilder().append(promptRest);
                col = promptRest.columnLength();
                row++;
            }
            current.appendCodePoint(cp);
            col += w;
        }
        lines.add(current.toAttributedString());
        return new Rendered(lines, Math.max(0, cursorRow), cursorCol);
    }

    /** The cursor's index in {@link LineEditor#display()}: placeholders shown instead of the pasted text. */
    private static int displayCursor(LineEditor editor) {
        return Math.min(editor.cursor(), editor.display().length());
    }
}
