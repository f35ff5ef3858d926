package dev.lathe.llm;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** JSON the encoders of every protocol read from a request: tool schemas and the arguments of earlier calls. */
public final class WireJson {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private WireJson() {}

    /** A tool's parameter schema; a schema that is not JSON is a programming error in the tool. */
    public static JsonNode schema(String text) {
        try {
            return JSON.readTree(text);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("tool schema is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Call arguments as a JSON object, which every protocol requires; malformed arguments from a model become {@code {}}. */
    public static ObjectNode objectOrEmpty(String json) {
        try {
            JsonNode n = JSON.readTree(json);
            return n != null && n.isObject() ? (ObjectNode) n : JSON.createObjectNode();
        } catch (JacksonException e) {
            return JSON.createObjectNode();
        }
    }
}
