package dev.lathe.mcp.bridge;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The arguments of a call to an MCP tool: whatever object the model sent, passed to the server as it came (the server
 * validates it against its own schema). Every property lands in {@code values}, so no name is "unknown".
 */
public record McpArguments(@JsonAnySetter Map<String, Object> values) {
    public McpArguments {
        values = values == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }
}
