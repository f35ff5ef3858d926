package dev.lathe.tui.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.jline.utils.AttributedString;
import org.junit.jupiter.api.Test;

class WrapTest {
    private static List<String> wrap(String text, int width) {
        return Wrap.lines(new AttributedString(text), width).stream().map(AttributedString::toString).toList();
    }

    @Test
    void breaksAtSpacesAndNeverExceedsTheWidth() {
        assertThat(wrap("the quick brown fox jumps over the lazy dog", 10))
                .containsExactly("the quick", "brown fox", "jumps over", "the lazy", "dog");
    }

    @Test
    void cutsWordsLongerThanTheWidth() {
        assertThat(wrap("abcdefghijkl", 5)).containsExactly("abcde", "fghij", "kl");
    }

    @Test
    void countsWideCharactersAsTwoColumns() {
        List<AttributedString> lines = Wrap.lines(new AttributedString("日本語のテキスト"), 6);
        assertThat(lines).allSatisfy(l -> assertThat(l.columnLength()).isLessThanOrEqualTo(6));
        assertThat(lines).hasSize(3);
    }

    @Test
    void keepsEmptyLinesAndHangingIndent() {
        var lines = Wrap.lines(new AttributedString("one two three\n\nfour"), 8, new AttributedString("- "), new AttributedString("  "));
        assertThat(lines.stream().map(AttributedString::toString)).containsExactly("- one", "  two", "  three", "  ", "  four");
    }

    @Test
    void truncatesWithAnEllipsis() {
        assertThat(Wrap.truncate(new AttributedString("abcdefgh"), 5).toString()).isEqualTo("abcd…");
        assertThat(Wrap.pad(new AttributedString("ab"), 4).toString()).isEqualTo("ab  ");
    }

    @Test
    void themeParsesColoursAndAttributesAndNamesWhatItDoesNotKnow() {
        Theme t = Theme.standard().with(Role.ACCENT, "bold #ff8800");
        assertThat(t.paint(Role.ACCENT, "x").toAnsi(256, org.jline.utils.AttributedCharSequence.ForceMode.Force256Colors)).contains("38;5;208;1m");
        assertThat(Theme.standard().withoutColor().paint(Role.ERROR, "x").toAnsi(256, org.jline.utils.AttributedCharSequence.ForceMode.Force256Colors)).doesNotContain("31").contains("1m");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Theme.standard().with(Role.ACCENT, "purplish"))
                .hasMessageContaining("purplish");
    }
}
