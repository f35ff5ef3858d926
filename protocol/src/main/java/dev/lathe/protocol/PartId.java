package dev.lathe.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;

/** Id of a part: {@code prt_} followed by a time-ordered, lexicographically sortable suffix. */
public record PartId(@JsonValue String value) implements Comparable<PartId> {
    public static final String PREFIX = "prt_";

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public PartId {
        Objects.requireNonNull(value, "value");
        if (!value.startsWith(PREFIX)) throw new IllegalArgumentException("not a part id: " + value);
    }

    public static PartId next() { return new PartId(Ids.next(PREFIX)); }

    @Override public int compareTo(PartId other) { return value.compareTo(other.value); }
    @Override public String toString() { return value; }
}
