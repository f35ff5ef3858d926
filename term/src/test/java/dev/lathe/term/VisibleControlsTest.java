package dev.lathe.term;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.IntStream;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;
import org.junit.jupiter.api.Test;

/** A corpus of terminal-injection text (issue 25): nothing of it reaches the terminal raw, all of it is shown. */
class VisibleControlsTest {
    /** What hostile text carries, each with how it must look. */
    private record Case(String name, String hostile, String shown) {}

    private static final List<Case> CORPUS = List.of(
            new Case("CSI clear screen", "a\u001b[2Jb", "a␛[2Jb"),
            new Case("CSI cursor home and SGR", "\u001b[H\u001b[31mred", "␛[H␛[31mred"),
            new Case("OSC 52 clipboard write, BEL-terminated", "x\u001b]52;c;ZWNobyBwd25lZA==\u0007y", "x␛]52;c;ZWNobyBwd25lZA==␇y"),
            new Case("OSC 52, ST-terminated", "\u001b]52;c;aGk=\u001b\\", "␛]52;c;aGk=␛\\"),
            new Case("OSC 0 window title", "\u001b]0;pwned\u0007", "␛]0;pwned␇"),
            new Case("OSC 8 hyperlink", "\u001b]8;;https://evil.example\u001b\\click\u001b]8;;\u001b\\", "␛]8;;https://evil.example␛\\click␛]8;;␛\\"),
            new Case("DCS", "\u001bP1$r\u001b\\", "␛P1$r␛\\"),
            new Case("APC", "\u001b_Gpayload\u001b\\", "␛_Gpayload␛\\"),
            new Case("C1 CSI", "a\u009b31mb", "a<U+009B>31mb"),
            new Case("C1 OSC and ST", "\u009d52;c;aGk=\u009c", "<U+009D>52;c;aGk=<U+009C>"),
            new Case("bare ESC", "a\u001b", "a␛"),
            new Case("BEL", "ding\u0007", "ding␇"),
            new Case("backspace overwrite", "safe\b\b\b\bevil", "safe␈␈␈␈evil"),
            new Case("CR overwrite mid-line", "rm -rf /\rls", "rm -rf /␍ls"),
            new Case("DEL and NUL", "a\u007fb\u0000c", "a␡b␀c"),
            new Case("RLO (Trojan Source)", "file\u202Etxt.exe", "file<U+202E>txt.exe"),
            new Case("every bidi embedding and override", "\u202A\u202B\u202C\u202D\u202E", "<U+202A><U+202B><U+202C><U+202D><U+202E>"),
            new Case("bidi isolates", "\u2066\u2067\u2068\u2069", "<U+2066><U+2067><U+2068><U+2069>"),
            new Case("plain text with accents and wide characters", "café 漢字 ✓", "café 漢字 ✓"));

    @Test
    void everyControlOfTheCorpusIsShownNeverSent() {
        for (Case c : CORPUS) {
            assertThat(VisibleControls.line(c.hostile())).as(c.name()).isEqualTo(c.shown());
            assertThat(VisibleControls.stream(c.hostile())).as(c.name() + " (stream)").isEqualTo(c.shown());
            assertThat(VisibleControls.line(c.hostile()).codePoints().filter(VisibleControls::isControl)).as(c.name()).isEmpty();
        }
    }

    @Test
    void aScreenLineExpandsTabsAndDropsTheCrOfACrlfEnd() {
        assertThat(VisibleControls.line("a\tb\u001b")).isEqualTo("a       b␛");
        assertThat(VisibleControls.line("abcdefgh\tx\u0007")).isEqualTo("abcdefgh        x␇");
        assertThat(VisibleControls.line("windows line\r")).isEqualTo("windows line");
        assertThat(VisibleControls.line("two\nlines")).as("a newline inside a laid-out line").isEqualTo("two␊lines");
    }

    @Test
    void aStreamKeepsItsLinesTabsAndCrlf() {
        assertThat(VisibleControls.stream("one\r\ntwo\n\tthree\u001b[2J\n")).isEqualTo("one\r\ntwo\n\tthree␛[2J\n");
    }

    @Test
    void stylesAreKeptAroundWhatIsMadeVisible() {
        var red = AttributedStyle.DEFAULT.foreground(AttributedStyle.RED);
        var line = new AttributedString("ok\u001b]52;c;x\u0007", red);
        AttributedString shown = VisibleControls.line(line);
        assertThat(shown.toString()).isEqualTo("ok␛]52;c;x␇");
        assertThat(shown.styleAt(0)).isEqualTo(red);
        assertThat(shown.styleAt(2)).isEqualTo(red);
        assertThat(VisibleControls.line(new AttributedString("clean"))).as("left as it is").isEqualTo(new AttributedString("clean"));
    }

    @Test
    void theStreamShowsControlsEvenWhenACharacterOrACrlfIsSplitAcrossWrites() throws Exception {
        var bytes = new ByteArrayOutputStream();
        PrintStream safe = TerminalSafeStream.of(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        byte[] hostile = "a\u202Eb\u001b]52;c;x\u0007 é\r".getBytes(StandardCharsets.UTF_8);
        // one byte at a time: every UTF-8 sequence is cut
        IntStream.range(0, hostile.length).forEach(i -> safe.write(hostile[i]));
        safe.print("\nnext\rover");
        safe.printf("%s%n", "\u009b2J");
        safe.close();
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("a<U+202E>b␛]52;c;x␇ é\r\nnext␍over<U+009B>2J" + System.lineSeparator());
    }

    @Test
    void jsonKeepsItsValueWithEveryControlAJsonEscape() throws Exception {
        // what a JSON writer leaves raw: DEL, C1 controls, bidi overrides and isolates (it escapes C0 itself)
        String json = "{\"t\":\"a\u007f b\u009b31m c\u202egnp d\u2066\"}\n\t";
        String escaped = "{\"t\":\"a\\u007f b\\u009b31m c\\u202egnp d\\u2066\"}\n\t";
        assertThat(VisibleControls.json(json)).isEqualTo(escaped);
        assertThat(VisibleControls.json("{\"clean\":1}")).isEqualTo("{\"clean\":1}");

        var bytes = new ByteArrayOutputStream();
        PrintStream safe = TerminalSafeStream.json(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        byte[] raw = (json + "\r").getBytes(StandardCharsets.UTF_8);
        IntStream.range(0, raw.length).forEach(i -> safe.write(raw[i]));
        safe.close();
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo(escaped + "\\u000d");
    }
}
