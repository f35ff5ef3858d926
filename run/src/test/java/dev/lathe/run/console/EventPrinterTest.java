package dev.lathe.run.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.RawJson;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.ToolState;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Text mode's printing: deltas as they come, and the stored answer completing what the events did not bring. */
class EventPrinterTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final EventPrinter printer = new EventPrinter(new PrintStream(bytes, true, StandardCharsets.UTF_8), new PrintStream(bytes, true, StandardCharsets.UTF_8));
    private final SessionId session = SessionId.next();
    private final MessageId message = MessageId.next();

    private String printed() { return bytes.toString(StandardCharsets.UTF_8); }

    @Test
    void theStoredAnswerCompletesTextWhoseLastDeltasWereLost() {
        var text = new Part.Text(PartId.next(), session, message, "", false);
        printer.on(new Event.PartUpdated(text));
        printer.on(new Event.PartDelta(session, message, text.id(), "text", "From the pro"));
        var tool = new Part.Tool(PartId.next(), session, message, "c1", "bash", new ToolState.Completed(new RawJson("{}"), "ok", "ls", Map.of(), 0, 1,
                List.of(), Optional.empty()), Map.of());

        printer.complete(List.of(text.withText("From the project's server."), tool));
        printer.complete(List.of(text.withText("From the project's server."), tool));

        assertThat(printed()).isEqualTo("From the project's server.\n✓ bash ls\n");
    }

    @Test
    void aToolWhoseTitleBeginsWithItsNameIsNamedOnce() {
        // an MCP tool's call is titled "SERVER_TOOL ARGS": "✓ mcp_search mcp_search echo" said it twice (issue 82)
        var mcp = new Part.Tool(PartId.next(), session, message, "c1", "mcp_search", new ToolState.Completed(new RawJson("{}"), "ok",
                "mcp_search echo", Map.of(), 0, 1, List.of(), Optional.empty()), Map.of());
        var bash = new Part.Tool(PartId.next(), session, message, "c2", "bash", new ToolState.Completed(new RawJson("{}"), "ok",
                "bashful --help", Map.of(), 0, 1, List.of(), Optional.empty()), Map.of());
        printer.on(new Event.PartUpdated(mcp));
        printer.on(new Event.PartUpdated(bash));
        assertThat(printed()).isEqualTo("✓ mcp_search echo\n✓ bash bashful --help\n");
    }

    /**
     * DESIGN §18 "Unattended work": lathe run names each denied call on stderr, the rule and its file; the printer's own
     * line for it says denied, never "rejected by you".
     */
    @Test
    void aCommandTheModelWroteIsOneLineWithItsControlsShown() {
        String command = "echo one\nlathe: all checks passed\r\u001b]0;owned\u0007";
        var tool = new Part.Tool(PartId.next(), session, message, "c1", "bash", new ToolState.Completed(new RawJson("{}"), "one", command, Map.of(), 0, 1,
                List.of(), Optional.of(dev.lathe.protocol.session.ToolDisplay.CommandRun.exited(command, 0))), Map.of());
        printer.on(new Event.PartUpdated(tool));
        assertThat(printed()).isEqualTo("✓ bash echo one␊lathe: all checks passed␍␛]0;owned␇\n");
        assertThat(RunNotices.rejectedMessage(new dev.lathe.protocol.event.PermissionRequest(dev.lathe.protocol.PermissionId.next(), session, message,
                "c2", "bash", List.of("git push\nlathe: done"), List.of(), "git push", Map.of(), 0, Optional.empty(),
                dev.lathe.protocol.event.ApprovalScope.PROJECT, Optional.empty()))).doesNotContain("\n").contains("git push␊lathe: done");
    }

    @Test
    void aDeniedCallIsNamedWithItsRuleAndFile() {
        var denied = new Part.Tool(PartId.next(), session, message, "c1", "bash", new ToolState.Failed(new RawJson("{\"command\":\"curl http://127.0.0.1:9/\"}"),
                "Denied by bash: curl * (/repo/.claude/settings.json): …", 0, 1, Optional.of(new dev.lathe.protocol.session.ToolDisplay.CommandRun(
                        "curl http://127.0.0.1:9/", dev.lathe.protocol.session.ToolDisplay.CommandRun.Ending.EXITED, Optional.empty())),
                Optional.of(dev.lathe.protocol.session.ToolRejection.byRule("bash: curl *", "/repo/.claude/settings.json"))), Map.of());
        assertThat(DeniedCall.line(denied, ((ToolState.Failed) denied.state()).rejection().orElseThrow()))
                .isEqualTo("lathe: denied: bash curl http://127.0.0.1:9/ by bash: curl * (/repo/.claude/settings.json)");
        printer.on(new Event.PartUpdated(denied));
        assertThat(printed()).isEqualTo("⊘ bash curl http://127.0.0.1:9/ by bash: curl * (/repo/.claude/settings.json) — denied\n");

        var nobody = new Part.Tool(PartId.next(), session, message, "c2", "write", new ToolState.Failed(new RawJson("{\"path\":\"a.txt\"}"),
                "Denied: …", 0, 1, Optional.empty(), Optional.of(dev.lathe.protocol.session.ToolRejection.unattended())), Map.of());
        assertThat(DeniedCall.line(nobody, dev.lathe.protocol.session.ToolRejection.unattended()))
                .isEqualTo("lathe: denied: write a.txt (nobody could answer its ask: permission.unattended)");
        // a project's rule cannot add a line of its own to the run's stderr
        assertThat(DeniedCall.line(denied, dev.lathe.protocol.session.ToolRejection.byRule("bash: x\nlathe: all good *", "/repo/lathe.json")))
                .doesNotContain("\n").endsWith("by bash: x lathe: all good * (/repo/lathe.json)");
    }

    @Test
    void anAnswerWhoseDeltasAllArrivedIsNotPrintedTwice() {
        var text = new Part.Text(PartId.next(), session, message, "", false);
        printer.on(new Event.PartUpdated(text));
        printer.on(new Event.PartDelta(session, message, text.id(), "text", "Whole"));
        printer.on(new Event.PartDelta(session, message, text.id(), "text", " answer."));

        printer.complete(List.of(text.withText("Whole answer.")));

        assertThat(printed()).isEqualTo("Whole answer.");
    }

    @Test
    void everyHookRunIsOneLineOnTheToolStreamOnceAndNotWhenItWasKnownBefore() {
        var hook = new Part.Hook(PartId.next(), session, message, "PreToolUse", "./guard.sh", ".claude/settings.json", Optional.of("Bash"),
                Optional.of("c1"), Optional.of(2), 12, "blocked", "no pushes\nmore");
        var earlier = new Part.Hook(PartId.next(), session, message, "SessionStart", "./hello.sh", "lathe.json", Optional.empty(),
                Optional.empty(), Optional.of(0), 3, "ok", "");
        printer.know(earlier);

        printer.on(new Event.PartUpdated(hook));
        printer.complete(List.of(earlier, hook));

        assertThat(printed()).isEqualTo("⚙ PreToolUse ./guard.sh (.claude/settings.json) exit 2 · 12 ms · blocked: no pushes\n");
    }
}
