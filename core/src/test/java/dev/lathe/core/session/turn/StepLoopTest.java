package dev.lathe.core.session.turn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.session.ScriptedProtocol;
import dev.lathe.core.session.journal.LiveText;
import dev.lathe.core.session.journal.RawLog;
import dev.lathe.core.session.journal.StepParts;
import dev.lathe.llm.Cancellation;
import dev.lathe.llm.LlmError;
import dev.lathe.llm.LlmEvent;
import dev.lathe.llm.LlmRequest;
import dev.lathe.llm.StopReason;
import dev.lathe.llm.TokenUsage;
import dev.lathe.llm.ToolChoice;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.RawJson;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.protocol.session.Usage;
import dev.lathe.protocol.session.UserMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The model's step loop on its own (issue 54): a scripted stream, parts kept in a map, tools that only record their
 * calls, and a policy of a few lines. No journal, no SQLite, no event bus.
 */
class StepLoopTest {
    private final SessionId session = SessionId.next();
    private final AssistantMessage message = new AssistantMessage(MessageId.next(), session, MessageId.next(), "build", "scripted/m",
            System.currentTimeMillis(), Optional.empty(), Optional.empty(), Optional.empty(), Usage.ZERO, 0);
    private final Parts parts = new Parts();
    private final RecordingTools tools = new RecordingTools();
    private final Cancellation cancellation = new Cancellation();
    private final StepLoop loop = new StepLoop(session, parts, RawLog.NONE, cancellation);

    @Test
    void textAndAToolCallThenASecondStepThatFinishes() {
        // one scripted response per request
        var first = new ScriptedProtocol().then(concat(ScriptedProtocol.text("Reading it."), ScriptedProtocol.call(1, "c1", "read", "{\"filePath\":\"a.txt\"}"),
                ScriptedProtocol.finish(StopReason.TOOL_CALLS)))
                // the second reuses the call id: the history the step is given holds c1 already, so it is renamed
                .then(concat(ScriptedProtocol.text("Done."), ScriptedProtocol.call(1, "c1", "read", "{\"filePath\":\"b.txt\"}"),
                        ScriptedProtocol.finish(StopReason.TOOL_CALLS)))
                .then(ScriptedProtocol.text("All read."), ScriptedProtocol.finish(StopReason.STOP));
        var policy = new Policy(first);

        Responder.Answer answer = loop.run(10, policy);

        assertThat(answer).isEqualTo(new Responder.Answer.Ended(Turn.Ending.FINISHED));
        assertThat(policy.outcomes).extracting(o -> o.getClass().getSimpleName()).containsExactly("ToolCallsRan", "ToolCallsRan", "Finished");
        assertThat(first.requests).hasSize(3);
        assertThat(tools.started).extracting(Part.Tool::callId).containsExactly("c1", "c1_2");
        assertThat(parts.texts()).containsExactly("Reading it.", "Done.", "All read.");
        assertThat(parts.stored.values()).filteredOn(p -> p instanceof Part.StepStart).hasSize(3);
        assertThat(policy.responded).hasSize(3);
    }

    @Test
    void aStreamThatBreaksMidwayFailsTheStepAndLeavesNothingHalfSaid() {
        var broken = new ScriptedProtocol().then(ScriptedProtocol.text("Half an answ"),
                ScriptedProtocol.failed(new LlmError.Transport("connection reset")));
        var policy = new Policy(broken);

        Responder.Answer answer = loop.run(10, policy);

        assertThat(answer).isEqualTo(new Responder.Answer.Ended(Turn.Ending.PROVIDER_ERROR));
        assertThat(policy.outcomes).singleElement().isInstanceOfSatisfying(StepLoop.Outcome.Failed.class,
                f -> assertThat(f.error().message()).contains("connection reset"));
        assertThat(parts.texts()).isEmpty();
        assertThat(parts.removed).extracting(p -> ((Part.Text) p).text()).containsExactly("Half an answ");
        assertThat(tools.started).isEmpty();
    }

