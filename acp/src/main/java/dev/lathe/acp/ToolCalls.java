package dev.lathe.acp;

import dev.lathe.jsonrpc.Json;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.ToolDisplay;
import dev.lathe.protocol.session.ToolState;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Lathe tool call as ACP shows one: its kind (from the tool's name), status, title, the files it touches as
 * locations, and its result as content: a diff for a change, the command line and output for a command, the output
 * otherwise. Paths are made absolute against the session's folder, as ACP wants them.
 */
final class ToolCalls {
    /** What an editor needs of a command's or a tool's output: enough to read, not a log (the full output is Lathe's). */
    static final int OUTPUT_LIMIT = 16 * 1024;

    private ToolCalls() {}

    /** The fields of a {@code tool_call} or {@code tool_call_update} for {@code tool}, without {@code sessionUpdate}. */
    static ObjectNode of(Part.Tool tool, Path directory) {
        ToolState state = tool.state();
        JsonNode input = parsed(state.input().json());
        ObjectNode call = Json.object().put("toolCallId", tool.callId());
        call.put("title", title(tool, input));
        call.put("kind", kind(tool.tool()));
        call.put("status", status(state));
        call.set("rawInput", input);
        ArrayNode locations = locations(input, state.display(), directory);
        if (!locations.isEmpty()) call.set("locations", locations);
        ArrayNode content = content(state, directory);
        if (!content.isEmpty()) call.set("content", content);
        switch (state) {
            case ToolState.Completed c -> call.set("rawOutput", Json.object().put("output", capped(c.output())));
            case ToolState.Failed f -> call.set("rawOutput", Json.object().put("error", f.error()));
            case ToolState.Pending _, ToolState.Running _ -> { }
        }
        return call;
    }

    /**
     * ACP's tool kinds, by Lathe's tool names (a permission's rule key is one of them: {@code edit} covers write and
     * apply_patch); a tool of an MCP server or a plugin is {@code other}.
     */
    static String kind(String tool) {
        return switch (tool) {
            case "read" -> "read";
            case "edit", "write", "apply_patch" -> "edit";
            case "grep", "glob", "list", "lsp" -> "search";
            case "bash", "bash_output", "bash_kill" -> "execute";
            case "webfetch" -> "fetch";
            case "todo", "todoread" -> "think";
            default -> "other";
        };
    }

    static String status(ToolState state) {
        return switch (state) {
            case ToolState.Pending _ -> "pending";
            case ToolState.Running _ -> "in_progress";
            case ToolState.Completed _ -> "completed";
            case ToolState.Failed _ -> "failed";
        };
    }

    private static String title(Part.Tool tool, JsonNode input) {
        String title = switch (tool.state()) {
            case ToolState.Running r -> r.title();
            case ToolState.Completed c -> c.title();
            case ToolState.Pending _, ToolState.Failed _ -> "";
        };
        // a title that only names the tool says less than the tool and its target
        if (title != null && !title.isBlank() && !title.equals(tool.tool())) return title;
        Optional<String> target = firstText(input, "command", "filePath", "path", "pattern", "url", "description");
        return target.map(t -> tool.tool() + " " + t).orElse(tool.tool());
    }

    private static ArrayNode locations(JsonNode input, Optional<ToolDisplay> display, Path directory) {
        ArrayNode locations = Json.mapper().createArrayNode();
        if (display.orElse(null) instanceof ToolDisplay.FileChange change) {
            change.files().forEach(f -> locations.addObject().put("path", absolute(f, directory)));
            return locations;
        }
        firstText(input, "filePath", "path").ifPresent(p -> {
            ObjectNode location = locations.addObject().put("path", absolute(p, directory));
            if (input.path("offset").canConvertToInt()) location.put("line", Math.max(1, input.path("offset").asInt()));
        });
        return locations;
    }

    private static ArrayNode content(ToolState state, Path directory) {
        ArrayNode content = Json.mapper().createArrayNode();
        Optional<ToolDisplay> display = state.display();
        if (display.orElse(null) instanceof ToolDisplay.FileChange change && !(state instanceof ToolState.Failed)) {
            diffs(change, directory, content);
            return content;
        }
        String text = switch (state) {
            case ToolState.Running r -> r.output();
            case ToolState.Completed c -> c.output();
            case ToolState.Failed f -> f.error();
            case ToolState.Pending _ -> "";
        };
        if (display.orElse(null) instanceof ToolDisplay.CommandRun run) text = "$ " + run.command() + (text.isEmpty() ? "" : "\n" + text);
        if (!text.isEmpty()) textContent(content, capped(text));
        return content;
    }

    /** Each file of {@code change} as a {@code diff} content block of {@code content}; the files' absolute paths. */
    static List<String> diffs(ToolDisplay.FileChange change, Path directory, ArrayNode content) {
        var paths = new java.util.ArrayList<String>();
        for (var snippet : DiffSnippets.of(change.diff())) {
            String path = absolute(snippet.path(), directory);
            ObjectNode diff = content.addObject().put("type", "diff").put("path", path);
            snippet.oldText().ifPresentOrElse(t -> diff.put("oldText", t), () -> diff.putNull("oldText"));
            diff.put("newText", snippet.newText());
            paths.add(path);
        }
        return paths;
    }

    static void textContent(ArrayNode content, String text) {
        content.addObject().put("type", "content").set("content", Json.object().put("type", "text").put("text", text));
    }

    static String absolute(String path, Path directory) {
        Path p = Path.of(path);
        return (p.isAbsolute() ? p : directory.resolve(p)).normalize().toString();
    }

    private static Optional<String> firstText(JsonNode input, String... names) {
        for (String name : names) {
            JsonNode v = input.get(name);
            if (v != null && v.isString() && !v.asString().isBlank()) return Optional.of(v.asString());
        }
        return Optional.empty();
    }

    private static String capped(String text) {
        return text.length() <= OUTPUT_LIMIT ? text : text.substring(0, OUTPUT_LIMIT) + "\n… (" + (text.length() - OUTPUT_LIMIT) + " more characters in Lathe's session)";
    }

    private static JsonNode parsed(String json) {
        try {
            return json == null || json.isBlank() ? Json.object() : Json.mapper().readTree(json);
        } catch (JacksonException e) {
            return Json.object().put("arguments", json);
        }
    }
}
