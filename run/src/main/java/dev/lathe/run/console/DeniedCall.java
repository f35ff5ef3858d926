package dev.lathe.run.console;

import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.ToolDisplay;
import dev.lathe.protocol.session.ToolRejection;
import dev.lathe.protocol.wire.WireJson;
import dev.lathe.term.VisibleControls;
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
            input = WireJson.mapper().readTree(tool.state().input().json());
        } catch (RuntimeException e) {
            return "";
        }
        for (String key : new String[] {"command", "filePath", "path", "url", "pattern"}) {
            if (input.path(key).isString()) return input.path(key).asString();
        }
        return "";
    }

    /**
     * {@code lathe: denied: bash curl http://… by bash: curl * (/repo/.claude/settings.json)}, or {@code … (nobody could
     * answer its ask: permission.unattended)}.
     */
    static String line(Part.Tool tool, ToolRejection denial) {
        String what = EventPrinter.firstLine(describe(tool));
        // one line whatever the rule or its file hold: a project's rule cannot start a line of its own (a forged "lathe: …")
        String by = switch (denial.by()) {
            case RULE -> " by " + oneLine(denial.rule().orElse("a deny rule")) + denial.source().map(s -> " (" + oneLine(s) + ")").orElse("");
            case UNATTENDED -> " (nobody could answer its ask: permission.unattended" + ")";
            case USER -> "";
        };
        return VisibleControls.line("lathe: denied: " + oneLine(tool.tool()) + (what.isEmpty() ? "" : " " + what) + by);
    }

    /** {@code s} with its line breaks as spaces. */
    private static String oneLine(String s) { return s.replaceAll("\\R", " "); }
}
