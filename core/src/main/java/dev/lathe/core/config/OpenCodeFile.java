package dev.lathe.core.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A project's OpenCode configuration ({@code opencode.json}, {@code opencode.jsonc}, {@code .opencode/opencode.json},
 * {@code .opencode/opencode.jsonc}) read as a project layer below Lathe's own, so it is trust-gated exactly like
 * {@code lathe.json} ({@link UntrustedLayer}) and its MCP servers are pinned by {@code lathe trust}. Only the keys Lathe
 * has the same meaning for are read: {@code mcp}, {@code instructions}, {@code agent}, {@code command}; every other key
 * (and an agent's or server's key Lathe has no use for) is left out and named by {@link #skipped}, not refused, since the
 * file is OpenCode's and valid for it.
 */
public final class OpenCodeFile {
    /** OpenCode's project files, relative to the project root, in the order they merge (a later one wins). */
    static final List<String> NAMES = List.of("opencode.json", "opencode.jsonc", ".opencode/opencode.json", ".opencode/opencode.jsonc");
    private static final Set<String> READ = Set.of("$schema", "mcp", "instructions", "agent", "command");
    private static final Set<String> AGENT_KEYS = Set.of("description", "mode", "model", "permission", "prompt", "steps", "temperature", "tools");
    private static final Set<String> MCP_KEYS = Set.of("type", "command", "environment", "enabled", "timeout", "url", "headers", "oauth");

    private OpenCodeFile() {}

    /** {@code doc} with only what Lathe reads: the layer {@link ConfigLoader} merges. */
    static LocatedJson mapped(LocatedJson doc) {
        ObjectNode root = doc.root().deepCopy();
        prune(root, new ArrayList<>());
        return new LocatedJson(doc.source(), root, doc.lines());
    }

    /** The keys of {@code doc} Lathe does not read, as paths ({@code theme}, {@code agent.review.color}), in file order. */
    static List<String> skipped(LocatedJson doc) {
        List<String> out = new ArrayList<>();
        prune(doc.root().deepCopy(), out);
        return out;
    }

    /**
     * For {@code lathe doctor}: per OpenCode file of {@code projectRoot} that leaves keys out, {@code FILE: k1, k2}; a
     * file that does not parse is reported by the config check, not here.
     */
    public static List<String> skippedIn(Path projectRoot) {
        List<String> out = new ArrayList<>();
        for (String name : NAMES) {
            Path file = projectRoot.resolve(name);
            if (!Files.isRegularFile(file)) continue;
            try {
                List<String> keys = skipped(LocatedJson.parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8)));
                if (!keys.isEmpty()) out.add(name + ": " + String.join(", ", keys));
            } catch (IOException | ConfigException e) {
                // reported where the configuration is loaded
            }
        }
        return out;
    }

    private static void prune(ObjectNode root, List<String> skipped) {
        for (String key : List.copyOf(root.propertyNames())) {
            if (!READ.contains(key)) {
                root.remove(key);
                skipped.add(key);
            }
        }
        keepKeys(root.get("agent"), "agent", AGENT_KEYS, skipped);
        if (root.get("mcp") instanceof ObjectNode mcp) {
            for (Map.Entry<String, JsonNode> e : List.copyOf(mcp.properties())) {
                // OpenCode lets an entry only switch off a server another layer defines ({"enabled": false}): Lathe's
                // entries are whole servers, so such a stub is left out rather than refused
                if (e.getValue() instanceof ObjectNode server && !server.has("type")) {
                    mcp.remove(e.getKey());
                    skipped.add("mcp." + e.getKey());
                }
            }
            keepKeys(mcp, "mcp", MCP_KEYS, skipped);
        }
    }

    /** In each object entry of {@code group}, removes (and names) the keys outside {@code keys}. */
    private static void keepKeys(JsonNode group, String path, Set<String> keys, List<String> skipped) {
        if (!(group instanceof ObjectNode entries)) return;
        for (Map.Entry<String, JsonNode> e : entries.properties()) {
            if (!(e.getValue() instanceof ObjectNode entry)) continue;
            for (String key : List.copyOf(entry.propertyNames())) {
                if (keys.contains(key)) continue;
                entry.remove(key);
                skipped.add(path + "." + e.getKey() + "." + key);
            }
        }
    }
}
