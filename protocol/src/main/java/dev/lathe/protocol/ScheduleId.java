package dev.lathe.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;

/** Id of a schedule (DESIGN §18 "Schedules"): {@code sch_} followed by a time-ordered, lexicographically sortable suffix. */
public record ScheduleId(@JsonValue String value) implements Comparable<ScheduleId> {
    public static final String PREFIX = "sch_";

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public ScheduleId {
        Objects.requireNonNull(value, "value");
        if (!value.startsWith(PREFIX)) throw new IllegalArgumentException("not a schedule id: " + value);
    }

    public static ScheduleId next() { return new ScheduleId(Ids.next(PREFIX)); }

    @Override public int compareTo(ScheduleId other) { return value.compareTo(other.value); }
    @Override public String toString() { return value; }
}
