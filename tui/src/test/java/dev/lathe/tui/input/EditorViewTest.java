package dev.lathe.tui.input;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.tui.text.Snapshots;
import dev.lathe.tui.text.Theme;
import java.util.ArrayList;
import org.jline.utils.AttributedString;
import org.junit.jupiter.api.Test;

class EditorViewTest {
    static final AttributedString PROMPT = new AttributedString("› ");
    static final AttributedString INDENT = new AttributedString("  ");

    static EditorView.Rendered render(LineEditor e, int width) {
        return EditorView.render(e, width, PROMPT, INDENT, Theme.plain(), "Ask anything…");
    }

    @Test
    void wrapsLongAndMultiLineInputAndPutsTheCursorAtTheEnd() {
        var e = new LineEditor();
        e.insert("the quick brown fox jumps over the lazy dog");
        e.newline();
        e.insert("日本語のテキスト");
        var all = new ArrayList<AttributedString>();
        for (int w : new int[] {20, 40}) {
            var r = render(e, w);
            all.addAll(r.lines());
            all.add(new AttributedString("-- cursor " + r.row() + "," + r.column()));
            assertThat(r.lines()).allSatisfy(l -> assertThat(l.columnLength()).isLessThanOrEqualTo(w));
        }
        Snapshots.assertMatches("input-editor-wrapped", all);
        var at20 = render(e, 20);
        assertThat(at20.row()).isEqualTo(at20.lines().size() - 1);
        assertThat(at20.column()).isEqualTo(at20.lines().getLast().columnLength());
    }

    @Test
    void aCursorAtTheRightEdgeGoesToTheNextRow() {
        var e = new LineEditor();
        e.insert("12345678");  // "› " + 8 = 10 columns
        var r = render(e, 10);
        assertThat(r.lines()).hasSize(2);
        assertThat(r.row()).isEqualTo(1);
        assertThat(r.column()).isEqualTo(2);
    }

    @Test
    void aWideCharacterIsNeverSplitAcrossRows() {
        var e = new LineEditor();
        e.insert("abcdefg日");  // 2 + 7 columns, then a 2-column character that does not fit in 10
        var r = render(e, 10);
        assertThat(r.lines().get(0).toString()).isEqualTo("› abcdefg");
        assertThat(r.lines().get(1).toString()).isEqualTo("  日");
        e.moveLeft();
        r = render(e, 10);
        assertThat(r.row()).isEqualTo(1);
        assertThat(r.column()).isEqualTo(2);
    }

    @Test
    void anEmptyEditorShowsTheHintAndAPasteItsPlaceholder() {
        var e = new LineEditor();
        var empty = render(e, 40);
        assertThat(empty.lines().getFirst().toString()).isEqualTo("› Ask anything…");
        assertThat(empty.column()).isEqualTo(2);
        e.insert("see ");
        e.insertPaste("line\n".repeat(20));
        e.insert(" ok");
        var r = render(e, 60);
        assertThat(r.lines().getFirst().toString()).isEqualTo("› see [Pasted text #1 +20 lines] ok");
        assertThat(r.column()).isEqualTo(r.lines().getFirst().columnLength());
        assertThat(e.submission()).startsWith("see line\nline").endsWith("line\n ok");
    }
}
