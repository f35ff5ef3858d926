package dev.lathe.core.session;

import static dev.lathe.core.session.ScriptedProtocol.call;
import static dev.lathe.core.session.ScriptedProtocol.finish;
import static dev.lathe.core.session.ScriptedProtocol.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.context.ContextBuilder;
import dev.lathe.core.session.turn.TurnSeams;
import dev.lathe.llm.Content;
import dev.lathe.llm.LlmError;
import dev.lathe.llm.LlmEvent;
import dev.lathe.llm.LlmRequest;
import dev.lathe.llm.StopReason;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.ToolState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The turn under provider faults (issue 25), against the real core with a scripted protocol: a failed attempt leaves
 * nothing half-said, invalid calls are answered a few times only, duplicate call ids get their own results, a response
 * cut at the output limit goes on with a note, and an answer past {@code limits.maxAnswerBytes} is stopped.
 */
class TurnFaultsTest {
    @TempDir Path tmp;

    private static LlmEvent[] concat(LlmEvent[]... groups) {
        return Stream.of(groups).flatMap(Stream::of).toArray(LlmEvent[]::new);
    }

    private static List<Content.ToolResult> results(LlmRequest request) {
        return request.messages().stream().flatMap(m -> m.content().stream())
                .filter(Content.ToolResult.class::isInstance).map(Content.ToolResult.class::cast).toList();
    }

    private static List<Part> parts(List<MessageWithParts> history) {
        return history.stream().flatMap(m -> m.parts().stream()).toList();
    }

    /** The assistant's text, all messages joined. */
    private static String texts(List<MessageWithParts> history) {
        return parts(history.stream().filter(m -> m.info() instanceof AssistantMessage).toList()).stream().filter(Part.Text.class::isInstance).map(p -> ((Part.Text) p).text()).reduce("", String::concat);
    }

    @Test
    void aFailedAttemptsTextReasoningAndUnfinishedCallsAreDeletedBeforeTheRetryAndKeptInTheRawLog() throws Exception {
        try (var h = new Harness(tmp, ", \"retry\": {\"maxAttempts\": 3}", 10)) {
            h.llm.then(new LlmEvent.ReasoningDelta(0, "THINKING-FRAGMENT", Optional.empty()), new LlmEvent.TextDelta(1, "HALF-AN-ANS"),
                    new LlmEvent.ToolCallStarted(2, "cut1", "read"), new LlmEvent.ToolCallArgsDelta(2, "{\"pa"),
                    ScriptedProtocol.failed(new LlmError.Transport("stream broke off: connection reset")));
            h.llm.then(text("The whole answer."), finish(StopReason.STOP));
            var s = h.session();

            h.promptAndWait(s.id(), "hi");

            var history = h.api.messages(s.id());
            assertThat(texts(history)).doesNotContain("HALF-AN-ANS").contains("The whole answer.");
            assertThat(parts(history)).noneMatch(p -> p instanceof Part.Reasoning);
            assertThat(parts(history)).noneMatch(p -> p instanceof Part.Tool);
            // the clients were told: each deleted part is announced as removed
            long removed = h.events.stream().filter(e -> e.event() instanceof Event.PartRemoved).count();
            assertThat(removed).isEqualTo(3);
            // and the second request was not sent the fragment either
            assertThat(h.llm.requests.get(1).messages()).isEqualTo(h.llm.requests.get(0).messages());
            Path raw = tmp.resolve("state/lathe/raw/" + s.id().value() + ".jsonl");
            assertThat(Files.readString(raw)).contains("HALF-AN-ANS").contains("THINKING-FRAGMENT").contains("cut1").contains("connection reset");
            // the database holds no trace of it
            assertThat(h.journal.messages().bySession(s.id()).toString()).doesNotContain("HALF-AN-ANS");
        }
    }

    @Test
    void aToolThatRanBeforeTheStreamBrokeStaysWithItsResultAndTheTextAroundItGoes() throws Exception {
        try (var h = new Harness(tmp, ", \"permission\": {\"bash\": \"allow\", \"edit\": \"allow\"}", 10)) {
            h.llm.then(concat(new LlmEvent[] {text("Appending now, then I wi")}, call(1, "c1", "bash", "{\"command\":\"echo ran >> count.txt\"}"),
                    new LlmEvent[] {new LlmEvent.TextDelta(5, "AFTER-THE-CALL"),
                            ScriptedProtocol.failed(new LlmError.Transport("stream broke off: connection reset"))}));
            h.llm.then(text("It ran once."), finish(StopReason.STOP));
            var s = h.session();

            h.promptAndWait(s.id(), "append a line");

            assertThat(Files.readString(h.project.resolve("count.txt"))).isEqualTo("ran\n");
            var history = h.api.messages(s.id());
            assertThat(texts(history)).doesNotContain("Appending now").doesNotContain("AFTER-THE-CALL").contains("It ran once.");
            assertThat(parts(history)).filteredOn(Part.Tool.class::isInstance).singleElement()
                    .satisfies(p -> assertThat(((Part.Tool) p).state()).isInstanceOf(ToolState.Completed.class));
            assertThat(results(h.llm.requests.get(1))).extracting(Content.ToolResult::callId).containsExactly("c1");
        }
    }

