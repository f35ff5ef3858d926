package dev.lathe.core.config;

import java.util.HashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A JSON-with-comments document parsed into a tree plus the line of every key path ({@code provider.local.baseUrl}),
 * so validation errors can point at the line. Public for the other readers of JSON files that report file, line and key
 * ({@code core.claudeplugin}'s plugin manifests).
 */
public record LocatedJson(String source, ObjectNode root, Map<String, Integer> lines) {
    // a parser factory, not a mapper: building a JsonMapper sets up databind (~20 ms of the first request's path on a
    // cold start) and nothing here binds
    private static final JsonFactory JSONC = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS, JsonReadFeature.ALLOW_TRAILING_COMMA,
                    JsonReadFeature.ALLOW_SINGLE_QUOTES, JsonReadFeature.ALLOW_YAML_COMMENTS)
            .build();

    /** The line of {@code path} ({@code a.b[2].c}), or of its nearest parent that has one; 0 when none. */
    public int lineOf(String path) {
        String p = path;
        while (true) {
            Integer line = lines.get(p);
            if (line != null) return line;
            int dot = p.lastIndexOf('.');
            if (dot < 0) return 0;
            p = p.substring(0, dot);
        }
    }

    /**
     * Parses {@code text} (JSON with comments and trailing commas) named {@code source} in errors.
     *
     * @throws ConfigException naming the source and line when it is not a JSON object
     */
    public static LocatedJson parse(String source, String text) {
        Map<String, Integer> lines = new HashMap<>();
        try (JsonParser p = JSONC.createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == null) return new LocatedJson(source, JsonNodeFactory.instance.objectNode(), lines);
            if (first != JsonToken.START_OBJECT) {
                throw new ConfigException(source, p.currentTokenLocation().getLineNr(), "", "the configuration must be a JSON object");
            }
            ObjectNode root = readObject(p, "", lines);
            if (p.nextToken() != null) {
                throw new ConfigException(source, p.currentTokenLocation().getLineNr(), "", "unexpected content after the closing brace");
            }
            return new LocatedJson(source, root, lines);
        } catch (JacksonException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            int column = e.getLocation() == null ? 0 : e.getLocation().getColumnNr();
            throw new ConfigException(source, line, column, "", "invalid JSON: " + e.getOriginalMessage());
        }
    }

    private static ObjectNode readObject(JsonParser p, String path, Map<String, Integer> lines) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = p.currentName();
            String child = path.isEmpty() ? name : path + "." + name;
            lines.put(child, p.currentTokenLocation().getLineNr());
            p.nextToken();
            node.set(name, readValue(p, child, lines));
        }
        return node;
    }

    private static JsonNode readValue(JsonParser p, String path, Map<String, Integer> lines) {
        return switch (p.currentToken()) {
            case START_OBJECT -> readObject(p, path, lines);
            case START_ARRAY -> {
                ArrayNode array = JsonNodeFactory.instance.arrayNode();
                int i = 0;
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    String child = path + "[" + i++ + "]";
                    lines.put(child, p.currentTokenLocation().getLineNr());
                    array.add(readValue(p, child, lines));
                }
                yield array;
            }
            case VALUE_STRING -> JsonNodeFactory.instance.stringNode(p.getString());
            case VALUE_NUMBER_INT -> JsonNodeFactory.instance.numberNode(p.getLongValue());
            case VALUE_NUMBER_FLOAT -> JsonNodeFactory.instance.numberNode(p.getDoubleValue());
            case VALUE_TRUE -> JsonNodeFactory.instance.booleanNode(true);
            case VALUE_FALSE -> JsonNodeFactory.instance.booleanNode(false);
            default -> JsonNodeFactory.instance.nullNode();
        };
    }
}
