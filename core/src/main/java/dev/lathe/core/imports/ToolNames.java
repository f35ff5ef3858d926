package dev.lathe.core.imports;

import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Other harnesses' tools as Lathe's (docs/import.md has the table): the name, and the arguments renamed to Lathe's
 * ({@code file_path} is {@code path}, {@code old_string} is {@code oldString}, ...), so a model that continues the
 * session sees calls in the shape of the tools it is offered. A tool Lathe has no counterpart for keeps its name and
 * arguments: the model still reads what happened.
 */
final class ToolNames {
    /** A harness's tool: its Lathe name and source argument → Lathe argument (an argument not named is kept). */
    private record Mapping(String lathe, Map<String, String> fields) {}

    private static final Map<String, String> FILE = Map.of("file_path", "path", "filePath", "path");
    private static final Map<String, String> EDIT = Map.of("file_path", "path", "filePath", "path", "old_string", "oldString",
            "new_string", "newString", "replace_all", "replaceAll");

    private static final Map<String, Mapping> CLAUDE_CODE = Map.ofEntries(
            Map.entry("Bash", new Mapping("bash", Map.of("run_in_background", "background"))),
            Map.entry("Read", new Mapping("read", FILE)),
            Map.entry("Edit", new Mapping("edit", EDIT)),
            Map.entry("MultiEdit", new Mapping("edit", EDIT)),
            Map.entry("Write", new Mapping("write", FILE)),
            Map.entry("Glob", new Mapping("glob", Map.of())),
            Map.entry("Grep", new Mapping("grep", Map.of("glob", "include"))),
            Map.entry("LS", new Mapping("list", Map.of())),
            Map.entry("WebFetch", new Mapping("webfetch", Map.of())),
            Map.entry("TodoWrite", new Mapping("todo", Map.of())),
            Map.entry("Task", new Mapping("task", Map.of("subagent_type", "agent"))),
            Map.entry("Agent", new Mapping("task", Map.of("subagent_type", "agent"))),
            Map.entry("AskUserQuestion", new Mapping("question", Map.of())),
            Map.entry("Skill", new Mapping("skill", Map.of("skill", "name"))),
            Map.entry("BashOutput", new Mapping("bash_output", Map.of("bash_id", "id"))),
            Map.entry("KillShell", new Mapping("bash_kill", Map.of("shell_id", "id"))));

    private static final Map<String, Mapping> OPENCODE = Map.ofEntries(
            Map.entry("read", new Mapping("read", FILE)),
            Map.entry("edit", new Mapping("edit", EDIT)),
            Map.entry("write", new Mapping("write", FILE)),
            Map.entry("todowrite", new Mapping("todo", Map.of())),
            Map.entry("todoread", new Mapping("todo", Map.of())),
            Map.entry("patch", new Mapping("apply_patch", Map.of())));

    private ToolNames() {}

    /** Lathe's name and arguments for a Claude Code call. */
    static Call claudeCode(String name, JsonNode input) { return mapped(CLAUDE_CODE, name, input); }

    /** Lathe's name and arguments for an OpenCode call (its names are mostly Lathe's already). */
    static Call openCode(String name, JsonNode input) { return mapped(OPENCODE, name, input); }

    /**
     * Lathe's name and arguments for a Codex call: its shell tools ({@code shell} with an argument vector,
     * {@code shell_command}, {@code exec_command}) are {@code bash} with one command line, {@code apply_patch} keeps
     * its name with the patch as {@code patchText}, {@code update_plan} is {@code todo}.
     */
    static Call codex(String name, JsonNode input) {
        ObjectNode in = input instanceof ObjectNode o ? o : JsonNodeFactory.instance.objectNode();
        return switch (name) {
            case "shell", "container.exec", "local_shell" -> bash(commandLine(in.get("command")), in);
            case "shell_command" -> bash(in.path("command").asString(""), in);
            case "exec_command" -> bash(in.path("cmd").asString(""), in);
            case "apply_patch" -> {
                ObjectNode out = JsonNodeFactory.instance.objectNode();
                out.put("patchText", input.isString() ? input.asString() : in.path("input").asString(""));
                yield new Call("apply_patch", out.toString());
            }
            case "update_plan" -> new Call("todo", in.toString());
            default -> new Call(name, input.toString());
        };
    }

    /** A call as Lathe stores it: the tool's name and its arguments as a JSON object. */
    record Call(String tool, String inputJson) {}

    private static Call bash(String command, ObjectNode in) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("command", command);
        if (in.hasNonNull("workdir")) out.set("workdir", in.get("workdir"));
        return new Call("bash", out.toString());
    }

    /** {@code ["bash", "-lc", "ls"]} is {@code ls}; any other vector is its words joined. */
    private static String commandLine(JsonNode command) {
        if (command == null) return "";
        if (command.isString()) return command.asString();
        List<String> words = new java.util.ArrayList<>();
        for (JsonNode w : command) words.add(w.asString(""));
        if (words.size() == 3 && (words.get(0).endsWith("sh")) && words.get(1).startsWith("-") && words.get(1).contains("c")) return words.get(2);
        return String.join(" ", words);
    }

    private static Call mapped(Map<String, Mapping> table, String name, JsonNode input) {
        Mapping m = table.get(name);
        if (m == null || !(input instanceof ObjectNode in)) return new Call(name, input == null ? "{}" : input.toString());
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, JsonNode> e : in.properties()) out.set(m.fields().getOrDefault(e.getKey(), e.getKey()), e.getValue());
        return new Call(m.lathe(), out.toString());
    }
}
