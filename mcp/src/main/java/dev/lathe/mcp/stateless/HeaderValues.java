package dev.lathe.mcp.stateless;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Values mirrored from a request body into HTTP headers (2026-07-28 Streamable HTTP, "Request Metadata"):
 * {@code Mcp-Name}, and {@code Mcp-Param-{Name}} for each tool argument whose schema property says
 * {@code x-mcp-header: Name}. A value that is not plain visible ASCII (or has surrounding whitespace, or looks like
 * the sentinel) is sent as {@code =?base64?…?=} of its UTF-8 bytes, as the revision requires.
 */
final class HeaderValues {
    private static final String SENTINEL_START = "=?base64?";
    private static final String SENTINEL_END = "?=";

    private HeaderValues() {}

    /** {@code value} as a header value: as is when it is safe, else in the Base64 sentinel form. */
    static String encode(String value) {
        boolean safe = !value.isEmpty() && value.strip().equals(value)
                && !(value.startsWith(SENTINEL_START) && value.endsWith(SENTINEL_END));
        for (int i = 0; safe && i < value.length(); i++) {
            char c = value.charAt(i);
            safe = c == '\t' || (c >= 0x20 && c <= 0x7E);
        }
        return safe ? value : SENTINEL_START + Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)) + SENTINEL_END;
    }

    /**
     * The {@code Mcp-Param-*} headers of a call with {@code arguments} to a tool with {@code inputSchema}: each
     * property reachable from the root through {@code properties} alone that carries {@code x-mcp-header}, when the
     * arguments hold a string, integer or boolean at its path (absent or null: no header).
     */
    static Map<String, String> mirrored(Map<String, Object> inputSchema, Map<String, Object> arguments) {
        Map<String, String> out = new LinkedHashMap<>();
        if (inputSchema == null || arguments == null) return out;
        collect(inputSchema, new ArrayList<>(), arguments, out);
        return out;
    }

    private static void collect(Map<?, ?> schema, List<String> path, Map<String, Object> arguments, Map<String, String> out) {
        if (!(schema.get("properties") instanceof Map<?, ?> properties)) return;
        for (var entry : properties.entrySet()) {
            if (!(entry.getValue() instanceof Map<?, ?> property)) continue;
            var at = new ArrayList<>(path);
            at.add(String.valueOf(entry.getKey()));
            if (property.get("x-mcp-header") instanceof String name && !name.isBlank()) {
                String value = text(valueAt(arguments, at));
                if (value != null) out.put(Stateless.HEADER_PARAM_PREFIX + name, encode(value));
            }
            collect(property, at, arguments, out);
        }
    }

    private static Object valueAt(Map<String, Object> arguments, List<String> path) {
        Object at = arguments;
        for (String key : path) {
            if (!(at instanceof Map<?, ?> m)) return null;
            at = m.get(key);
        }
        return at;
    }

    private static String text(Object value) {
        return switch (value) {
            case String s -> s;
            case Boolean b -> b.toString();
            case Integer i -> i.toString();
            case Long l -> l.toString();
            case java.math.BigInteger b -> b.toString();
            case null, default -> null;
        };
    }
}
