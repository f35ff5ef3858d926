package dev.lathe.protocol.wire;

import java.io.StringWriter;
import java.util.SortedMap;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.json.JsonFactory;

/**
 * A JSON object of strings written with Jackson's streaming generator, not {@link WireJson}'s mapper: what a client
 * sends before its first prompt (its environment's header) must not pay the mapper's first use, ~40 ms on a cold JVM
 * (its type tables, date formats and time zones) on the way to a daemon-backed {@code lathe run}'s first model request.
 * The bytes are the mapper's for the same sorted map ({@code FlatJsonTest}).
 */
public final class FlatJson {
    private static final JsonFactory JSON = new JsonFactory();

    private FlatJson() {}

    /** {@code {"name":"value",...}} in the map's order. */
    public static String write(SortedMap<String, String> strings) {
        var out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            strings.forEach(g::writeStringProperty);
            g.writeEndObject();
        }
        return out.toString();
    }
}
