package dev.lathe.tui.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;
import org.junit.jupiter.api.Test;

class LinesTest {
    @Test
    void hardCutNeverSplitsAWideCharacterAndNeverExceedsTheWidth() {
        List<AttributedString> pieces = Lines.hardCut(new AttributedString("ab日本語cd"), 3);
        assertThat(pieces.stream().map(AttributedString::toString)).containsExactly("ab", "日", "本", "語c", "d");
        assertThat(pieces).allSatisfy(p -> assertThat(p.columnLength()).isLessThanOrEqualTo(3));
    }

    @Test
    void hardCutKeepsAnEmptyLine() {
        assertThat(Lines.hardCut(AttributedString.EMPTY, 5)).containsExactly(AttributedString.EMPTY);
    }

    @Test
    void cleanExpandsTabsToStopsAndShowsControlCharacters() {
        assertThat(Lines.clean("a\tb\t\tc")).isEqualTo("a   b       c");
        assertThat(Lines.clean("x\u001b[2J\u007f")).isEqualTo("x␛[2J␡");
        assertThat(Lines.clean("plain")).isEqualTo("plain");
    }

    @Test
    void mergeLetsTheUpperStyleWinAndKeepsTheRest() {
        AttributedStyle red = AttributedStyle.DEFAULT.foreground(AttributedStyle.RED).bold();
        AttributedStyle green = AttributedStyle.DEFAULT.foreground(AttributedStyle.GREEN);
        assertThat(Styles.merge(red, green)).isEqualTo(AttributedStyle.DEFAULT.bold().foreground(AttributedStyle.GREEN));
        assertThat(Styles.merge(red, AttributedStyle.DEFAULT.italic())).isEqualTo(red.italic());
        assertThat(Styles.merge(AttributedStyle.DEFAULT.foregroundRgb(0x123456), green)).isEqualTo(green);
    }
}
