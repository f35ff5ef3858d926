package dev.lathe.core.config;

import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** JSON merge patch (RFC 7396) on trees: objects merge key by key, {@code null} removes a key, anything else replaces. */
final class MergePatch {
    private MergePatch() {}

    /** {@code target} with {@code patch} applied; neither argument is changed. */
    static ObjectNode apply(ObjectNode target, ObjectNode patch) {
        ObjectNode out = target.deepCopy();
        for (Map.Entry<String, JsonNode> e : patch.properties()) {
            JsonNode value = e.getValue();
            JsonNode existing = out.get(e.getKey());
            if (value.isNull()) {
                out.remove(e.getKey());
            } else if (value instanceof ObjectNode object) {
                out.set(e.getKey(), apply(existing instanceof ObjectNode o ? o : out.objectNode(), object));
            } else {
                out.set(e.getKey(), value.deepCopy());
            }
        }
        return out;
    }

    /** What a patch value becomes where nothing was: objects lose their {@code null} members, recursively. */
    static JsonNode withoutNulls(JsonNode value) {
        if (value instanceof ObjectNode object) return apply(object.objectNode(), object);
        if (value instanceof ArrayNode) return value.deepCopy();  // arrays are values: their nulls stay (RFC 7396 §2)
        return value;
    }
}
