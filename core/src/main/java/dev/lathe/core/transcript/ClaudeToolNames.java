package dev.lathe.core.transcript;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Lathe's built-in tools as Claude Code names them, with their input fields renamed ({@code edit{path, oldString,
 * newString}} is {@code Edit{file_path, old_string, new_string}}), both ways: scripts written for Claude Code (hooks from
 * its settings files and plugins, and readers of {@code transcript_path}) see Claude Code's names, and what they hand
 * back ({@code updatedInput}) is mapped to Lathe's. A tool without a counterpart (MCP tools, {@code apply_patch},
 * {@code question}, script tools) keeps its Lathe name and fields; fields a mapping does not list pass unchanged.
 * One table for the transcript and hook input, so both say the same.
 */
public final class ClaudeToolNames {
    /** One tool: its Lathe name, Claude Code's, and Lathe field → Claude Code field for the fields that differ. */
    public record Mapping(String lathe, String claude, Map<String, String> fields) {
        public Mapping {
            fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        }
    }

    private static final List<Mapping> ALL = List.of(
            new Mapping("bash", "Bash", Map.of("background", "run_in_background")),
            new Mapping("read", "Read", Map.of("path", "file_path")),
            new Mapping("edit", "Edit", Map.of("path", "file_path", "oldString", "old_string", "newString", "new_string", "replaceAll", "replace_all")),
            new Mapping("write", "Write", Map.of("path", "file_path")),
            new Mapping("glob", "Glob", Map.of()),
            new Mapping("grep", "Grep", Map.of("include", "glob")),
            new Mapping("list", "LS", Map.of()),
            new Mapping("webfetch", "WebFetch", Map.of()),
            new Mapping("task", "Task", Map.of("agent", "subagent_type")),
            new Mapping("todo", "TodoWrite", Map.of()),
            new Mapping("bash_output", "BashOutput", Map.of("id", "bash_id")),
            new Mapping("bash_kill", "KillShell", Map.of("id", "shell_id")),
            new Mapping("skill", "Skill", Map.of("name", "skill")));

    private ClaudeToolNames() {}

    /** The mapping of the Lathe tool {@code name}, when it has a Claude Code counterpart. */
    public static Optional<Mapping> ofLathe(String name) {
        return ALL.stream().filter(m -> m.lathe().equals(name)).findFirst();
    }

    /** The mapping of the Claude Code tool {@code name}, when Lathe has it. */
    public static Optional<Mapping> ofClaude(String name) {
        return ALL.stream().filter(m -> m.claude().equals(name)).findFirst();
    }

    /** Claude Code's name for the Lathe tool {@code name} ({@code bash} → {@code Bash}); other names unchanged. */
    public static String claudeName(String name) {
        return ofLathe(name).map(Mapping::claude).orElse(name);
    }

    /** Lathe's name for the Claude Code tool {@code name} ({@code Bash} → {@code bash}); other names unchanged. */
    public static String latheName(String name) {
        return ofClaude(name).map(Mapping::lathe).orElse(name);
    }

    /** {@code input} of the Lathe tool {@code tool} with Claude Code's field names (a new object, in the same order). */
    public static ObjectNode toClaude(String tool, JsonNode input) {
        return renamed(input, ofLathe(tool).map(Mapping::fields).orElse(Map.of()));
    }

    /** {@code input} of the Claude Code tool {@code tool} with Lathe's field names (a new object, in the same order). */
    public static ObjectNode toLathe(String tool, JsonNode input) {
        Map<String, String> back = new LinkedHashMap<>();
        ofClaude(tool).ifPresent(m -> m.fields().forEach((lathe, claude) -> back.put(claude, lathe)));
        return renamed(input, back);
    }

    private static ObjectNode renamed(JsonNode input, Map<String, String> fields) {
        ObjectNode out = tools.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, JsonNode> e : input.properties()) out.set(fields.getOrDefault(e.getKey(), e.getKey()), e.getValue().deepCopy());
        return out;
    }
}
