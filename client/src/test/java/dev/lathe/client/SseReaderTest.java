package dev.lathe.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SseReaderTest {
    private static List<SseReader.Frame> parse(String text) throws Exception {
        var frames = new ArrayList<SseReader.Frame>();
        try (var reader = new SseReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)))) {
            for (var f = reader.next(); f.isPresent(); f = reader.next()) frames.add(f.get());
        }
        return frames;
    }

    @Test
    void readsIdEventAndData() throws Exception {
        assertThat(parse("id: 7\nevent: session.created\ndata: {\"a\":1}\n\n")).containsExactly(
                new SseReader.Frame(Optional.of("7"), "session.created", "{\"a\":1}"));
    }

    @Test
    void joinsDataLinesSkipsCommentsAndHandlesCrLf() throws Exception {
        assertThat(parse(": hello\r\nid:1\r\ndata: {\r\ndata:  \"x\": 1\r\ndata: }\r\nretry: 10\r\n\r\n")).containsExactly(
                new SseReader.Frame(Optional.of("1"), "message", "{\n \"x\": 1\n}"));
    }

    @Test
    void ignoresFramesWithoutDataAndAnUnterminatedTail() throws Exception {
        assertThat(parse("event: x\n\nid: 2\ndata: a\n\nid: 3\ndata: cut off")).containsExactly(
                new SseReader.Frame(Optional.of("2"), "message", "a"));
    }

    @Test
    void keepsNonAsciiText() throws Exception {
        assertThat(parse("data: héllo ✓\n\n").getFirst().data()).isEqualTo("héllo ✓");
    }
}
