package dev.lathe.llm.eventstream;

import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.UUID;

/**
 * One typed header value of an event-stream message. The wire type byte of each kind is its {@link #wireType()}, as
 * the AWS event-stream encoding defines it (0 and 1 are the two booleans, which carry no value bytes).
 */
public sealed interface HeaderValue {
    int wireType();

    record Bool(boolean value) implements HeaderValue {
        @Override public int wireType() { return value ? 0 : 1; }
    }

    record Byte(byte value) implements HeaderValue {
        @Override public int wireType() { return 2; }
    }

    record Short(short value) implements HeaderValue {
        @Override public int wireType() { return 3; }
    }

    record Int(int value) implements HeaderValue {
        @Override public int wireType() { return 4; }
    }

    record Long(long value) implements HeaderValue {
        @Override public int wireType() { return 5; }
    }

    /** Compared by content, unlike a plain array component. */
    record Bytes(byte[] value) implements HeaderValue {
        public Bytes {
            value = value.clone();
        }

        @Override public byte[] value() { return value.clone(); }

        @Override public int wireType() { return 6; }

        @Override public boolean equals(Object o) { return o instanceof Bytes b && Arrays.equals(value, b.value); }

        @Override public int hashCode() { return Arrays.hashCode(value); }

        @Override public String toString() { return "Bytes[" + HexFormat.of().formatHex(value) + "]"; }
    }

    record Text(String value) implements HeaderValue {
        @Override public int wireType() { return 7; }
    }

    /** Milliseconds since the epoch on the wire. */
    record Timestamp(Instant value) implements HeaderValue {
        @Override public int wireType() { return 8; }
    }

    record Uuid(UUID value) implements HeaderValue {
        @Override public int wireType() { return 9; }
    }
}
