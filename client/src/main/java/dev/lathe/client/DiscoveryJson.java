package dev.lathe.client;

import java.util.Optional;
import tools.jackson.core.JsonToken;

/**
 * Reads the two small documents {@link ServerDiscovery} needs with Jackson's streaming parser: on a cold JVM the
 * first use of the data-binding mapper costs about 80 ms, more than finding the server should. Unknown fields are
 * skipped, as the mapper would.
 */
final class DiscoveryJson {
    private DiscoveryJson() {}

    /** {@code {url, token, pid, version, managed}} ({@code managed} may be missing: an older server's); empty when it is not an object with all four, of the right types. */
    static Optional<ServerEndpoint> endpoint(byte[] json) {
        var e = new Object() {
            String url, token, version, managed;
            Long pid;
        };
        try {
            JsonFields.read(json, "server.json", (p, field, value) -> {
                switch (field) {
                    case "url" -> e.url = value == JsonToken.VALUE_STRING ? p.getString() : null;
                    case "token" -> e.token = value == JsonToken.VALUE_STRING ? p.getString() : null;
                    case "version" -> e.version = value == JsonToken.VALUE_STRING ? p.getString() : null;
                    case "pid" -> e.pid = value == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : null;
                    case "managed" -> e.managed = value == JsonToken.VALUE_STRING ? p.getString() : null;
                    default -> { }
                }
                p.skipChildren();  // an object or array, known field or not (a no-op for a plain value)
            });
        } catch (IllegalArgumentException malformed) {
            return Optional.empty();
        }
        if (e.url == null || e.token == null || e.version == null || e.pid == null) return Optional.empty();
        return Optional.of(new ServerEndpoint(e.url, e.token, e.pid, e.version, e.managed));
    }

    /** True when {@code json} is an object whose {@code healthy} is {@code true}; false for anything else. */
    static boolean isHealthy(byte[] json) {
        boolean[] healthy = new boolean[1];
        try {
            JsonFields.read(json, "a health answer", (p, field, value) -> {
                if (field.equals("healthy")) healthy[0] = value == JsonToken.VALUE_TRUE;
                p.skipChildren();
            });
        } catch (IllegalArgumentException malformed) {
            return false;
        }
        return healthy[0];
    }
}