    @Test
    void aRetriedResponseThatRepeatsACallThatAlreadyRanGetsItsResultWithoutASecondRun() throws Exception {
        try (var h = new Harness(tmp, ", \"permission\": {\"bash\": \"allow\", \"edit\": \"allow\"}", 10)) {
            LlmEvent[] append = call(1, "c1", "bash", "{\"command\":\"echo ran >> count.txt\"}");
            h.llm.then(concat(append, new LlmEvent[] {ScriptedProtocol.failed(new LlmError.Transport("stream broke off: connection reset"))}));
            // a gateway replays the same response: same id, same call
            h.llm.then(concat(append, new LlmEvent[] {finish(StopReason.TOOL_CALLS)}));
            h.llm.then(text("done"), finish(StopReason.STOP));
            var s = h.session();

            h.promptAndWait(s.id(), "append a line");

            assertThat(Files.readString(h.project.resolve("count.txt"))).isEqualTo("ran\n");
            var tools = parts(h.api.messages(s.id())).stream().filter(Part.Tool.class::isInstance).map(Part.Tool.class::cast).toList();
            assertThat(tools).extracting(Part.Tool::callId).containsExactly("c1", "c1_2");
            assertThat(tools).allSatisfy(t -> assertThat(t.state()).isInstanceOf(ToolState.Completed.class));
            assertThat(results(h.llm.requests.get(2))).extracting(Content.ToolResult::callId).containsExactly("c1", "c1_2");
            assertThat(results(h.llm.requests.get(2)).get(1).output()).contains("not run again");
        }
    }

    @Test
    void aModelThatKeepsSendingInvalidCallsIsAnsweredAFewTimesThenTheTurnStops() throws Exception {
        try (var h = new Harness(tmp, "", 50)) {
            for (int i = 0; i < 20; i++) {
                h.llm.then(concat(call(0, "bad" + i, "read", "{\"path\": "), call(1, "tele" + i, "teleport", "{}"),
                        new LlmEvent[] {finish(StopReason.TOOL_CALLS)}));
            }
            var s = h.session();

            h.promptAndWait(s.id(), "go");

            assertThat(h.llm.requests).hasSize(TurnSeams.REPAIR_LIMIT + 1);
            var last = (AssistantMessage) h.api.messages(s.id()).getLast().info();
            assertThat(last.error()).hasValueSatisfying(e -> {
                assertThat(e.kind()).isEqualTo("invalid_tool_calls");
                assertThat(e.message()).contains("rephrase");
            });
        }
    }

    @Test
    void aValidCallBetweenInvalidOnesStartsTheRepairsOver() throws Exception {
        try (var h = new Harness(tmp, "", 50)) {
            Files.writeString(h.project.resolve("a.txt"), "hello\n");
            LlmEvent[] invalid = concat(call(0, "x", "teleport", "{}"), new LlmEvent[] {finish(StopReason.TOOL_CALLS)});
            for (int i = 0; i < TurnSeams.REPAIR_LIMIT; i++) h.llm.then(invalid);
            h.llm.then(concat(call(0, "ok", "read", "{\"path\":\"a.txt\"}"), new LlmEvent[] {finish(StopReason.TOOL_CALLS)}));
            for (int i = 0; i < TurnSeams.REPAIR_LIMIT; i++) h.llm.then(invalid);
            h.llm.then(text("done"), finish(StopReason.STOP));
            var s = h.session();

            h.promptAndWait(s.id(), "go");

            assertThat(h.llm.requests).hasSize(2 * TurnSeams.REPAIR_LIMIT + 2);
            assertThat(((AssistantMessage) h.api.messages(s.id()).getLast().info()).finish()).contains("stop");
        }
    }

    @Test
    void duplicateCallIdsInOneResponseEachGetTheirOwnPartAndResult() throws Exception {
        try (var h = new Harness(tmp, "", 10)) {
            Files.writeString(h.project.resolve("a.txt"), "ALPHA\n");
            Files.writeString(h.project.resolve("b.txt"), "BRAVO\n");
            h.llm.then(concat(call(2, "dup", "read", "{\"path\":\"a.txt\"}"), call(3, "dup", "read", "{\"path\":\"b.txt\"}"),
                    new LlmEvent[] {finish(StopReason.TOOL_CALLS)}));
            h.llm.then(text("read both"), finish(StopReason.STOP));
            var s = h.session();

            h.promptAndWait(s.id(), "read");

            var second = h.llm.requests.get(1);
            var calls = second.messages().stream().flatMap(m -> m.content().stream()).filter(Content.ToolCall.class::isInstance)
                    .map(Content.ToolCall.class::cast).toList();
            assertThat(calls).extracting(Content.ToolCall::callId).containsExactly("dup", "dup_2");
            assertThat(results(second)).extracting(Content.ToolResult::callId).containsExactly("dup", "dup_2");
            assertThat(results(second).get(0).output()).contains("ALPHA").doesNotContain("BRAVO");
            assertThat(results(second).get(1).output()).contains("BRAVO").doesNotContain("ALPHA");
            var tools = parts(h.api.messages(s.id())).stream().filter(Part.Tool.class::isInstance).map(Part.Tool.class::cast).toList();
            assertThat(tools).extracting(Part.Tool::callId).containsExactly("dup", "dup_2");
            assertThat(tools).extracting(t -> t.id()).doesNotHaveDuplicates();
        }
    }

