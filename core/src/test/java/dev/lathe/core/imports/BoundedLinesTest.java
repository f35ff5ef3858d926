package dev.lathe.core.imports;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The capped line reader under every import (issue 52): a line over the cap is never held, only numbered and skipped. */
class BoundedLinesTest {
    @Test
    void aLineOverTheCapIsSkippedWithItsNumberAndTheNextLinesAreRead() throws IOException {
        // the buffer is 64 KiB: the long line spans several reads, and the cap falls inside one
        String text = "{\"a\":1}\n" + "y".repeat(200_000) + "\n" + "z".repeat(16) + "\r\n" + "\n" + "last";
        List<BoundedLines.Line> lines = all(text, 100_000);
        assertThat(lines).containsExactly(
                new BoundedLines.Line(1, Optional.of("{\"a\":1}")),
                new BoundedLines.Line(2, Optional.empty()),
                new BoundedLines.Line(3, Optional.of("z".repeat(16) + "\r")),
                new BoundedLines.Line(4, Optional.of("")),
                new BoundedLines.Line(5, Optional.of("last")));
    }

    @Test
    void aLineOfExactlyTheCapIsKeptAndOneByteMoreIsNot() throws IOException {
        assertThat(all("abcd\nabcde\n", 4)).containsExactly(new BoundedLines.Line(1, Optional.of("abcd")), new BoundedLines.Line(2, Optional.empty()));
        assertThat(all("", 4)).isEmpty();
    }

    @Test
    void malformedUtf8IsReplacedAsTheReaderBeforeDid() throws IOException {
        var in = new BoundedLines(new ByteArrayInputStream(new byte[] {'a', (byte) 0xff, 'b'}), 10);
        assertThat(in.next().orElseThrow().text()).contains("a\ufffdb");
    }

    @Test
    void jsonLinesReportsTheLongRecordByFileAndLineAndHandsOnTheOthers(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("s.jsonl");
        Files.writeString(file, "{\"n\":1}\n{\"n\":\"" + "x".repeat(5000) + "\"}\nnot json\n{\"n\":4}\n");
        List<String> problems = new ArrayList<>();
        List<Integer> read = new ArrayList<>();
        JsonLines.read(file, 1000, problems, _ -> false, (n, node) -> read.add(node.path("n").asInt()));
        assertThat(read).containsExactly(1, 4);
        assertThat(problems).containsExactly(file + ":2: a record longer than 1000 bytes; skipped",
                file + ":3: not a complete JSON record (the file may be cut short); skipped");
    }

    @Test
    void aDocumentOverTheCapIsNotReadPastIt() throws IOException {
        assertThat(BoundedLines.document(new ByteArrayInputStream("{}".getBytes(StandardCharsets.UTF_8)), 2)).contains("{}");
        var endless = new java.io.InputStream() {
            long served;
            @Override public int read() { served++; return 'x'; }
        };
        assertThat(BoundedLines.document(endless, 1000)).isEmpty();
        assertThat(endless.served).isEqualTo(1001);
    }

    private static List<BoundedLines.Line> all(String text, int cap) throws IOException {
        List<BoundedLines.Line> out = new ArrayList<>();
        try (var lines = new BoundedLines(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), cap)) {
            Optional<BoundedLines.Line> next;
            while ((next = lines.next()).isPresent()) out.add(next.get());
        }
        return out;
    }
}
