package dev.lathe.core.session;

import static dev.lathe.core.session.ScriptedProtocol.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.toolcall.ToolCallSeams;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.tools.ToolRegistry;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * An {@link Error} thrown inside a turn (a provider class that failed to initialize once escaped the HTTP layer this
 * way) ends the turn as failed, said as Lathe's own failure, and the session goes idle: it once ended the turn thread
 * silently, the answer left open, and {@code lathe run} reported success with 0 steps.
 */
class ErrorInTurnTest {
    @TempDir Path tmp;

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(booleans = {true, false})
    void anErrorInTheModelStreamFailsTheTurnVisibly(boolean error) throws Exception {
        Throwable thrown = error ? new ExceptionInInitializerError("the class could not start") : new IllegalStateException("the class could not start");
        try (var h = new Harness(tmp, "", ToolRegistry.builtins(), ToolCallSeams.DEFAULT)) {
            var s = h.session();
            h.llm.thenThrow(thrown, text("half an answ"));
            h.api.prompt(s.id(), PromptRequest.text("hello"));
            var errored = (Event.SessionErrored) h.awaitEvent(Event.SessionErrored.class::isInstance);
            h.awaitIdle(s.id());

            assertThat(errored.error().kind()).isEqualTo("internal");
            assertThat(errored.error().message()).contains("the class could not start");
            var answer = h.api.messages(s.id()).stream().filter(m -> m.info() instanceof AssistantMessage).reduce((a, b) -> b).orElseThrow();
            assertThat(((AssistantMessage) answer.info()).error()).as("the answer says it failed").isPresent();

            // the session goes on: the next prompt is answered
            h.llm.then(text("fine now"), ScriptedProtocol.finish(dev.lathe.llm.StopReason.STOP));
            h.promptAndWait(s.id(), "again");
            assertThat(h.llm.requests).as("the next prompt reached the model").hasSize(2);
        }
    }
    /** What an abort interrupted may throw on its way out: the answer ends as aborted, no error is announced. */
    @org.junit.jupiter.api.Test
    void aStreamThatThrowsAfterAnAbortEndsTheAnswerAsAborted() throws Exception {
        try (var h = new Harness(tmp, "", ToolRegistry.builtins(), ToolCallSeams.DEFAULT)) {
            var s = h.session();
            h.llm.thenHangThenThrow(new IllegalStateException("the socket was closed"), text("half"));
            h.api.prompt(s.id(), PromptRequest.text("hello"));
            assertThat(h.llm.hanging.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            h.api.abort(s.id());
            h.awaitIdle(s.id());

            var answer = h.api.messages(s.id()).stream().filter(m -> m.info() instanceof AssistantMessage).reduce((a, b) -> b).orElseThrow();
            assertThat(((AssistantMessage) answer.info()).error()).hasValueSatisfying(e -> assertThat(e.kind()).isEqualTo("aborted"));
            assertThat(h.events).noneMatch(e -> e.event() instanceof Event.SessionErrored);
        }
    }
}
