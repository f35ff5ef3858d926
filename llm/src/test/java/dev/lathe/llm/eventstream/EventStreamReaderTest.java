package dev.lathe.llm.eventstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.llm.Codecs;
import dev.lathe.llm.Fixtures;
import dev.lathe.llm.LlmEvent;
import dev.lathe.llm.StreamDecoder;
import dev.lathe.llm.debug.MergedResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class EventStreamReaderTest {
    private static List<EventStreamMessage> readAll(byte[] bytes) throws IOException {
        var reader = new EventStreamReader(new ByteArrayInputStream(bytes));
        List<EventStreamMessage> out = new ArrayList<>();
        for (Optional<EventStreamMessage> m = reader.next(); m.isPresent(); m = reader.next()) out.add(m.get());
        return out;
    }

    private static byte[] concat(byte[]... parts) {
        var out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    @Test
    void everyHeaderTypeSurvivesARoundTrip() throws IOException {
        Map<String, HeaderValue> headers = new LinkedHashMap<>();
        headers.put("t", new HeaderValue.Bool(true));
        headers.put("f", new HeaderValue.Bool(false));
        headers.put("byte", new HeaderValue.Byte((byte) -7));
        headers.put("short", new HeaderValue.Short((short) -12_345));
        headers.put("int", new HeaderValue.Int(0x7eadbeef));
        headers.put("long", new HeaderValue.Long(-1L << 40));
        headers.put("bytes", new HeaderValue.Bytes(new byte[] {0, 1, (byte) 0xff}));
        headers.put("string", new HeaderValue.Text("héllo"));
        headers.put("time", new HeaderValue.Timestamp(Instant.ofEpochMilli(1_735_787_045_123L)));
        headers.put("uuid", new HeaderValue.Uuid(UUID.fromString("123e4567-e89b-12d3-a456-426614174000")));
        var message = new EventStreamMessage(headers, "{\"x\":1}".getBytes(StandardCharsets.UTF_8));

        List<EventStreamMessage> read = readAll(concat(EventStreamWriter.encode(message), EventStreamWriter.event("b", "{}")));

        assertThat(read).hasSize(2);
        assertThat(read.get(0)).isEqualTo(message);
        assertThat(List.copyOf(read.get(0).headers().keySet())).containsExactlyElementsOf(headers.keySet());
        assertThat(read.get(1).text(":event-type")).contains("b");
    }

    @Test
    void theLayoutIsTheSpecsPreludeHeadersPayloadAndChecksums() {
        byte[] frame = EventStreamWriter.encode(new EventStreamMessage(Map.of("a", new HeaderValue.Text("b")), new byte[] {42}));
        ByteBuffer b = ByteBuffer.wrap(frame);
        // prelude (12) + header (name length 1, "a", type 7, value length 0x0001, "b": 6) + payload (1) + message CRC (4)
        assertThat(b.getInt(0)).isEqualTo(frame.length).isEqualTo(12 + 6 + 1 + 4);
        assertThat(b.getInt(4)).isEqualTo(6);
        assertThat(java.util.Arrays.copyOfRange(frame, 12, 18)).containsExactly(1, 'a', 7, 0, 1, 'b');
        assertThat(frame[18]).isEqualTo((byte) 42);
        var crc = new java.util.zip.CRC32();
        crc.update(frame, 0, 8);
        assertThat(Integer.toUnsignedLong(b.getInt(8))).isEqualTo(crc.getValue());
    }

    @Test
    void aCorruptedPayloadFailsTheMessageChecksum() {
        byte[] frame = EventStreamWriter.event("contentBlockDelta", "{\"delta\":{\"text\":\"hi\"}}");
        frame[frame.length - 8] ^= 0x01;
        assertThatThrownBy(() -> readAll(frame)).isInstanceOf(EventStreamException.class).hasMessageContaining("message checksum mismatch");
    }

    @Test
    void aCorruptedLengthFailsThePreludeChecksum() {
        byte[] frame = EventStreamWriter.event("messageStop", "{}");
        frame[3] ^= 0x10;
        assertThatThrownBy(() -> readAll(frame)).isInstanceOf(EventStreamException.class).hasMessageContaining("prelude checksum mismatch");
    }

    @Test
    void aStreamThatEndsInsideAMessageIsTruncatedNotCorrupt() throws IOException {
        byte[] frame = EventStreamWriter.event("messageStop", "{\"stopReason\":\"end_turn\"}");
        byte[] cut = java.util.Arrays.copyOf(frame, frame.length - 3);
        assertThatThrownBy(() -> readAll(cut)).isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> readAll(java.util.Arrays.copyOf(frame, 5))).isInstanceOf(EOFException.class);
        assertThat(readAll(new byte[0])).isEmpty();
    }

    @Test
    void payloadLinesNameTheEventOrTheException() {
        var event = new EventStreamMessage(EventStreamWriter.texts(":message-type", "event", ":event-type", "messageStop"),
                "{\"stopReason\":\"end_turn\"}".getBytes(StandardCharsets.UTF_8));
        var exception = new EventStreamMessage(EventStreamWriter.texts(":message-type", "exception", ":exception-type", "throttlingException"),
                "{\"message\":\"slow \\\"down\\\"\"}".getBytes(StandardCharsets.UTF_8));
        var error = new EventStreamMessage(EventStreamWriter.texts(":message-type", "error", ":error-code", "InternalError", ":error-message", "boom"),
                new byte[0]);
        var empty = new EventStreamMessage(EventStreamWriter.texts(":message-type", "event", ":event-type", "initial-response"), new byte[0]);

        assertThat(EventStreamPayloads.asJsonLine(event)).contains("{\"messageStop\":{\"stopReason\":\"end_turn\"}}");
        assertThat(EventStreamPayloads.asJsonLine(exception)).contains("{\"throttlingException\":{\"message\":\"slow \\\"down\\\"\"}}");
        assertThat(EventStreamPayloads.asJsonLine(error)).contains("{\"InternalError\":{\"message\":\"boom\"}}");
        assertThat(EventStreamPayloads.asJsonLine(empty)).contains("{\"initial-response\":{}}");
        assertThat(EventStreamPayloads.asJsonLine(new EventStreamMessage(Map.of(), new byte[0]))).isEmpty();
    }

    /**
     * The TestBedrock* cassettes are Bedrock InvokeModel (Anthropic Messages bodies), not Converse, but their bodies are
     * real AWS event-stream bytes: every frame must read back as the recording's decoded form, with valid checksums.
     */
    @Test
    void readsTheRecordedBedrockBinaryStreams() throws IOException {
        List<Fixtures.Entry> cassettes = Fixtures.entries("other").stream().filter(e -> e.file().contains("TestBedrock") && e.format().contains("event-stream")).toList();
        assertThat(cassettes).hasSize(5);
        int frames = 0;
        for (Fixtures.Entry entry : cassettes) {
            for (JsonNode interaction : Fixtures.JSON.readTree(Fixtures.read(entry.file())).path("interactions")) {
                JsonNode response = interaction.path("response");
                List<EventStreamMessage> read = readAll(Base64.getDecoder().decode(response.path("body_base64").asString()));
                JsonNode expected = response.path("decoded_event_stream");
                assertThat(read).as(entry.file()).hasSize(expected.size());
                for (int i = 0; i < read.size(); i++) {
                    EventStreamMessage m = read.get(i);
                    JsonNode want = expected.get(i);
                    assertThat(EventStreamWriter.encode(m)).hasSize(want.path("total_length").asInt());
                    want.path("headers").properties().forEach(h -> assertThat(m.text(h.getKey())).contains(h.getValue().asString()));
                    assertThat(Fixtures.JSON.readTree(m.payloadText())).isEqualTo(want.path("payload"));
                    frames++;
                }
            }
        }
        assertThat(frames).isEqualTo(9 + 10 + 22 + 32 + 6 + 11 + 23);
    }

    /** The recorded chunks carry Anthropic stream events (base64 in {@code bytes}): they decode to the recorded answer. */
    @Test
    void theRecordedInvokeModelChunksAreAnthropicEvents() throws IOException {
        JsonNode response = Fixtures.JSON.readTree(Fixtures.read("other/charmbracelet-fantasy/TestBedrockBasicAuth/simple_streaming.cassette.json"))
                .path("interactions").get(0).path("response");
        StreamDecoder decoder = Codecs.find("anthropic-messages").orElseThrow().streamDecoder();
        List<LlmEvent> events = new ArrayList<>();
        for (EventStreamMessage m : readAll(Base64.getDecoder().decode(response.path("body_base64").asString()))) {
            assertThat(m.text(":event-type")).contains("chunk");
            byte[] inner = Base64.getDecoder().decode(Fixtures.JSON.readTree(m.payloadText()).path("bytes").asString());
            events.addAll(decoder.decode(new String(inner, StandardCharsets.UTF_8)));
        }
        MergedResponse merged = MergedResponse.of(events);
        assertThat(merged.error()).isEmpty();
        assertThat(merged.text()).startsWith("Olá!");
    }
}
