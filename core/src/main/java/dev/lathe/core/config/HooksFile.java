package dev.lathe.core.config;

import dev.lathe.core.hooks.Hook;
import dev.lathe.core.hooks.HookEvent;
import dev.lathe.core.hooks.HookHandler;
import dev.lathe.core.hooks.HookMatcher;
import dev.lathe.core.hooks.HookSource;
import dev.lathe.core.trust.RunPin;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A {@code hooks} object in Claude Code's settings shape — {@code {EVENT: [{matcher?, hooks: [HANDLER, ...]}]}} — read
 * from a {@code lathe.json} layer, Claude Code's {@code .claude/settings.json}, {@code .claude/settings.local.json},
 * {@code ~/.claude/settings.json} or Codex's {@code .codex/hooks.json}, validated (an error names the file, line and
 * key) and turned into {@link Hook}s that remember their file. Events Claude Code defines that Lathe does not fire, and
 * handler types Lathe does not run ({@code prompt}, {@code agent}, {@code mcp_tool}), are accepted and left out, so a
 * team's settings file written for a newer Claude Code still loads.
 */
public final class HooksFile {
    /** Claude Code's files, relative to the project root; read only in a trusted folder. */
    static final List<String> PROJECT_FILES = List.of(".claude/settings.json", ".claude/settings.local.json", ".codex/hooks.json");
    /** The user's Claude Code settings, relative to the home folder; always read. */
    static final String USER_FILE = ".claude/settings.json";

    /** Every event Claude Code names; the ones Lathe does not fire are accepted and ignored. */
    private static final Set<String> CLAUDE_EVENTS = Set.of("SessionStart", "Setup", "UserPromptSubmit", "UserPromptExpansion", "PreToolUse",
            "PermissionRequest", "PermissionDenied", "PostToolUse", "PostToolUseFailure", "PostToolBatch", "Notification", "MessageDisplay",
            "SubagentStart", "SubagentStop", "TaskCreated", "TaskCompleted", "Stop", "StopFailure", "TeammateIdle", "InstructionsLoaded",
            "ConfigChange", "CwdChanged", "DirectoryAdded", "FileChanged", "WorktreeCreate", "WorktreeRemove", "PreCompact", "PostCompact",
            "PreModelSwitch", "PostModelSwitch", "Elicitation", "ElicitationResult", "SessionEnd");
    private static final Set<String> SKIPPED_TYPES = Set.of("prompt", "agent", "mcp_tool");

    private HooksFile() {}