    @Test
    void anAbortWhileStreamingEndsTheStepAsAbortedAndKeepsWhatWasSaid() throws Exception {
        var hanging = new ScriptedProtocol().thenHang(ScriptedProtocol.text("Thinking about"));
        var policy = new Policy(hanging);
        var aborter = Thread.ofVirtual().start(() -> {
            try {
                hanging.hanging.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            cancellation.cancel();
        });

        Responder.Answer answer = loop.run(10, policy);
        aborter.join();

        assertThat(answer).isEqualTo(new Responder.Answer.Ended(Turn.Ending.ABORTED));
        assertThat(policy.outcomes).singleElement().isInstanceOf(StepLoop.Outcome.Aborted.class);
        assertThat(parts.texts()).containsExactly("Thinking about");
    }

    @Test
    void anAbortBetweenStepsSendsNothingMore() {
        var idle = new ScriptedProtocol();
        var policy = new Policy(idle);
        cancellation.cancel();

        assertThat(loop.run(10, policy)).isEqualTo(new Responder.Answer.Ended(Turn.Ending.ABORTED));
        assertThat(idle.requests).isEmpty();
        assertThat(policy.outcomes).isEmpty();
    }

    private static LlmEvent[] concat(Object... events) {
        List<LlmEvent> all = new ArrayList<>();
        for (Object e : events) {
            if (e instanceof LlmEvent one) all.add(one);
            else all.addAll(List.of((LlmEvent[]) e));
        }
        return all.toArray(LlmEvent[]::new);
    }

    /** The policy of a turn with nothing around it: tool calls go on, an answer or a failure ends the loop. */
    @Test
    void aStepKnowsItsMessagesCallIdsAndTheCallsThatCompletedInFailedAttemptsOnly() {
        MessageId answer = MessageId.next();
        var input = new RawJson("{}");
        java.util.function.BiFunction<String, ToolState, Part.Tool> call = (id, state) ->
                new Part.Tool(PartId.next(), session, answer, id, "read", state);
        var done = new ToolState.Completed(input, "out", "t", Map.of(), 1, 2);
        java.util.function.Function<String, Part.StepFinish> finish = reason ->
                new Part.StepFinish(PartId.next(), session, answer, reason, Usage.ZERO, 0, Optional.empty());
        Part.Tool c1 = call.apply("c1", done);
        Part.Tool c2 = call.apply("c2", new ToolState.Running(input, "t", 1, ""));
        Part.Tool c3 = call.apply("c3", done);
        Part.Tool c4 = call.apply("c4", done);
        List<Part> parts = List.of(new Part.StepStart(PartId.next(), session, answer, Optional.empty()), c1, c2, finish.apply(StopReason.ERROR.wire()),
                new Part.StepStart(PartId.next(), session, answer, Optional.empty()), c3, finish.apply(StopReason.TOOL_CALLS.wire()),
                new Part.StepStart(PartId.next(), session, answer, Optional.empty()), c4);
        var info = new AssistantMessage(answer, session, MessageId.next(), "build", "a/b", 2, Optional.empty(), Optional.empty(), Optional.empty(),
                Usage.ZERO, 0);
        var later = new UserMessage(MessageId.next(), session, 3, "build", "a/b");
        List<MessageWithParts> history = List.of(new MessageWithParts(info, parts), new MessageWithParts(later, List.of()));

        assertThat(StepLoop.partsOf(history, answer)).isEqualTo(parts);
        assertThat(StepLoop.partsOf(history, MessageId.next())).isEmpty();
        assertThat(StepLoop.callIdsOf(parts)).containsExactlyInAnyOrder("c1", "c2", "c3", "c4");
        // c2 did not complete, c3's step did not fail, c4's step has not finished
        assertThat(StepLoop.completedInFailedAttempts(parts)).containsExactly(c1);
    }

    private final class Policy implements StepLoop.Policy {
        final ScriptedProtocol protocol;
        final List<StepLoop.Outcome> outcomes = new ArrayList<>();
        final List<TokenUsage> responded = new ArrayList<>();

        Policy(ScriptedProtocol protocol) {
            this.protocol = protocol;
        }

        @Override
        public StepLoop.Before before(boolean lastStep) {
            var request = new LlmRequest("m", List.of("You are Lathe."), List.of(), List.of(), 1000, ToolChoice.AUTO, Optional.empty(),
                    Optional.empty());
            List<MessageWithParts> history = List.of(new MessageWithParts(message, List.copyOf(parts.stored.values())));
            var step = new StepLoop.Step(message.id(), request, history, new StepLoop.Streaming((r, sink, cancel) -> protocol.stream(null, r, sink, cancel),
                    "scripted", Duration.ofSeconds(30), Long.MAX_VALUE, dev.lathe.core.toolcall.SecretMask.of(java.util.Set.of())), () -> tools, CompletableFuture.completedFuture(Optional.empty()), responded::add);
            var start = new Part.StepStart(PartId.next(), session, message.id(), Optional.empty(), Map.of());
            return new StepLoop.Before.Send(step, start, () -> { });
        }

        @Override
        public StepLoop.Next after(StepLoop.Outcome outcome, boolean lastStep) {
            outcomes.add(outcome);
            return switch (outcome) {
                case StepLoop.Outcome.ToolCallsRan _ -> new StepLoop.Next.Onward();
                case StepLoop.Outcome.Finished _ -> new StepLoop.Next.Ended(Turn.Ending.FINISHED);
                case StepLoop.Outcome.Failed _ -> new StepLoop.Next.Ended(Turn.Ending.PROVIDER_ERROR);
                case StepLoop.Outcome.Aborted _ -> new StepLoop.Next.Ended(Turn.Ending.ABORTED);
            };
        }

        @Override
        public Turn.Ending aborted() {
            return Turn.Ending.ABORTED;
        }
    }

    /** Parts as a store would hold them: by id, the latest write of each, in the order first written. */
    private static final class Parts implements StepParts {
        final Map<PartId, Part> stored = new LinkedHashMap<>();
        final List<Part> removed = new ArrayList<>();

        @Override public synchronized void part(Part part) { stored.put(part.id(), part); }

        @Override public synchronized void partUnannounced(Part part) { stored.put(part.id(), part); }

        @Override
        public synchronized CompletableFuture<Void> partBehind(Part part) {
            stored.put(part.id(), part);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public synchronized void removePart(Part part) {
            stored.remove(part.id());
            removed.add(part);
        }

        @Override public void delta(MessageId message, PartId part, LiveText text, String delta) { text.append(delta); }

        synchronized List<String> texts() {
            return stored.values().stream().filter(p -> p instanceof Part.Text).map(p -> ((Part.Text) p).text()).toList();
        }
    }

    /** Tools that record the calls started and run nothing. */
    private static final class RecordingTools implements StepLoop.Tools {
        final List<Part.Tool> started = new ArrayList<>();

        @Override public synchronized void start(Part.Tool call) { started.add(call); }

        @Override public boolean mayChangeFiles(String tool) { return false; }

        @Override public ToolCallRunner.Outcome awaitAll() { return ToolCallRunner.Outcome.DONE; }

        @Override public Optional<Set<Path>> changedFiles() { return Optional.of(Set.of()); }

        @Override public int invalidCalls() { return 0; }

        @Override public Optional<String> limitReached() { return Optional.empty(); }

        @Override public void close() { }
    }
}
