package dev.lathe.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;

/** Id of a question: {@code que_} followed by a time-ordered, lexicographically sortable suffix. */
public record QuestionId(@JsonValue String value) implements Comparable<QuestionId> {
    public static final String PREFIX = "que_";

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public QuestionId {
        Objects.requireNonNull(value, "value");
        if (!value.startsWith(PREFIX)) throw new IllegalArgumentException("not a question id: " + value);
    }

    public static QuestionId next() { return new QuestionId(Ids.next(PREFIX)); }

    @Override public int compareTo(QuestionId other) { return value.compareTo(other.value); }
    @Override public String toString() { return value; }
}
