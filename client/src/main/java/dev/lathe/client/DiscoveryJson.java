package dev.lathe.client;

import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.json.JsonFactory;

/**
 * Reads the two small documents {@link ServerDiscovery} needs with Jackson's streaming parser: on a cold JVM the
 * first use of the data-binding mapper costs about 80 ms, more than finding the server should. Unknown fields are
 * skipped, as the mapper would.
 */
final class DiscoveryJson {
    private static final JsonFactory JSON = new JsonFactory();

    private DiscoveryJson() {}

    /** {@code {url, token, pid, version}}; empty when it is not an object with all four, of the right types. */
    static Optional<ServerEndpoint> endpoint(byte[] json) {
        String url = null;
        String token = null;
        String version = null;
        Long pid = null;
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) return Optional.empty();
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "url" -> url = value == JsonToken.VALUE_STRING ? p.getString() : null;
                    case "token" -> token = value == JsonToken.VALUE_STRING ? p.getString() : null;
                    case "version" -> version = value == JsonToken.VALUE_STRING ? p.getString() : null;
                    case "pid" -> pid = value == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : null;
                    default -> { }
                }
                p.skipChildren();  // an object or array, known field or not (a no-op for a plain value)
            }
            if (p.currentToken() != JsonToken.END_OBJECT) return Optional.empty();
        } catch (JacksonException e) {
            return Optional.empty();
        }
        if (url == null || token == null || version == null || pid == null) return Optional.empty();
        return Optional.of(new ServerEndpoint(url, token, pid, version));
    }

    /** True when {@code json} is an object whose {@code healthy} is {@code true}; false for anything else. */
    static boolean isHealthy(byte[] json) {
        boolean healthy = false;
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) return false;
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (field.equals("healthy")) healthy = value == JsonToken.VALUE_TRUE;
                p.skipChildren();
            }
            return healthy && p.currentToken() == JsonToken.END_OBJECT;
        } catch (JacksonException e) {
            return false;
        }
    }
}
