package dev.lathe.tools.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bounded line reading: breaks, a CRLF split across the buffer, long lines cut and counted. */
class LineReaderTest {
    private static List<LineReader.Line> lines(String text, int max, LineReader.Breaks breaks) throws IOException {
        List<LineReader.Line> out = new ArrayList<>();
        try (var r = new LineReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8.newDecoder(), max, breaks)) {
            for (var l = r.next(); l != null; l = r.next()) out.add(l);
        }
        return out;
    }

    @Test
    void readBreaksAtLfCrlfAndALoneCrLikeReadLine() throws IOException {
        // the CRLF straddles the 8,192-character buffer
        String first = "a".repeat(8191);
        assertThat(lines(first + "\r\nb\rc\n\nd", 10_000, LineReader.Breaks.ANY)).extracting(LineReader.Line::text)
                .containsExactly(first, "b", "c", "", "d");
        assertThat(lines("x\r\n", 10, LineReader.Breaks.ANY)).extracting(LineReader.Line::text).containsExactly("x");
        assertThat(lines("", 10, LineReader.Breaks.ANY)).isEmpty();
    }

    @Test
    void grepBreaksAtLfOnly() throws IOException {
        assertThat(lines("a\rb\r\nc", 10, LineReader.Breaks.LF)).extracting(LineReader.Line::text).containsExactly("a\rb", "c");
        // a line exactly at the cap keeps its whole text, its CR dropped
        assertThat(lines("abc\r\n", 3, LineReader.Breaks.LF)).containsExactly(new LineReader.Line("abc", 0));
    }

    @Test
    void aLongLineIsCutAndTheRestCounted() throws IOException {
        assertThat(lines("0123456789\nok", 4, LineReader.Breaks.ANY))
                .containsExactly(new LineReader.Line("0123", 6), new LineReader.Line("ok", 0));
        assertThat(lines("0123456789\r\nok", 4, LineReader.Breaks.LF))
                .containsExactly(new LineReader.Line("0123", 7), new LineReader.Line("ok", 0));
    }
}
