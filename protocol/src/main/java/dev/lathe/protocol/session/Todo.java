package dev.lathe.protocol.session;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Objects;

/**
 * One entry of a session's todo list, written by the model through the {@code todo} tool. The list lives beside the
 * messages, not in them, so compaction never loses it.
 */
public record Todo(String content, Status status, Priority priority) {
    public Todo {
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(priority, "priority");
    }

    /** Wire values {@code pending | in_progress | completed | cancelled}. */
    public enum Status {
        PENDING, IN_PROGRESS, COMPLETED, CANCELLED;

        @JsonValue public String wire() { return name().toLowerCase(Locale.ROOT); }

        @JsonCreator public static Status fromWire(String value) {
            for (var s : values()) if (s.wire().equals(value)) return s;
            throw new IllegalArgumentException("status must be pending, in_progress, completed or cancelled, not '" + value + "'");
        }
    }

    /** Wire values {@code high | medium | low}. */
    public enum Priority {
        HIGH, MEDIUM, LOW;

        @JsonValue public String wire() { return name().toLowerCase(Locale.ROOT); }

        @JsonCreator public static Priority fromWire(String value) {
            for (var p : values()) if (p.wire().equals(value)) return p;
            throw new IllegalArgumentException("priority must be high, medium or low, not '" + value + "'");
        }
    }
}