    @Test
    void callsThatShareOneContentBlockEachGetTheirOwnPartAndNoneIsLeftPending() throws Exception {
        try (var h = new Harness(tmp, "", 10)) {
            Files.writeString(h.project.resolve("a.txt"), "ALPHA\n");
            Files.writeString(h.project.resolve("b.txt"), "BRAVO\n");
            h.llm.then(new LlmEvent.ToolCallStarted(4, "r1", "read"), new LlmEvent.ToolCallFinished(4, "r1", "read", "{\"path\":\"a.txt\"}"),
                    new LlmEvent.ToolCallStarted(4, "r2", "read"), new LlmEvent.ToolCallFinished(4, "r2", "read", "{\"path\":\"b.txt\"}"),
                    finish(StopReason.TOOL_CALLS));
            h.llm.then(text("both"), finish(StopReason.STOP));
            var s = h.session();

            h.promptAndWait(s.id(), "read");

            var tools = parts(h.api.messages(s.id())).stream().filter(Part.Tool.class::isInstance).map(Part.Tool.class::cast).toList();
            assertThat(tools).extracting(Part.Tool::callId).containsExactly("r1", "r2");
            assertThat(tools).allSatisfy(t -> assertThat(t.state()).isInstanceOf(ToolState.Completed.class));
        }
    }

    @Test
    void aResponseCutAtTheOutputLimitGoesOnWithANoteToTheModel() throws Exception {
        try (var h = new Harness(tmp, "", 10)) {
            h.llm.then(text("The first half of a long"), finish(StopReason.LENGTH));
            h.llm.then(text(" answer, finished."), finish(StopReason.STOP));
            var s = h.session();

            h.promptAndWait(s.id(), "write a lot");

            assertThat(h.llm.requests).hasSize(2);
            var note = h.llm.requests.get(1).messages().getLast();
            assertThat(note.content()).contains(new Content.Text(ContextBuilder.CUT_AT_LIMIT));
            var history = h.api.messages(s.id());
            assertThat(history.stream().filter(m -> m.info() instanceof AssistantMessage)).hasSize(1);
            assertThat(((AssistantMessage) history.getLast().info()).finish()).contains("stop");
            assertThat(texts(history)).isEqualTo("The first half of a long answer, finished.");
        }
    }

    @Test
    void aCallCutMidArgumentsAtTheOutputLimitDoesNotRunAndTheModelIsTold() throws Exception {
        try (var h = new Harness(tmp, ", \"permission\": {\"bash\": \"allow\", \"edit\": \"allow\"}", 10)) {
            // the provider reports every output token the request allowed: the response was cut there
            h.llm.then(concat(call(2, "w1", "bash", "{\"command\":\"echo x > cut.txt"),
                    new LlmEvent[] {new LlmEvent.UsageReported(new dev.lathe.llm.TokenUsage(100, 4000, 0, 0, 0)), finish(StopReason.TOOL_CALLS)}));
            h.llm.then(text("ok, in parts then"), finish(StopReason.STOP));
            var s = h.session();

            h.promptAndWait(s.id(), "write");

            assertThat(h.project.resolve("cut.txt")).doesNotExist();
            var second = h.llm.requests.get(1);
            assertThat(results(second)).singleElement().satisfies(r -> assertThat(r.isError()).isTrue());
            assertThat(second.messages().getLast().content()).contains(new Content.Text(ContextBuilder.CUT_AT_LIMIT));
        }
    }

    @Test
    void anAnswerPastMaxAnswerBytesIsStoppedAndTheTurnSaysWhy() throws Exception {
        try (var h = new Harness(tmp, ", \"limits\": {\"maxAnswerBytes\": 1000}", 10)) {
            LlmEvent[] deltas = new LlmEvent[101];
            for (int i = 0; i < 100; i++) deltas[i] = text("0123456789abcdefghi\n");
            deltas[100] = finish(StopReason.STOP);
            h.llm.then(deltas);
            var s = h.session();

            h.promptAndWait(s.id(), "say a lot");

            var history = h.api.messages(s.id());
            assertThat(texts(history).length()).isLessThanOrEqualTo(1000).isGreaterThan(900);
            var last = (AssistantMessage) history.getLast().info();
            assertThat(last.error()).hasValueSatisfying(e -> {
                assertThat(e.kind()).isEqualTo("answer_too_large");
                assertThat(e.message()).contains("limits.maxAnswerBytes");
            });
        }
    }
}
