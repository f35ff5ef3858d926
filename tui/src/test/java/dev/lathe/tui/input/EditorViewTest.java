package dev.lathe.tui.input;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.tui.input.EditorView.Rendered;
import dev.lathe.tui.text.Role;
import dev.lathe.tui.text.Snapshots;
import dev.lathe.tui.text.Theme;
import java.util.ArrayList;
import java.util.List;
import org.jline.utils.AttributedString;
import org.junit.jupiter.api.Test;

class EditorViewTest {
    private final Theme theme = Theme.standard();
    private final AttributedString first = theme.paint(Role.PROMPT, "> ");
    private final AttributedString rest = new AttributedString("  ");
    private final EditorView view = EditorView.standard();

    private Rendered render(LineEditor editor, int width) {
        Rendered r = view.render(editor, width, first, rest, theme);
        assertThat(r.lines()).allSatisfy(l -> assertThat(l.columnLength()).as("'%s'", l).isLessThanOrEqualTo(width));
        assertThat(r.cursorRow()).isBetween(0, r.lines().size() - 1);
        assertThat(r.cursorColumn()).isBetween(0, width - 1);
        return r;
    }

    private static LineEditor editor(String text) {
        var e = new LineEditor();
        e.setText(text);
        return e;
    }

    /** Both widths' lines with a caret line under the cursor row, for one snapshot file. */
    private List<AttributedString> both(LineEditor editor) {
        var out = new ArrayList<AttributedString>();
        for (int width : new int[] {20, 40}) {
            Rendered r = render(editor, width);
            out.add(new AttributedString("width " + width + ", cursor " + r.cursorRow() + ":" + r.cursorColumn()));
            for (int i = 0; i < r.lines().size(); i++) {
                out.add(r.lines().get(i));
                if (i == r.cursorRow()) out.add(new AttributedString(" ".repeat(r.cursorColumn()) + "^"));
            }
        }
        return out;
    }

    @Test
    void emptyEditorShowsTheHintCutToTheWidth() {
        Snapshots.assertMatches("input-editor-hint", both(new LineEditor()));
        Rendered r = render(new LineEditor(), 20);
        assertThat(r.cursorRow()).isZero();
        assertThat(r.cursorColumn()).isEqualTo(2);
        assertThat(new EditorView("Type here").render(new LineEditor(), 40, first, rest, Theme.plain()).lines().getFirst().toString())
                .isEqualTo("> Type here");
    }

    @Test
    void softWrapsProseAtSpaces() {
        var e = editor("Refactor the session loop so that tool calls run in parallel\nthen run the tests");
        Snapshots.assertMatches("input-editor-wrap", both(e));
    }

    @Test
    void wideCharactersCountTwoColumnsAndAreNeverSplit() {
        var e = editor("日本語のテキストを入力します and ascii 漢字");
        e.lineStart();
        for (int i = 0; i < 9; i++) e.moveRight();
        Snapshots.assertMatches("input-editor-wide", both(e));
    }

    @Test
    void placeholdersTabsAndSeveralLines() {
        var e = new LineEditor();
        e.insert("explain this:\n\tindented ");
        e.insertPaste("1\n2\n3\n4\n5\n6\n7\n8");
        e.insert(" thanks");
        e.wordLeft();
        e.wordLeft();
        Snapshots.assertMatches("input-editor-placeholder", both(e));
    }

    @Test
    void aCursorAtTheEndOfAFullRowGoesToTheStartOfTheNextRow() {
        var e = editor("abcdefghijklmnopqr");
        Rendered r = render(e, 20);
        assertThat(r.lines().stream().map(AttributedString::toString)).containsExactly("> abcdefghijklmnopqr", "  ");
        assertThat(r.cursorRow()).isEqualTo(1);
        assertThat(r.cursorColumn()).isEqualTo(2);

        e.moveLeft();
        r = render(e, 20);
        assertThat(r.lines()).hasSize(1);
        assertThat(r.cursorRow()).isZero();
        assertThat(r.cursorColumn()).isEqualTo(19);
    }

