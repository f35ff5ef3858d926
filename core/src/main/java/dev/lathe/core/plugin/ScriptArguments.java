package dev.lathe.core.plugin;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The arguments of a call to a script tool: whatever object the model sent, handed to the script on stdin as it came
 * (the script validates what its header's schema says). Every property lands in {@code values}, so none is "unknown".
 */
record ScriptArguments(@JsonAnySetter Map<String, JsonNode> values) {
    ScriptArguments {
        values = values == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }
}
