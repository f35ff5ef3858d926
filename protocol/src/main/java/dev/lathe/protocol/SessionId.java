package dev.lathe.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;

/** Id of a session: {@code ses_} followed by a time-ordered, lexicographically sortable suffix. */
public record SessionId(@JsonValue String value) implements Comparable<SessionId> {
    public static final String PREFIX = "ses_";

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public SessionId {
        Objects.requireNonNull(value, "value");
        if (!value.startsWith(PREFIX)) throw new IllegalArgumentException("not a session id: " + value);
    }

    public static SessionId next() { return new SessionId(Ids.next(PREFIX)); }

    @Override public int compareTo(SessionId other) { return value.compareTo(other.value); }
    // Written out, as the record's own would be: its generated ones are bootstrapped at their first call, method handles
    // spun on a lathe run client's way to its first request (a session id keys its sets and maps; issue 70)
    @Override public boolean equals(Object other) { return other instanceof SessionId id && value.equals(id.value); }
    @Override public int hashCode() { return value.hashCode(); }
    @Override public String toString() { return value; }
}
