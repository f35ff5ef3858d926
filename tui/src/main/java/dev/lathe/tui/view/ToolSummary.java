package dev.lathe.tui.view;

import dev.lathe.protocol.RawJson;
import dev.lathe.protocol.session.ToolDisplay;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.protocol.wire.WireJson;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** The one-line description of a tool call: its title when the tool gave one, else its main argument. */
final class ToolSummary {
    private ToolSummary() {}

    /** Argument keys that say what a call is about, most telling first. */
    private static final List<String> KEYS = List.of("command", "filePath", "file_path", "path", "pattern", "url", "query",
            "description", "name", "prompt");

    static String of(String tool, ToolState state) {
        // a command is described by its command line, whatever title it was given
        if (state.display().orElse(null) instanceof ToolDisplay.CommandRun) return fromInput(state.input());
        String title = switch (state) {
            case ToolState.Running r -> r.title();
            case ToolState.Completed c -> c.title();
            case ToolState.Pending _, ToolState.Failed _ -> "";
        };
        // a title that only repeats the tool's name says less than its arguments
        if (title != null && !title.isBlank() && !title.equals(tool)) return oneLine(title);
        return fromInput(state.input());
    }

    static String fromInput(RawJson input) {
        try {
            JsonNode node = WireJson.mapper().readTree(input.json());
            if (!node.isObject()) return "";
            for (String key : KEYS) {
                JsonNode v = node.get(key);
                if (v != null && v.isString() && !v.asString().isBlank()) return oneLine(v.asString());
            }
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                if (e.getValue().isString()) return oneLine(e.getValue().asString());
            }
            return "";
        } catch (RuntimeException e) {
            return "";
        }
    }

    static String oneLine(String s) {
        String first = s.strip();
        int nl = first.indexOf('\n');
        return nl < 0 ? first : first.substring(0, nl) + " …";
    }
}
