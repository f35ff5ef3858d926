package dev.lathe.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;

/** Id of an agent team (DESIGN §18 "Agent teams"): {@code team_} followed by a time-ordered, lexicographically sortable suffix. */
public record TeamId(@JsonValue String value) implements Comparable<TeamId> {
    public static final String PREFIX = "team_";

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public TeamId {
        Objects.requireNonNull(value, "value");
        if (!value.startsWith(PREFIX)) throw new IllegalArgumentException("not a team id: " + value);
    }

    public static TeamId next() { return new TeamId(Ids.next(PREFIX)); }

    @Override public int compareTo(TeamId other) { return value.compareTo(other.value); }
    @Override public String toString() { return value; }
}
