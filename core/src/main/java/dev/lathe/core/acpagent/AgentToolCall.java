package dev.lathe.core.acpagent;

import dev.lathe.protocol.RawJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * One tool call as the agent described it so far ({@code tool_call}, then {@code tool_call_update}s, which carry only
 * what changed): {@code kind} is ACP's ({@code read | edit | delete | move | search | execute | think | fetch |
 * switch_mode | other}), {@code status} {@code pending | in_progress | completed | failed}, {@code locations} absolute
 * paths, {@code diffs} the file changes it shows, {@code text} the text content it reported (its output), {@code input}
 * its {@code rawInput} (an object) read at the edge, {@code output} its {@code rawOutput} as text.
 */
public record AgentToolCall(String id, Optional<String> name, Optional<String> title, Optional<String> kind, Optional<String> status,
        Optional<Input> input, Optional<String> output, List<String> locations, List<Diff> diffs, Optional<String> text) {
    public AgentToolCall {
        locations = List.copyOf(locations);
        diffs = List.copyOf(diffs);
    }

    /**
     * The call's arguments ({@code rawInput}) as they came, and what Lathe's rules judge in them: the command line
     * ({@code command}), the files ({@code file_path}, {@code path}), the URL ({@code url}), the search pattern
     * ({@code pattern}) — the names Claude Code's tools use.
     */
    public record Input(RawJson json, Optional<String> command, List<String> paths, Optional<String> url, Optional<String> pattern) {
        public Input {
            paths = List.copyOf(paths);
        }

        static Optional<Input> of(JsonNode raw) {
            if (raw == null || !raw.isObject()) return Optional.empty();
            List<String> paths = new ArrayList<>();
            string(raw, "file_path").ifPresent(paths::add);
            string(raw, "path").filter(p -> !paths.contains(p)).ifPresent(paths::add);
            return Optional.of(new Input(new RawJson(raw.toString()), string(raw, "command"), paths, string(raw, "url"), string(raw, "pattern")));
        }
    }

    /** The command line it runs, when its input names one. */
    public Optional<String> command() { return input.flatMap(Input::command); }

    /** The files its input names (beside {@link #locations}). */
    public List<String> paths() { return input.map(Input::paths).orElse(List.of()); }

    public Optional<String> url() { return input.flatMap(Input::url); }

    public Optional<String> pattern() { return input.flatMap(Input::pattern); }

    /** A file change the call shows: {@code oldText} absent for a new file. */
    public record Diff(String path, Optional<String> oldText, String newText) {}

    /** A call that knows only its id (an update for a call whose start was not seen). */
    public static AgentToolCall unknown(String id) {
        return new AgentToolCall(id, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                List.of(), List.of(), Optional.empty());
    }

    /** This call with what {@code update} sets: a field the update carries replaces this one's (ACP's rule). */
    public AgentToolCall merge(AgentToolCall update) {
        return new AgentToolCall(id, update.name.or(() -> name), update.title.or(() -> title), update.kind.or(() -> kind),
                update.status.or(() -> status), update.input.or(() -> input), update.output.or(() -> output),
                update.locations.isEmpty() ? locations : update.locations, update.diffs.isEmpty() ? diffs : update.diffs,
                update.text.or(() -> text));
    }

    /** Reads an ACP {@code ToolCall} or {@code ToolCallUpdate} object. */
    public static AgentToolCall of(JsonNode n) {
        List<String> locations = new ArrayList<>();
        n.path("locations").forEach(l -> { if (l.path("path").isString()) locations.add(l.path("path").asString()); });
        List<Diff> diffs = new ArrayList<>();
        var text = new StringBuilder();
        for (JsonNode c : n.path("content")) {
            switch (c.path("type").asString("")) {
                case "diff" -> diffs.add(new Diff(c.path("path").asString(""), string(c, "oldText"), c.path("newText").asString("")));
                case "content" -> {
                    JsonNode block = c.path("content");
                    if (block.path("type").asString("").equals("text")) {
                        if (!text.isEmpty()) text.append('\n');
                        text.append(block.path("text").asString(""));
                    }
                }
                default -> { }
            }
        }
        Optional<String> name = string(n, "name").or(() -> string(n.path("_meta").path("claudeCode"), "toolName"));
        return new AgentToolCall(n.path("toolCallId").asString(""), name, string(n, "title"), string(n, "kind"), string(n, "status"),
                Input.of(n.get("rawInput")), output(n.get("rawOutput")), locations, diffs,
                n.has("content") && !n.path("content").isNull() ? Optional.of(text.toString()) : Optional.empty());
    }

    private static Optional<String> string(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v != null && v.isString() ? Optional.of(v.asString()) : Optional.empty();
    }

    private static Optional<String> output(JsonNode v) {
        return v == null || v.isNull() ? Optional.empty() : Optional.of(v.isString() ? v.asString() : v.toString());
    }
}
