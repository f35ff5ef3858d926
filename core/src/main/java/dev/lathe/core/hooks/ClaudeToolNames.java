package dev.lathe.core.hooks;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Lathe's tools as Claude Code names them, for hooks written in Claude Code's or Codex's files: the name
 * ({@code bash} is {@code Bash}, an MCP server's tool {@code SERVER_TOOL} is {@code mcp__SERVER__TOOL}) and the
 * argument names ({@code path} is an absolute {@code file_path}, {@code oldString} is {@code old_string}, ...), and an
 * {@code updatedInput} written in those names back as Lathe's arguments. A tool Claude Code has no counterpart for
 * keeps its Lathe name and arguments.
 */
public final class ClaudeToolNames {
    /** One tool: its Claude Code name and Lathe argument → Claude Code argument. */
    private record Mapping(String claude, Map<String, String> fields) {}

    private static final Map<String, Mapping> BY_LATHE = Map.ofEntries(
            Map.entry("bash", new Mapping("Bash", Map.of("command", "command", "timeout", "timeout", "description", "description",
                    "background", "run_in_background"))),
            Map.entry("edit", new Mapping("Edit", Map.of("path", "file_path", "oldString", "old_string", "newString", "new_string",
                    "replaceAll", "replace_all"))),
            Map.entry("write", new Mapping("Write", Map.of("path", "file_path", "content", "content"))),
            Map.entry("read", new Mapping("Read", Map.of("path", "file_path", "offset", "offset", "limit", "limit"))),
            Map.entry("glob", new Mapping("Glob", Map.of("pattern", "pattern", "path", "path"))),
            Map.entry("grep", new Mapping("Grep", Map.of("pattern", "pattern", "path", "path", "include", "glob"))),
            Map.entry("list", new Mapping("LS", Map.of("path", "path", "ignore", "ignore"))),
            Map.entry("webfetch", new Mapping("WebFetch", Map.of("url", "url", "format", "format", "timeout", "timeout"))),
            Map.entry("task", new Mapping("Task", Map.of("description", "description", "prompt", "prompt", "agent", "subagent_type"))),
            Map.entry("todo", new Mapping("TodoWrite", Map.of("todos", "todos"))),
            Map.entry("question", new Mapping("AskUserQuestion", Map.of("questions", "questions"))),
            Map.entry("skill", new Mapping("Skill", Map.of("name", "skill"))),
            Map.entry("bash_output", new Mapping("BashOutput", Map.of("id", "bash_id", "filter", "filter"))),
            Map.entry("bash_kill", new Mapping("KillShell", Map.of("id", "shell_id"))));

    /** Lathe arguments that are paths: Claude Code shows file tools absolute paths. */
    private static final Set<String> FILE_PATHS = Set.of("file_path");

    private final List<String> mcpServers;

    /** @param mcpServers the configured MCP server names, whose tools Lathe names {@code SERVER_TOOL} */
    public ClaudeToolNames(Set<String> mcpServers) {
        // the longest name first: a server "a_b" owns "a_b_tool" before a server "a" does
        this.mcpServers = mcpServers.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
    }

    public static final ClaudeToolNames BUILTIN_ONLY = new ClaudeToolNames(Set.of());

    /** Claude Code's name for the Lathe tool {@code tool}. */
    public String claudeName(String tool) {
        Mapping m = BY_LATHE.get(tool);
        if (m != null) return m.claude();
        return mcp(tool).map(s -> "mcp__" + s + "__" + tool.substring(s.length() + 1)).orElse(tool);
    }

    private Optional<String> mcp(String tool) {
        return mcpServers.stream().filter(s -> tool.startsWith(s + "_") && tool.length() > s.length() + 1).findFirst();
    }

    /** {@code args} (Lathe's, of {@code tool}) in Claude Code's argument names; relative paths made absolute against {@code projectDir}. */
    public ObjectNode claudeInput(String tool, ObjectNode args, Path projectDir) {
        Mapping m = BY_LATHE.get(tool);
        if (m == null) return args;
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, JsonNode> e : args.properties()) {
            String name = m.fields().getOrDefault(e.getKey(), e.getKey());
            JsonNode v = e.getValue();
            if (FILE_PATHS.contains(name) && v.isString()) v = JsonNodeFactory.instance.stringNode(projectDir.resolve(v.asString()).normalize().toString());
            if (tool.equals("bash") && name.equals("timeout") && v.isString() && v.asString().matches("\\d+")) v = JsonNodeFactory.instance.numberNode(Long.parseLong(v.asString()));
            out.set(name, v);
        }
        return out;
    }

    /**
     * Lathe's arguments for {@code tool} after a Claude Code hook's {@code updatedInput}: {@code original} with every
     * field the update names replaced (a field only Lathe has, such as bash's {@code workdir}, is kept).
     */
    ObjectNode latheInput(String tool, ObjectNode original, ObjectNode updated) {
        Mapping m = BY_LATHE.get(tool);
        ObjectNode out = original.deepCopy();
        for (Map.Entry<String, JsonNode> e : updated.properties()) {
            String lathe = m == null ? e.getKey() : m.fields().entrySet().stream().filter(f -> f.getValue().equals(e.getKey()))
                    .map(Map.Entry::getKey).findFirst().orElse(e.getKey());
            if (m != null && !m.fields().containsKey(lathe)) continue; // a Claude Code field Lathe's tool does not take
            out.set(lathe, e.getValue());
        }
        return out;
    }
}
