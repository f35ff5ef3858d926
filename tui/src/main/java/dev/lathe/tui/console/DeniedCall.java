package dev.lathe.tui.console;

import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.ToolDisplay;
import tools.jackson.databind.JsonNode;

/** What a denied call wanted, in a few words for a line of {@code lathe run}'s stderr: its command, file or URL. */
final class DeniedCall {
    private DeniedCall() {}

    static String describe(Part.Tool tool) {
        var shown = tool.state().display();
        if (shown.isPresent()) {
            return switch (shown.get()) {
                case ToolDisplay.CommandRun run -> run.command();
                case ToolDisplay.FileChange change -> String.join(" ", change.files());
                case ToolDisplay.FileRead read -> read.path();
                case ToolDisplay.WebPage page -> page.url();
                case ToolDisplay.SubagentRun agent -> agent.agent();
            };
        }
        // a call with no display: the first of its arguments that says what it acts on
        JsonNode input;
        try {
            input = dev.lathe.protocol.wire.WireJson.mapper().readTree(tool.state().input().json());
        } catch (RuntimeException e) {
            return "";
        }
        for (String key : new String[] {"command", "filePath", "path", "url", "pattern"}) {
            if (input.path(key).isString()) return input.path(key).asString();
        }
        return "";
    }
}
