package dev.lathe.core.session;

import static dev.lathe.core.session.ScriptedProtocol.call;
import static dev.lathe.core.session.ScriptedProtocol.finish;
import static dev.lathe.core.session.ScriptedProtocol.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.llm.LlmEvent;
import dev.lathe.llm.StopReason;
import dev.lathe.llm.TokenUsage;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.ToolState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running answer's cost is announced when a response ends, not when its tools end (issue 42's footer cost): the
 * answer's message carries its responses' usage and cost so far while a command it asked for still runs. The command
 * here waits for a file the test writes only after it saw the figure, so nothing depends on timing.
 */
class RunningAnswerSpendTest {
    @TempDir Path tmp;

    /** openai/gpt-4o-mini at the bundled catalog's $0.15 per million input and $0.60 per million output tokens: 100,000 and 10 cost $0.015006. */
    static final long ONE_RESPONSE = 15_006;

    @Test
    void theAnswersCostSoFarIsAnnouncedWhileItsCommandStillRuns() throws Exception {
        String config = "{\"model\": \"openai/gpt-4o-mini\", \"permission\": {\"bash\": \"allow\"}, \"provider\": {\"openai\": {"
                + "\"protocol\": \"openai-chat\", \"baseUrl\": \"http://127.0.0.1:9/v1\", \"apiKey\": \"sk-test\"}}}";
        try (var h = new Harness(tmp, config, Sessions.DEFAULT_MAX_STEPS, null)) {
            h.llm.then(Stream.concat(Stream.of(call(0, "c1", "bash", "{\"command\":\"until [ -e release ]; do sleep 0.05; done; echo released\"}")),
                    Stream.of(new LlmEvent.UsageReported(new TokenUsage(100_000, 10, 0, 0, 0)), finish(StopReason.TOOL_CALLS))).toArray(LlmEvent[]::new));
            h.llm.then(text("done"), new LlmEvent.UsageReported(new TokenUsage(100_000, 10, 0, 0, 0)), finish(StopReason.STOP));
            var s = h.session();
            h.api.prompt(s.id(), PromptRequest.text("wait for the file"));

            var soFar = (Event.MessageUpdated) h.awaitEvent(e -> e instanceof Event.MessageUpdated m
                    && m.info() instanceof AssistantMessage a && a.completedAt().isEmpty() && a.cost() > 0);
            AssistantMessage running = (AssistantMessage) soFar.info();
            assertThat(running.cost()).isEqualTo(ONE_RESPONSE);
            assertThat(running.usage().input()).isEqualTo(100_000);
            assertThat(h.events.stream().map(e -> e.event()).anyMatch(e -> e instanceof Event.PartUpdated u
                    && u.part() instanceof Part.Tool t && t.state() instanceof ToolState.Completed))
                    .as("the command still waits for the file").isFalse();
            assertThat(h.api.messages(s.id()).getLast().info()).as("stored as announced").isEqualTo(running);

            Files.writeString(h.project.resolve("release"), "");
            h.awaitIdle(s.id());
            AssistantMessage done = (AssistantMessage) h.api.messages(s.id()).getLast().info();
            assertThat(done.completedAt()).isPresent();
            assertThat(done.cost()).isEqualTo(2 * ONE_RESPONSE);
            assertThat(h.api.session(s.id()).cost()).as("charged to the session once").isEqualTo(2 * ONE_RESPONSE);
        }
    }
}
