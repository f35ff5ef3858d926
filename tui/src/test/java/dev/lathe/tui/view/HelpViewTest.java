package dev.lathe.tui.view;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.tui.text.Theme;
import java.util.List;
import org.jline.utils.AttributedString;
import org.junit.jupiter.api.Test;

class HelpViewTest {
    static final List<HelpView.Row> ROWS = List.of(
            new HelpView.Row("enter", "Send the prompt"),
            new HelpView.Row("ctrl+left, alt+left, alt+b", "Cursor to the previous word start"),
            new HelpView.Row("shift+enter, alt+enter, ctrl+j", "Insert a line break (shift+enter needs a terminal that reports it)"));

    static List<String> text(int width) { return HelpView.render("Keys", ROWS, Theme.plain(), width).stream().map(AttributedString::toString).toList(); }

    @Test
    void noNameRunsIntoItsTextAndTheTextWrapsUnderItself() {
        List<String> lines = text(70);
        assertThat(lines.getFirst()).isEqualTo("Keys");
        assertThat(lines.get(1)).isEqualTo("  enter                     Send the prompt");
        // a name longer than the column gets its own line, its text below
        assertThat(lines.get(2)).isEqualTo("  ctrl+left, alt+left, alt+b");
        assertThat(lines.get(3)).isEqualTo("                            Cursor to the previous word start");
        assertThat(lines.get(4)).isEqualTo("  shift+enter, alt+enter, ctrl+j");
        assertThat(lines.get(5)).startsWith("                            Insert a line break");
        assertThat(lines.get(6)).startsWith("                            ").contains("reports it)");
        for (int w : new int[] {30, 50, 70, 120}) {
            assertThat(HelpView.render("Keys", ROWS, Theme.plain(), w)).allSatisfy(l -> assertThat(l.columnLength()).isLessThanOrEqualTo(w));
        }
    }

    @Test
    void aNarrowTerminalPutsTheTextUnderTheName() {
        List<String> lines = text(40);
        assertThat(lines.get(1)).isEqualTo("  enter");
        assertThat(lines.get(2)).isEqualTo("    Send the prompt");
    }
}
