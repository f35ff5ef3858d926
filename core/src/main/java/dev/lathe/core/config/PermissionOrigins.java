package dev.lathe.core.config;

import java.util.HashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Which layer last wrote each permission rule while the layers merge: a later layer's rule replaces an earlier one's
 * for the same key and pattern, so the last layer that names a pattern is where that rule comes from. Kept for the
 * top-level {@code permission} and each {@code agent.<name>.permission}.
 */
final class PermissionOrigins {
    private final Map<String, Config.RuleSource> origins = new HashMap<>();

    /** Notes the rules of one layer, its {@code permission} objects already in the normalised object form. */
    void layer(Config.RuleSource from, JsonNode normalised) {
        note(from, "", normalised.path("permission"));
        for (Map.Entry<String, JsonNode> agent : normalised.path("agent").properties()) {
            note(from, agent.getKey(), agent.getValue().path("permission"));
        }
    }

    private void note(Config.RuleSource from, String agent, JsonNode permission) {
        for (Map.Entry<String, JsonNode> tool : permission.properties()) {
            for (Map.Entry<String, JsonNode> rule : tool.getValue().properties()) origins.put(key(agent, tool.getKey(), rule.getKey()), from);
        }
    }

    /** The layer of a rule ({@code agent} empty for the top-level {@code permission}). */
    Config.RuleSource of(String agent, String permission, String pattern) {
        return origins.getOrDefault(key(agent, permission, pattern), Config.RuleSource.UNKNOWN);
    }

    private static String key(String agent, String permission, String pattern) {
        return agent + '\0' + permission + '\0' + pattern;
    }
}