    @Test
    void aWideCharThatDoesNotFitMovesToTheNextRow() {
        var e = editor("a" + "日".repeat(9));
        Rendered r = render(e, 20);
        assertThat(r.lines().stream().map(AttributedString::toString)).containsExactly("> a日日日日日日日日", "  日");
        assertThat(r.cursorRow()).isEqualTo(1);
        assertThat(r.cursorColumn()).isEqualTo(4);
        e.moveLeft();
        r = render(e, 20);
        assertThat(r.cursorRow()).isEqualTo(1);
        assertThat(r.cursorColumn()).isEqualTo(2);
        e.moveLeft();
        r = render(e, 20);
        assertThat(r.cursorRow()).isZero();
        assertThat(r.cursorColumn()).isEqualTo(17);
    }

    @Test
    void cursorPositionsAcrossWrappedWordsAndLines() {
        var e = editor("hello world foo\nx");
        Rendered r = render(e, 10);
        assertThat(r.lines().stream().map(AttributedString::toString)).containsExactly("> hello ", "  world ", "  foo", "  x");
        assertThat(r.cursorRow()).isEqualTo(3);
        assertThat(r.cursorColumn()).isEqualTo(3);
        assertThat(e.moveUp()).isTrue();
        r = render(e, 10);
        assertThat(r.cursorRow()).as("column 1 of the first line is in its first row").isZero();
        assertThat(r.cursorColumn()).isEqualTo(3);
        e.lineEnd();
        r = render(e, 10);
        assertThat(r.cursorRow()).isEqualTo(2);
        assertThat(r.cursorColumn()).isEqualTo(5);
        for (int i = 0; i < 4; i++) e.moveLeft();
        r = render(e, 10);
        assertThat(r.cursorRow()).as("before the space after world").isEqualTo(1);
        assertThat(r.cursorColumn()).isEqualTo(7);
    }

    @Test
    void aSpaceThatOverflowsHangsAtTheRowEndAndItsCursorShowsOnTheNextRow() {
        var e = editor("abcdefghijklmnopqr stu");
        Rendered r = render(e, 20);
        assertThat(r.lines().stream().map(AttributedString::toString)).containsExactly("> abcdefghijklmnopqr", "  stu");
        for (int i = 0; i < 3; i++) e.moveLeft();
        r = render(e, 20);
        assertThat(r.cursorRow()).isEqualTo(1);
        assertThat(r.cursorColumn()).isEqualTo(2);
        e.moveLeft();
        r = render(e, 20);
        assertThat(r.cursorRow()).as("on the hanging space").isEqualTo(1);
        assertThat(r.cursorColumn()).isEqualTo(2);

        r = render(editor("abcdefghijklmnopqr "), 20);
        assertThat(r.lines()).hasSize(2);
        assertThat(r.cursorRow()).isEqualTo(1);
        assertThat(r.cursorColumn()).isEqualTo(2);
    }

    @Test
    void theFirstRowHasTheRoomLeftByTheFirstPrompt() {
        var e = editor("abcdefghijklmnopqrstuvwxyz");
        Rendered r = view.render(e, 20, new AttributedString("lathe> "), rest, Theme.plain());
        assertThat(r.lines().stream().map(AttributedString::toString)).containsExactly("lathe> abcdefghijklm", "  nopqrstuvwxyz");
        assertThat(r.cursorRow()).isEqualTo(1);
        assertThat(r.cursorColumn()).isEqualTo(15);
        e.setText("abcdefghijklm");
        r = view.render(e, 20, new AttributedString("lathe> "), rest, Theme.plain());
        assertThat(r.cursorRow()).as("the first row is full at 13 columns").isEqualTo(1);
        assertThat(r.cursorColumn()).isEqualTo(2);
    }

    @Test
    void tinyWidthsStillFit() {
        var e = editor("日本 abc");
        for (int width : new int[] {1, 2, 3}) render(e, width);
    }
}
