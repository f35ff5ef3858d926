package dev.lathe.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;

/** Id of a project: {@code prj_} followed by a time-ordered, lexicographically sortable suffix. */
public record ProjectId(@JsonValue String value) implements Comparable<ProjectId> {
    public static final String PREFIX = "prj_";

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public ProjectId {
        Objects.requireNonNull(value, "value");
        if (!value.startsWith(PREFIX)) throw new IllegalArgumentException("not a project id: " + value);
    }

    public static ProjectId next() { return new ProjectId(Ids.next(PREFIX)); }

    @Override public int compareTo(ProjectId other) { return value.compareTo(other.value); }
    @Override public String toString() { return value; }
}
