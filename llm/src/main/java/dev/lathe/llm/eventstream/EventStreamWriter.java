package dev.lathe.llm.eventstream;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Encodes messages in the layout {@link EventStreamReader} reads; tests and fakes use it to serve real frames. */
public final class EventStreamWriter {
    private EventStreamWriter() {}

    public static byte[] encode(EventStreamMessage message) {
        byte[] headers = headers(message.headers());
        byte[] payload = message.payload();
        int total = EventStreamReader.PRELUDE_LENGTH + headers.length + payload.length + EventStreamReader.CRC_LENGTH;
        ByteBuffer b = ByteBuffer.allocate(total);
        b.putInt(total).putInt(headers.length);
        b.putInt((int) EventStreamReader.crc(b.array(), 0, 8));
        b.put(headers).put(payload);
        b.putInt((int) EventStreamReader.crc(b.array(), 0, total - EventStreamReader.CRC_LENGTH));
        return b.array();
    }

    /** An {@code event} message as AWS services send them: {@code :event-type}, JSON content type and the payload. */
    public static byte[] event(String eventType, String json) {
        return encode(new EventStreamMessage(texts(":event-type", eventType, ":content-type", "application/json", ":message-type", "event"),
                json.getBytes(StandardCharsets.UTF_8)));
    }

    /** An {@code exception} message: the modelled error of a stream that already answered 200. */
    public static byte[] exception(String exceptionType, String json) {
        return encode(new EventStreamMessage(texts(":exception-type", exceptionType, ":content-type", "application/json", ":message-type", "exception"),
                json.getBytes(StandardCharsets.UTF_8)));
    }

    /** String headers in the given order (names and values alternating). */
    public static Map<String, HeaderValue> texts(String... namesAndValues) {
        Map<String, HeaderValue> out = new LinkedHashMap<>();
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) out.put(namesAndValues[i], new HeaderValue.Text(namesAndValues[i + 1]));
        return out;
    }

    private static byte[] headers(Map<String, HeaderValue> headers) {
        var out = new ByteArrayOutputStream();
        headers.forEach((name, value) -> {
            byte[] n = name.getBytes(StandardCharsets.UTF_8);
            if (n.length == 0 || n.length > 255) throw new IllegalArgumentException("header name must be 1-255 bytes: " + name);
            out.write(n.length);
            out.writeBytes(n);
            out.write(value.wireType());
            switch (value) {
                case HeaderValue.Bool _ -> { }
                case HeaderValue.Byte v -> out.write(v.value());
                case HeaderValue.Short v -> out.writeBytes(ByteBuffer.allocate(2).putShort(v.value()).array());
                case HeaderValue.Int v -> out.writeBytes(ByteBuffer.allocate(4).putInt(v.value()).array());
                case HeaderValue.Long v -> out.writeBytes(ByteBuffer.allocate(8).putLong(v.value()).array());
                case HeaderValue.Bytes v -> writeSized(out, v.value());
                case HeaderValue.Text v -> writeSized(out, v.value().getBytes(StandardCharsets.UTF_8));
                case HeaderValue.Timestamp v -> out.writeBytes(ByteBuffer.allocate(8).putLong(v.value().toEpochMilli()).array());
                case HeaderValue.Uuid v -> out.writeBytes(ByteBuffer.allocate(16).putLong(v.value().getMostSignificantBits())
                        .putLong(v.value().getLeastSignificantBits()).array());
            }
        });
        return out.toByteArray();
    }

    private static void writeSized(ByteArrayOutputStream out, byte[] bytes) {
        if (bytes.length > 0xffff) throw new IllegalArgumentException("header value longer than 65535 bytes");
        out.write(bytes.length >>> 8);
        out.write(bytes.length);
        out.writeBytes(bytes);
    }
}