    /** The event names and matchers {@code doc}'s {@code hooks} defines, unvalidated: for the untrusted-folder warning. */
    static List<String> names(LocatedJson doc, String key) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : doc.root().path(key).properties()) {
            for (JsonNode group : e.getValue()) {
                String matcher = group.path("matcher").asString("");
                out.add(matcher.isEmpty() ? e.getKey() : e.getKey() + " " + matcher);
            }
        }
        return out;
    }

    /**
     * Removes from {@code root}'s {@code key} object the matcher groups {@code admit} refuses, each asked with its name
     * as {@link #names} gives it and the group as written (trust pins a group: its matcher and every handler). Anything
     * not in the expected shape is one item named {@code key}, kept or removed whole.
     */
    static void admitted(ObjectNode root, String key, java.util.function.BiPredicate<String, JsonNode> admit) {
        JsonNode hooks = root.get(key);
        if (hooks == null) return;
        if (!(hooks instanceof ObjectNode events)) {
            if (!admit.test(key, hooks)) root.remove(key);
            return;
        }
        for (Map.Entry<String, JsonNode> e : new ArrayList<>(events.properties())) {
            if (!(e.getValue() instanceof ArrayNode groups)) {
                if (!admit.test(e.getKey(), e.getValue())) events.remove(e.getKey());
                continue;
            }
            boolean removed = false;
            for (int i = 0; i < groups.size(); i++) {
                JsonNode group = groups.get(i);
                String matcher = group.path("matcher").asString("");
                if (!admit.test(matcher.isEmpty() ? e.getKey() : e.getKey() + " " + matcher, group)) {
                    groups.remove(i--);
                    removed = true;
                }
            }
            // an event left without groups by the gate goes; one written empty stays, to be checked like the rest
            if (removed && groups.isEmpty()) events.remove(e.getKey());
        }
    }

    /**
     * The hooks in {@code doc}'s top-level {@code key} object (absent: none).
     *
     * @param shownAs the file as listings name it
     * @throws ConfigException naming the file, line and key of the first problem
     */
    static List<Hook> read(LocatedJson doc, String key, String shownAs, HookSource.Dialect dialect) {
        return read(doc, key, new HookSource(shownAs, dialect), Pins.NONE);
    }

    /** As {@link #read(LocatedJson, String, String, HookSource.Dialect)}, each hook carrying the pin {@code pins} gives its group. */
    static List<Hook> read(LocatedJson doc, String key, String shownAs, HookSource.Dialect dialect, Pins pins) {
        return read(doc, key, new HookSource(shownAs, dialect), pins);
    }

    /**
     * What trust approved of a matcher group's handlers, by the group's name (as {@link #names} gives it) and the group
     * as written: the same item the trust gate admitted it as.
     */
    @FunctionalInterface
    interface Pins {
        Pins NONE = (name, group) -> RunPin.NONE;

        RunPin of(String name, JsonNode group);
    }

    /**
     * The hooks of a Claude Code plugin, in Claude Code's names, each run with {@code CLAUDE_PLUGIN_ROOT} = {@code root}.
     *
     * @param file   the file the plugin's hooks were written in (messages name it)
     * @param events event name → the compact JSON array of its matcher groups, in the file's order
     * @param lines  event name → the line it starts on
     * @throws ConfigException naming the file, line and key of the first problem
     */
    public static List<Hook> ofPlugin(Path file, Path root, Map<String, String> events, Map<String, Integer> lines) {
        var hooks = tools.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        Map<String, Integer> located = new LinkedHashMap<>();
        var json = tools.jackson.databind.json.JsonMapper.builder().build();
        events.forEach((event, array) -> {
            hooks.set(event, json.readTree(array));
            located.put("hooks." + event, lines.getOrDefault(event, 1));
        });
        var root1 = tools.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        root1.set("hooks", hooks);
        var doc = new LocatedJson(file.toString(), root1, located);
        // a plugin's hooks run its folder's scripts: the folder, as it was when its configuration was read, is the pin
        RunPin folder = RunPin.ofPluginFolder(root);
        return read(doc, "hooks", new HookSource(file.toString(), HookSource.Dialect.CLAUDE_CODE, java.util.Optional.of(root)), (n, g) -> folder);
    }

    private static List<Hook> read(LocatedJson doc, String key, HookSource source, Pins pins) {
        JsonNode hooks = doc.root().get(key);
        List<Hook> out = new ArrayList<>();
        if (hooks == null || hooks.isNull()) return out;
        if (!hooks.isObject()) fail(doc, key, "expected an object of events, e.g. {\"PreToolUse\": [...]}");
        for (Map.Entry<String, JsonNode> e : hooks.properties()) {
            String path = key + "." + e.getKey();
            if (!CLAUDE_EVENTS.contains(e.getKey())) fail(doc, path, "unknown hook event" + suggestion(e.getKey()));
            var event = HookEvent.of(e.getKey());
            if (!e.getValue().isArray()) fail(doc, path, "expected an array of matcher groups ({\"matcher\": ..., \"hooks\": [...]})");
            for (int i = 0; i < e.getValue().size(); i++) {
                String groupPath = path + "[" + i + "]";
                JsonNode group = e.getValue().get(i);
                if (!group.isObject()) fail(doc, groupPath, "expected an object with \"matcher\" and \"hooks\"");
                JsonNode m = group.get("matcher");
                if (m != null && !m.isString() && !m.isNull()) fail(doc, groupPath + ".matcher", "expected a string");
                HookMatcher matcher;
                try {
                    matcher = HookMatcher.parse(m == null || m.isNull() ? "" : m.asString());
                } catch (IllegalArgumentException bad) {
                    throw new ConfigException(doc.source(), doc.lineOf(groupPath + ".matcher"), groupPath + ".matcher", bad.getMessage());
                }
                JsonNode handlers = group.get("hooks");
                if (handlers == null || !handlers.isArray()) fail(doc, groupPath + ".hooks", "expected an array of handlers");
                String written = m == null || m.isNull() || m.asString().isEmpty() ? e.getKey() : e.getKey() + " " + m.asString();
                RunPin pin = pins.of(written, group);
                for (int j = 0; j < handlers.size(); j++) {
                    String handlerPath = groupPath + ".hooks[" + j + "]";
                    JsonNode h = handlers.get(j);
                    if (!h.isObject()) fail(doc, handlerPath, "expected an object with \"type\"");
                    String type = h.path("type").asString("");
                    if (SKIPPED_TYPES.contains(type)) continue;
                    Duration timeout = timeout(doc, handlerPath, h, event.orElse(HookEvent.PRE_TOOL_USE));
                    HookHandler handler = switch (type) {
                        case "command" -> command(doc, handlerPath, h, timeout);
                        case "http" -> http(doc, handlerPath, h, timeout);
                        default -> throw new ConfigException(doc.source(), doc.lineOf(handlerPath + ".type"), handlerPath + ".type",
                                "expected \"command\" or \"http\"");
                    };
                    Hook.OnFailure onFailure = onFailure(doc, handlerPath, h);
                    if (event.isPresent()) out.add(new Hook(event.get(), matcher, handler, source, pin, onFailure));
                }
            }
        }
        return out;
    }

    /** {@code "onFailure": "block" | "continue"} beside the handler's {@code timeout} (Claude Code's shape); continue by default. */
    private static Hook.OnFailure onFailure(LocatedJson doc, String path, JsonNode h) {
        JsonNode v = h.get("onFailure");
        if (v == null || v.isNull()) return Hook.OnFailure.CONTINUE;
        return switch (v.asString("")) {
            case "block" -> Hook.OnFailure.BLOCK;
            case "continue" -> Hook.OnFailure.CONTINUE;
            default -> throw new ConfigException(doc.source(), doc.lineOf(path + ".onFailure"), path + ".onFailure",
                    "expected \"block\" (a failed hook blocks the action) or \"continue\"");
        };
    }

    private static Duration timeout(LocatedJson doc, String path, JsonNode h, HookEvent event) {
        JsonNode t = h.get("timeout");
        if (t == null || t.isNull()) return event.defaultTimeout();
        if (!t.isNumber() || t.asDouble() <= 0) fail(doc, path + ".timeout", "expected a positive number of seconds");
        return Duration.ofMillis(Math.round(t.asDouble() * 1000));
    }

    private static HookHandler.Command command(LocatedJson doc, String path, JsonNode h, Duration timeout) {
        if (!h.path("command").isString() || h.get("command").asString().isBlank()) fail(doc, path + ".command", "expected the command to run");
        JsonNode shell = h.get("shell");
        if (shell != null && !shell.asString("").equals("bash")) fail(doc, path + ".shell", "Lathe runs command hooks with bash");
        JsonNode args = h.get("args");
        if (args == null || args.isNull()) return new HookHandler.Command(h.get("command").asString(), List.of(), HookHandler.Command.Form.SHELL, timeout);
        if (!args.isArray()) fail(doc, path + ".args", "expected an array of strings");
        List<String> list = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            if (!args.get(i).isString()) fail(doc, path + ".args[" + i + "]", "expected a string");
            list.add(args.get(i).asString());
        }
        return new HookHandler.Command(h.get("command").asString(), list, HookHandler.Command.Form.EXEC, timeout);
    }

    private static HookHandler.Http http(LocatedJson doc, String path, JsonNode h, Duration timeout) {
        String url = h.path("url").asString("");
        URI uri = null;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            fail(doc, path + ".url", "not a valid URL");
        }
        if (uri.getScheme() == null || !uri.getScheme().matches("(?i)https?") || uri.getHost() == null) {
            fail(doc, path + ".url", "expected an http:// or https:// URL");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        JsonNode hs = h.get("headers");
        if (hs != null) {
            if (!hs.isObject()) fail(doc, path + ".headers", "expected an object of strings");
            for (Map.Entry<String, JsonNode> e : hs.properties()) {
                if (!e.getValue().isString()) fail(doc, path + ".headers." + e.getKey(), "expected a string");
                headers.put(e.getKey(), e.getValue().asString());
            }
        }
        List<String> allowed = new ArrayList<>();
        JsonNode a = h.get("allowedEnvVars");
        if (a != null) {
            if (!a.isArray()) fail(doc, path + ".allowedEnvVars", "expected an array of variable names");
            for (int i = 0; i < a.size(); i++) {
                if (!a.get(i).isString()) fail(doc, path + ".allowedEnvVars[" + i + "]", "expected a string");
                allowed.add(a.get(i).asString());
            }
        }
        return new HookHandler.Http(uri, headers, allowed, timeout);
    }

    private static String suggestion(String name) {
        return CLAUDE_EVENTS.stream().filter(e -> e.equalsIgnoreCase(name) || distance(e.toLowerCase(), name.toLowerCase()) <= 2).findFirst()
                .map(e -> " (did you mean " + e + "?)").orElse("");
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            int[] cur = new int[b.length() + 1];
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
            prev = cur;
        }
        return prev[b.length()];
    }

    private static void fail(LocatedJson doc, String key, String problem) {
        throw new ConfigException(doc.source(), doc.lineOf(key), key, problem);
    }

    /** {@code file} as listings show it: relative to {@code projectRoot} when inside it. */
    static String shown(Path file, Path projectRoot) {
        Path abs = file.toAbsolutePath().normalize();
        Path root = projectRoot.toAbsolutePath().normalize();
        return abs.startsWith(root) ? root.relativize(abs).toString() : abs.toString();
    }
}
