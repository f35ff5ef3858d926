package dev.lathe.core.config;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A project's OpenCode configuration ({@code opencode.json}, {@code opencode.jsonc}, {@code .opencode/opencode.json},
 * {@code .opencode/opencode.jsonc}) read as a project layer below Lathe's own, so it is trust-gated exactly like
 * {@code lathe.json} ({@link UntrustedLayer}) and its MCP servers are pinned by {@code lathe trust}. Only the keys Lathe
 * has the same meaning for are read: {@code mcp}, {@code instructions}, {@code agent}, {@code command},
 * {@code permission} and the legacy {@code tools} switches (DESIGN §24 "Restrictive rules need no trust": they are rules
 * the project states, its denials and asks apply even before trust); every other key (and an agent's or server's key
 * Lathe has no use for) is left out and named by {@link #skipped}, not refused, since the file is OpenCode's and valid
 * for it.
 *
 * <p>Tool switches mean what OpenCode makes of them: {@code write}, {@code edit}, {@code patch} and {@code multiedit}
 * are one switch, OpenCode's {@code edit} permission, so turning any of them off removes Lathe's {@code write},
 * {@code edit} and {@code apply_patch} ({@link #toolSwitches}); a switch turned off also denies its permission, as
 * OpenCode turns {@code tools} into {@code permission}.
 */
public final class OpenCodeFile {
    /** OpenCode's project files, relative to the project root, in the order they merge (a later one wins). */
    static final List<String> NAMES = List.of("opencode.json", "opencode.jsonc", ".opencode/opencode.json", ".opencode/opencode.jsonc");
    static final Set<String> READ = Set.of("$schema", "mcp", "instructions", "agent", "command", "permission", "tools");
    /** OpenCode's tool switches that are all its one {@code edit} permission. */
    private static final Set<String> EDIT_FAMILY = Set.of("write", "edit", "patch", "multiedit");
    /** Lathe's tools that change files: what OpenCode's {@code edit} permission covers. */
    private static final List<String> LATHE_EDIT_TOOLS = List.of("write", "edit", "apply_patch");
    /** OpenCode's names that differ from Lathe's, for tools and permission keys. */
    private static final Map<String, String> RENAMED = Map.of("todowrite", "todo");
    /** OpenCode permission keys for which Lathe has no tool: said by {@link #skipped}, not applied. */
    private static final Set<String> NO_COUNTERPART = Set.of("doom_loop", "websearch", "codesearch");
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
            try {
                Optional<String> text = ConfigText.project(projectRoot, file);
                if (text.isEmpty()) continue;
                List<String> keys = skipped(LocatedJson.parse(file.toString(), text.get()));
                if (!keys.isEmpty()) out.add(name + ": " + String.join(", ", keys));
            } catch (IOException | ConfigException e) {
                // reported where the configuration is loaded
            }
        }
        return out;
    }

    /**
     * What an OpenCode {@code tools} map ({@code name → on}) means in Lathe: {@code enabled}, each tool by Lathe's name
     * (the filter {@code Config.AgentConfig.toolFilter} reads), and {@code denied}, the permission keys a switch turned
     * off denies. Any of {@code write}, {@code edit}, {@code patch}, {@code multiedit} off turns off all of Lathe's
     * {@code write}, {@code edit} and {@code apply_patch} (the stricter reading where a file sets them both ways).
     */
    public record ToolSwitches(Map<String, Boolean> enabled, List<String> denied) {}

    /** As {@link ToolSwitches} says; used for {@code opencode.json} agents and {@code .opencode/agent/*.md} alike. */
    public static ToolSwitches toolSwitches(Map<String, Boolean> written) {
        Map<String, Boolean> enabled = new java.util.LinkedHashMap<>();
        List<String> denied = new ArrayList<>();
        boolean editOff = false;
        boolean editNamed = false;
        for (Map.Entry<String, Boolean> e : written.entrySet()) {
            if (EDIT_FAMILY.contains(e.getKey())) {
                editNamed = true;
                editOff |= !e.getValue();
                continue;
            }
            String tool = RENAMED.getOrDefault(e.getKey(), e.getKey());
            enabled.merge(tool, e.getValue(), Boolean::logicalAnd);
            if (!e.getValue() && !denied.contains(tool)) denied.add(tool);
        }
        if (editNamed) {
            for (String tool : LATHE_EDIT_TOOLS) enabled.put(tool, !editOff);
            if (editOff) denied.add("edit");
        }
        return new ToolSwitches(enabled, List.copyOf(denied));
    }

    private static void prune(ObjectNode root, List<String> skipped) {
        for (String key : List.copyOf(root.propertyNames())) {
            if (!READ.contains(key)) {
                root.remove(key);
                skipped.add(key);
            }
        }
        // the legacy top-level tools switches are OpenCode's permission: off is deny, on is allow (permission wins)
        if (root.remove("tools") instanceof ObjectNode tools) {
            Map<String, String> switched = new java.util.LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : tools.properties()) {
                if (!e.getValue().isBoolean()) {
                    skipped.add("tools." + e.getKey());
                    continue;
                }
                String key = EDIT_FAMILY.contains(e.getKey()) ? "edit" : RENAMED.getOrDefault(e.getKey(), e.getKey());
                switched.merge(key, e.getValue().asBoolean() ? "allow" : "deny", (a, b) -> a.equals("deny") ? a : b);
            }
            ObjectNode permission = permissionObject(root);
            switched.forEach((key, action) -> {
                if (!permission.has(key)) permission.put(key, action);
            });
        }
        permissionKeys(root.get("permission"), "permission", skipped);
        if (root.get("agent") instanceof ObjectNode agents) {
            for (Map.Entry<String, JsonNode> e : agents.properties()) {
                if (!(e.getValue() instanceof ObjectNode agent)) continue;
                permissionKeys(agent.get("permission"), "agent." + e.getKey() + ".permission", skipped);
                if (agent.get("tools") instanceof ObjectNode tools) agentTools(agent, tools);
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

    /** {@code root.permission} as an object to add rules to (a string {@code "deny"} becomes {@code {"*": "deny"}}). */
    private static ObjectNode permissionObject(ObjectNode root) {
        JsonNode permission = root.get("permission");
        if (permission instanceof ObjectNode object) return object;
        ObjectNode out = root.putObject("permission");
        if (permission != null && permission.isString()) out.put("*", permission.asString());
        return out;
    }

    /** OpenCode's permission keys as Lathe's: renamed ones renamed, those without a Lathe tool named and left out. */
    private static void permissionKeys(JsonNode permission, String path, List<String> skipped) {
        if (!(permission instanceof ObjectNode keys)) return;
        for (String key : List.copyOf(keys.propertyNames())) {
            if (NO_COUNTERPART.contains(key)) {
                keys.remove(key);
                skipped.add(path + "." + key);
            } else if (RENAMED.containsKey(key) && !keys.has(RENAMED.get(key))) {
                keys.set(RENAMED.get(key), keys.remove(key));
            }
        }
    }

    /** An agent's {@code tools} switches as Lathe's tool names, and a denial of each permission a switch turned off. */
    private static void agentTools(ObjectNode agent, ObjectNode tools) {
        Map<String, Boolean> written = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : tools.properties()) {
            // a wrong type is left for the schema to name with its line
            if (!e.getValue().isBoolean()) return;
            written.put(e.getKey(), e.getValue().asBoolean());
        }
        ToolSwitches switches = toolSwitches(written);
        ObjectNode mapped = agent.putObject("tools");
        switches.enabled().forEach(mapped::put);
        if (switches.denied().isEmpty()) return;
        ObjectNode permission = permissionObject(agent);
        // OpenCode: the agent's own permission entries win over what its switches say
        for (String key : switches.denied()) if (!permission.has(key)) permission.put(key, "deny");
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
