package dev.lathe.llm.gemini;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The arguments of a function call that Vertex AI streams piecewise ({@code functionCall.partialArgs}): each piece
 * names a value by JSON path ({@code $.recipe.steps[1]}) and carries a {@code stringValue}, {@code numberValue},
 * {@code boolValue} or {@code nullValue}. A string arrives in fragments under one path, so string pieces append; other
 * values replace. Objects and arrays along a path are created as needed.
 */
final class PartialArgs {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ObjectNode root;

    PartialArgs(ObjectNode initial) {
        this.root = initial;
    }

    /** Applies one {@code partialArgs} entry; an entry whose path cannot be read is skipped. */
    void apply(JsonNode piece) {
        List<Object> path = path(piece.path("jsonPath").asString(""));
        if (path == null || path.isEmpty()) return;
        JsonNode container = root;
        for (int i = 0; i < path.size() - 1; i++) {
            container = child(container, path.get(i), path.get(i + 1) instanceof Integer ? NODES.arrayNode() : NODES.objectNode());
            if (container == null) return;
        }
        Object last = path.getLast();
        if (piece.has("stringValue")) {
            JsonNode existing = get(container, last);
            String prefix = existing != null && existing.isString() ? existing.asString() : "";
            put(container, last, NODES.stringNode(prefix + piece.path("stringValue").asString("")));
        } else if (piece.has("numberValue")) {
            put(container, last, piece.path("numberValue"));
        } else if (piece.has("boolValue")) {
            put(container, last, NODES.booleanNode(piece.path("boolValue").asBoolean()));
        } else if (piece.has("nullValue")) {
            put(container, last, NODES.nullNode());
        }
    }

    ObjectNode json() { return root; }

    /** The child under {@code key}, created as {@code fresh} when absent or of the wrong kind. */
    private static JsonNode child(JsonNode container, Object key, JsonNode fresh) {
        JsonNode existing = get(container, key);
        if (existing != null && existing.isContainer() && existing.isArray() == fresh.isArray()) return existing;
        return put(container, key, fresh) ? fresh : null;
    }

    private static JsonNode get(JsonNode container, Object key) {
        return switch (key) {
            case String name when container instanceof ObjectNode o -> o.get(name);
            case Integer index when container instanceof ArrayNode a -> index < a.size() ? a.get(index) : null;
            default -> null;
        };
    }

    private static boolean put(JsonNode container, Object key, JsonNode value) {
        switch (key) {
            case String name when container instanceof ObjectNode o -> o.set(name, value);
            case Integer index when container instanceof ArrayNode a -> {
                while (a.size() <= index) a.addNull();
                a.set(index, value);
            }
            default -> { return false; }
        }
        return true;
    }

    /** {@code $.a.b[0]['c d']} → {@code [a, b, 0, c d]}; null when the path is not of that form. */
    static List<Object> path(String jsonPath) {
        if (!jsonPath.startsWith("$")) return null;
        List<Object> out = new ArrayList<>();
        int i = 1;
        while (i < jsonPath.length()) {
            char c = jsonPath.charAt(i);
            if (c == '.') {
                int end = i + 1;
                while (end < jsonPath.length() && jsonPath.charAt(end) != '.' && jsonPath.charAt(end) != '[') end++;
                if (end == i + 1) return null;
                out.add(jsonPath.substring(i + 1, end));
                i = end;
            } else if (c == '[') {
                int close = jsonPath.indexOf(']', i);
                if (close < 0) return null;
                String inside = jsonPath.substring(i + 1, close);
                if (inside.length() >= 2 && (inside.charAt(0) == '\'' || inside.charAt(0) == '"')) {
                    out.add(inside.substring(1, inside.length() - 1));
                } else {
                    try {
                        int index = Integer.parseInt(inside);
                        if (index < 0) return null;
                        out.add(index);
                    } catch (NumberFormatException e) {
                        return null;
                    }
                }
                i = close + 1;
            } else {
                return null;
            }
        }
        return out;
    }
}
