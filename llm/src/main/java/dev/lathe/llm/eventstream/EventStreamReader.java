package dev.lathe.llm.eventstream;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.zip.CRC32;

/**
 * Reads event-stream messages one at a time. Layout of a message: a 12-byte prelude (total length, headers length,
 * CRC32 of those 8 bytes), the headers, the payload, and a CRC32 of everything before it; all integers big-endian.
 * Both checksums are verified, so a corrupted or misaligned stream fails at the first bad message instead of
 * decoding garbage.
 */
public final class EventStreamReader {
    static final int PRELUDE_LENGTH = 12;
    static final int CRC_LENGTH = 4;
    /** The limits AWS services hold to: larger values can only come from a misaligned or corrupted stream. */
    static final long MAX_MESSAGE_LENGTH = 16L * 1024 * 1024;
    static final long MAX_HEADERS_LENGTH = 128L * 1024;

    private final InputStream in;

    public EventStreamReader(InputStream in) {
        this.in = in;
    }

    /**
     * The next message, or empty at a clean end of stream (between messages).
     *
     * @throws EventStreamException the bytes are corrupted (checksum, length or header layout)
     * @throws java.io.EOFException the stream ended inside a message
     */
    public Optional<EventStreamMessage> next() throws IOException {
        byte[] prelude = in.readNBytes(PRELUDE_LENGTH);
        if (prelude.length == 0) return Optional.empty();
        if (prelude.length < PRELUDE_LENGTH) throw new EOFException("the stream ended inside a message prelude");
        ByteBuffer p = ByteBuffer.wrap(prelude);
        long total = Integer.toUnsignedLong(p.getInt());
        long headersLength = Integer.toUnsignedLong(p.getInt());
        long preludeCrc = Integer.toUnsignedLong(p.getInt());
        if (crc(prelude, 0, 8) != preludeCrc) throw new EventStreamException("prelude checksum mismatch (corrupted or misaligned stream)");
        if (total < PRELUDE_LENGTH + CRC_LENGTH || total > MAX_MESSAGE_LENGTH) {
            throw new EventStreamException("impossible message length " + total);
        }
        if (headersLength > MAX_HEADERS_LENGTH || headersLength > total - PRELUDE_LENGTH - CRC_LENGTH) {
            throw new EventStreamException("impossible headers length " + headersLength + " in a message of " + total + " bytes");
        }
        int restLength = (int) total - PRELUDE_LENGTH;
        byte[] rest = in.readNBytes(restLength);
        if (rest.length < restLength) throw new EOFException("the stream ended inside a message (" + rest.length + " of " + restLength + " bytes after the prelude)");
        var messageCrc = new CRC32();
        messageCrc.update(prelude);
        messageCrc.update(rest, 0, restLength - CRC_LENGTH);
        long expected = Integer.toUnsignedLong(ByteBuffer.wrap(rest, restLength - CRC_LENGTH, CRC_LENGTH).getInt());
        if (messageCrc.getValue() != expected) throw new EventStreamException("message checksum mismatch (corrupted stream)");
        Map<String, HeaderValue> headers = headers(ByteBuffer.wrap(rest, 0, (int) headersLength));
        byte[] payload = new byte[restLength - (int) headersLength - CRC_LENGTH];
        System.arraycopy(rest, (int) headersLength, payload, 0, payload.length);
        return Optional.of(new EventStreamMessage(headers, payload));
    }

    private static Map<String, HeaderValue> headers(ByteBuffer b) throws EventStreamException {
        Map<String, HeaderValue> out = new LinkedHashMap<>();
        try {
            while (b.hasRemaining()) {
                int nameLength = Byte.toUnsignedInt(b.get());
                if (nameLength == 0) throw new EventStreamException("a header with an empty name");
                String name = utf8(b, nameLength);
                int type = Byte.toUnsignedInt(b.get());
                HeaderValue value = switch (type) {
                    case 0 -> new HeaderValue.Bool(true);
                    case 1 -> new HeaderValue.Bool(false);
                    case 2 -> new HeaderValue.Byte(b.get());
                    case 3 -> new HeaderValue.Short(b.getShort());
                    case 4 -> new HeaderValue.Int(b.getInt());
                    case 5 -> new HeaderValue.Long(b.getLong());
                    case 6 -> {
                        byte[] bytes = new byte[Short.toUnsignedInt(b.getShort())];
                        b.get(bytes);
                        yield new HeaderValue.Bytes(bytes);
                    }
                    case 7 -> new HeaderValue.Text(utf8(b, Short.toUnsignedInt(b.getShort())));
                    case 8 -> new HeaderValue.Timestamp(Instant.ofEpochMilli(b.getLong()));
                    case 9 -> new HeaderValue.Uuid(new UUID(b.getLong(), b.getLong()));
                    default -> throw new EventStreamException("header '" + name + "' has unknown value type " + type);
                };
                out.put(name, value);
            }
        } catch (BufferUnderflowException e) {
            throw new EventStreamException("a header runs past the end of the headers");
        }
        return out;
    }

    private static String utf8(ByteBuffer b, int length) {
        byte[] bytes = new byte[length];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    static long crc(byte[] bytes, int offset, int length) {
        var crc = new CRC32();
        crc.update(bytes, offset, length);
        return crc.getValue();
    }
}
