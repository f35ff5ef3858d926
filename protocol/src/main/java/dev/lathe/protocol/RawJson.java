package dev.lathe.protocol;

import java.util.Objects;

/**
 * A JSON document kept opaque: tool inputs as the model wrote them. The core stores and forwards it without
 * looking inside; only the tool executor parses it into a tool's {@code Args} record. On the wire it is
 * written as the JSON value itself, not as a string.
 */
public record RawJson(String json) {
    public static final RawJson EMPTY_OBJECT = new RawJson("{}");

    public RawJson {
        Objects.requireNonNull(json, "json");
    }

    @Override public String toString() { return json; }
}
