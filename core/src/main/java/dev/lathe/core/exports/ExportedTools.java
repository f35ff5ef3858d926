package dev.lathe.core.exports;

import dev.lathe.protocol.RawJson;
import dev.lathe.protocol.session.Part;
import java.util.Map;
import java.util.function.UnaryOperator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Lathe's tool calls as the other harness names them, the reverse of the import's mapping (docs/import.md "Tool
 * names"): the tool's name and its argument names. A tool the other harness has no counterpart for keeps its name
 * and arguments, so its model still reads what happened.
 */
final class ExportedTools {
    static final JsonMapper JSON = JsonMapper.builder().build();

    private static final Map<String, String> CLAUDE_CODE = Map.ofEntries(Map.entry("bash", "Bash"), Map.entry("read", "Read"),
            Map.entry("edit", "Edit"), Map.entry("write", "Write"), Map.entry("glob", "Glob"), Map.entry("grep", "Grep"), Map.entry("list", "LS"),
            Map.entry("webfetch", "WebFetch"), Map.entry("todo", "TodoWrite"), Map.entry("task", "Agent"), Map.entry("question", "AskUserQuestion"),
            Map.entry("skill", "Skill"), Map.entry("bash_output", "BashOutput"), Map.entry("bash_kill", "KillShell"));
    private static final Map<String, String> CLAUDE_CODE_ARGUMENTS = Map.of("oldString", "old_string", "newString", "new_string",
            "replaceAll", "replace_all", "agent", "subagent_type");
    private static final Map<String, String> OPEN_CODE = Map.of("todo", "todowrite");

    /** A call as the other harness writes it: {@code name} and {@code input}, every string in it masked. */
    record Call(String name, ObjectNode input) {}

    private ExportedTools() {}

    /**
     * Lathe's own note of where the model works ({@code <environment>}, synthetic): left out, since the other harness
     * sends its own. Other synthetic text (a file's content a prompt mentioned) is what the model read, and goes.
     */
    static boolean latheOwn(Part.Text t) {
        return t.synthetic() && t.text().startsWith("<environment>");
    }

    static Call claudeCode(String tool, RawJson input, UnaryOperator<String> mask) {
        ObjectNode in = input(input, mask);
        ObjectNode out = JSON.createObjectNode();
        boolean file = tool.equals("read") || tool.equals("edit") || tool.equals("write");
        for (var e : in.properties()) {
            String name = e.getKey();
            if (file && name.equals("path")) name = "file_path";
            else if (tool.equals("grep") && name.equals("include")) name = "glob";
            else name = CLAUDE_CODE_ARGUMENTS.getOrDefault(name, name);
            out.set(name, e.getValue());
        }
        return new Call(CLAUDE_CODE.getOrDefault(tool, tool), out);
    }

    static Call openCode(String tool, RawJson input, UnaryOperator<String> mask) {
        ObjectNode in = input(input, mask);
        boolean file = tool.equals("read") || tool.equals("edit") || tool.equals("write");
        if (file && in.has("path") && !in.has("filePath")) {
            ObjectNode out = JSON.createObjectNode();
            for (var e : in.properties()) out.set(e.getKey().equals("path") ? "filePath" : e.getKey(), e.getValue());
            in = out;
        }
        return new Call(OPEN_CODE.getOrDefault(tool, tool), in);
    }

    /** The call's arguments as an object (a call whose arguments never parsed has none), each string masked. */
    private static ObjectNode input(RawJson input, UnaryOperator<String> mask) {
        JsonNode parsed;
        try {
            parsed = JSON.readTree(input == null ? "{}" : input.json());
        } catch (RuntimeException unreadable) {
            parsed = null;
        }
        return parsed instanceof ObjectNode o ? (ObjectNode) masked(o, mask) : JSON.createObjectNode();
    }

    private static JsonNode masked(JsonNode node, UnaryOperator<String> mask) {
        if (node.isString()) return JSON.getNodeFactory().stringNode(mask.apply(node.asString()));
        if (node instanceof ObjectNode o) {
            ObjectNode out = JSON.createObjectNode();
            for (var e : o.properties()) out.set(mask.apply(e.getKey()), masked(e.getValue(), mask));
            return out;
        }
        if (node instanceof ArrayNode a) {
            ArrayNode out = JSON.createArrayNode();
            for (JsonNode item : a) out.add(masked(item, mask));
            return out;
        }
        return node;
    }
}
