package dev.lathe.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;

/** Id of a permission: {@code prm_} followed by a time-ordered, lexicographically sortable suffix. */
public record PermissionId(@JsonValue String value) implements Comparable<PermissionId> {
    public static final String PREFIX = "prm_";

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public PermissionId {
        Objects.requireNonNull(value, "value");
        if (!value.startsWith(PREFIX)) throw new IllegalArgumentException("not a permission id: " + value);
    }

    public static PermissionId next() { return new PermissionId(Ids.next(PREFIX)); }

    @Override public int compareTo(PermissionId other) { return value.compareTo(other.value); }
    @Override public String toString() { return value; }
}
