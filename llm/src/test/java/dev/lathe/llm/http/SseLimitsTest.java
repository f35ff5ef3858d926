package dev.lathe.llm.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.llm.sse.SseLineReader;
import dev.lathe.llm.sse.SseParser;
import dev.lathe.llm.sse.SseTooLarge;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Lines and events of a stream are bounded; every line ending SSE allows is one. */
class SseLimitsTest {
    private static List<String> lines(String text, int max) throws Exception {
        var reader = new SseLineReader(new StringReader(text), max);
        List<String> out = new ArrayList<>();
        for (String l = reader.next(); l != null; l = reader.next()) out.add(l);
        return out;
    }

    @Test
    void crLfCrAndLfEndLinesAndTheLastLineNeedsNoEnd() throws Exception {
        assertThat(lines("a\r\nb\rc\n\nd", 10)).containsExactly("a", "b", "c", "", "d");
        assertThat(lines("a\r", 10)).containsExactly("a");
        assertThat(lines("", 10)).isEmpty();
    }

    @Test
    void aLineLongerThanTheLimitFails() {
        assertThatThrownBy(() -> lines("data: " + "x".repeat(100) + "\n", 50)).isInstanceOf(SseTooLarge.class).hasMessageContaining("longer than 50 characters");
    }

    @Test
    void anEventMadeOfManyDataLinesIsBoundedToo() {
        var parser = new SseParser(100);
        for (int i = 0; i < 9; i++) parser.line("data: " + "y".repeat(9));
        assertThatThrownBy(() -> parser.line("data: " + "y".repeat(20))).isInstanceOf(SseTooLarge.class).hasMessageContaining("larger than 100 characters");
    }

    @Test
    void excerptsAreOneShortLine() {
        assertThat(Excerpt.of("  <html>\n\t<body>  x\u001b[31m  ")).isEqualTo("<html> <body> x [31m");
        assertThat(Excerpt.of("z".repeat(1000))).hasSize(Excerpt.MAX + 1).endsWith("…");
    }
}
