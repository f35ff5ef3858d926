package dev.lathe.mcp.bridge;

import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * A server's input schema as the JSON text Lathe offers the model. It is passed through as the server gave it (the
 * server validates the call), with only what providers refuse at the top level mended: the root must be an
 * {@code object} with {@code properties}, and the {@code $schema} marker some providers reject is dropped. Provider
 * specific strictness (Gemini's subset, OpenAI strict mode) stays with the provider codecs, as for built-ins.
 */
final class InputSchemas {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private InputSchemas() {}

    static String toJson(Map<String, Object> schema) {
        Map<String, Object> root = new LinkedHashMap<>(schema == null ? Map.of() : schema);
        root.remove("$schema");
        root.put("type", "object");
        root.putIfAbsent("properties", Map.of());
        return JSON.writeValueAsString(root);
    }
}
