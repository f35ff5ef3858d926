package dev.lathe.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;

/** Id of a message: {@code msg_} followed by a time-ordered, lexicographically sortable suffix. */
public record MessageId(@JsonValue String value) implements Comparable<MessageId> {
    public static final String PREFIX = "msg_";

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public MessageId {
        Objects.requireNonNull(value, "value");
        if (!value.startsWith(PREFIX)) throw new IllegalArgumentException("not a message id: " + value);
    }

    public static MessageId next() { return new MessageId(Ids.next(PREFIX)); }

    @Override public int compareTo(MessageId other) { return value.compareTo(other.value); }
    @Override public String toString() { return value; }
}
