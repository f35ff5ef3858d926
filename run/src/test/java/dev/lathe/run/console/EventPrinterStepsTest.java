package dev.lathe.run.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.RawJson;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.ToolDisplay;
import dev.lathe.protocol.session.ToolState;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Text mode: a paragraph per step's text, a failing command shown as a failure with its exit code. */
class EventPrinterStepsTest {
    static final SessionId SES = new SessionId("ses_p");
    static final MessageId MSG = new MessageId("msg_a");

    final ByteArrayOutputStream text = new ByteArrayOutputStream();
    final ByteArrayOutputStream tools = new ByteArrayOutputStream();
    final EventPrinter printer = new EventPrinter(new PrintStream(text, true, StandardCharsets.UTF_8), new PrintStream(tools, true, StandardCharsets.UTF_8));

    void say(String partId, String words) {
        var id = new PartId(partId);
        printer.on(new Event.PartUpdated(new Part.Text(id, SES, MSG, "", false)));
        printer.on(new Event.PartDelta(SES, MSG, id, "text", words));
    }

    void ran(String partId, String command, int exit) {
        printer.on(new Event.PartUpdated(new Part.Tool(new PartId(partId), SES, MSG, "c-" + partId, "bash",
                new ToolState.Completed(new RawJson("{}"), "out", command, Map.of(), 1, 2, List.of(), Optional.of(ToolDisplay.CommandRun.exited(command, exit))),
                Map.of())));
    }

    @Test
    void eachStepsTextIsAParagraphAndAFailedCommandIsAFailureWithItsExitCode() {
        say("prt_1", "I will look.");
        ran("prt_2", "ls", 0);
        ran("prt_3", "make", 2);
        say("prt_4", "The build ");
        printer.on(new Event.PartDelta(SES, MSG, new PartId("prt_4"), "text", "fails."));
        assertThat(text.toString(StandardCharsets.UTF_8)).isEqualTo("I will look.\n\nThe build fails.");
        assertThat(tools.toString(StandardCharsets.UTF_8)).isEqualTo("✓ bash ls\n✗ bash make (exit 2)\n");
    }

    @Test
    void aFailedAttemptsTextThatWasPrintedIsSaidToBeDiscarded() {
        say("prt_1", "half an ans");
        printer.on(new Event.PartRemoved(SES, MSG, new PartId("prt_1")));
        say("prt_2", "The whole answer.");
        assertThat(text.toString(StandardCharsets.UTF_8)).isEqualTo("half an ans\nThe whole answer.");
        assertThat(tools.toString(StandardCharsets.UTF_8)).contains("discarded");
        // a removed part that was never printed says nothing
        printer.on(new Event.PartRemoved(SES, MSG, new PartId("prt_9")));
        assertThat(tools.toString(StandardCharsets.UTF_8).lines()).hasSize(1);
    }
}
