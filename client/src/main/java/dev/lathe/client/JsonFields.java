package dev.lathe.client;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.json.JsonFactory;

/**
 * One JSON object walked field by field with Jackson's streaming parser: how the client reads the small documents of
 * its start ({@link DiscoveryJson}, {@link StartJson}) without the data-binding mapper, whose first use costs ~45 ms
 * on a cold JVM. Like the mapper, it ignores what follows the object.
 */
final class JsonFields {
    static final JsonFactory JSON = new JsonFactory();

    /** Called on each property, the parser on its value; a value it does not read it skips ({@code skipChildren}). */
    @FunctionalInterface
    interface Field {
        void read(JsonParser parser, String name, JsonToken value);
    }

    private JsonFields() {}

    /** @throws IllegalArgumentException naming {@code what} when {@code json} is not one JSON object */
    static void read(String json, String what, Field field) {
        try (JsonParser p = JSON.createParser(json)) {
            walk(p, what, field);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not " + what + ": " + e.getOriginalMessage(), e);
        }
    }

    /** {@link #read(String, String, Field)} of UTF-8 bytes. */
    static void read(byte[] json, String what, Field field) {
        try (JsonParser p = JSON.createParser(json)) {
            walk(p, what, field);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not " + what + ": " + e.getOriginalMessage(), e);
        }
    }

    private static void walk(JsonParser p, String what, Field field) {
        if (p.nextToken() != JsonToken.START_OBJECT) throw new IllegalArgumentException("not " + what + ": not a JSON object");
        properties(p, field);
        if (p.currentToken() != JsonToken.END_OBJECT) throw new IllegalArgumentException("not " + what + ": malformed");
    }

    /** Each property of the object the parser stands at the start of, up to its end (a nested object's walk). */
    static void properties(JsonParser p, Field field) {
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = p.currentName();
            field.read(p, name, p.nextToken());
        }
    }
}
