package dev.lathe.core.session.turn;

import dev.lathe.core.session.journal.RawLog;
import dev.lathe.core.session.journal.StepParts;
import dev.lathe.core.toolcall.SecretMask;
import dev.lathe.llm.Cancellation;
import dev.lathe.llm.LlmError;
import dev.lathe.llm.LlmEvent;
import dev.lathe.llm.LlmRequest;
import dev.lathe.llm.QuotaWindow;
import dev.lathe.llm.StopReason;
import dev.lathe.llm.TokenUsage;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.ToolState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The model's step loop without the store (issue 54, decision 397): given the history a step is sent, a way to open
 * its stream, the step's tools and the turn's policy callbacks, it streams each response into parts
 * ({@link StepParts}), starts each tool call as its arguments complete, says how the step came out ({@link Outcome})
 * and asks the policy what follows ({@link Next}). It reads and writes nothing else: {@link ModelResponder} is the
 * adapter that reads the history from the journal, writes the parts through the turn's frame and decides between
 * steps (retries, compaction, failover, hooks, spend limits); a test drives it with a script and lists.
 * {@code StepLoopStoreFreeTest} keeps it from the journal, the store and the event bus.
 */
final class StepLoop {
    private final SessionId session;
    private final StepParts parts;
    private final RawLog rawLog;
    private final Cancellation cancellation;

    /**
     * @param parts        where each response's parts go
     * @param rawLog       where a failed attempt's discarded parts go
     * @param cancellation the turn's: an abort ends the stream and the loop
     */
    StepLoop(SessionId session, StepParts parts, RawLog rawLog, Cancellation cancellation) {
        this.session = session;
        this.parts = parts;
        this.rawLog = rawLog;
        this.cancellation = cancellation;
    }

    /** A step's tool set: each call starts as it arrives (behind the turn's gate, sandbox and hooks) and runs meanwhile. */
    interface Tools extends AutoCloseable {
        void start(Part.Tool call);

        /** Whether {@code tool} may change files: such a call waits for the tree before the step first. */
        boolean mayChangeFiles(String tool);

        /** Waits for every started call; the worst outcome. */
        ToolCallRunner.Outcome awaitAll();

        /** What the calls changed, when they all said. */
        Optional<Set<Path>> changedFiles();

        /** How many calls were refused as invalid (an unknown tool, arguments that are not valid). */
        int invalidCalls();

        /** What a subagent that stopped at a spend limit said. */
        Optional<String> limitReached();

        @Override
        void close();
    }

    /**
     * One step to send: {@code request} (built from {@code history}) for the assistant message {@code message},
     * streamed as {@code streaming} says; {@code tools} opens the step's tool set once its start is written; a call that
     * may change files waits for {@code treeBefore}. {@code responded} hears what the response consumed as soon as it
     * ends, before its calls are awaited.
     */
    record Step(MessageId message, LlmRequest request, List<MessageWithParts> history, Streaming streaming, Supplier<Tools> tools,
            CompletableFuture<?> treeBefore, Consumer<TokenUsage> responded) {
        StepStream.Opener opener() { return streaming.opener(); }

        String origin() { return streaming.origin(); }

        Duration idleTimeout() { return streaming.idleTimeout(); }

        long maxAnswerBytes() { return streaming.maxAnswerBytes(); }
    }

    /**
     * How a step's answer is streamed: through {@code opener} ({@code origin} names its server in a stall's error),
     * stalled after {@code idleTimeout} without a byte, stopped at {@code maxAnswerBytes}, its text masked of
     * {@code secrets} as it streams.
     */
    record Streaming(StepStream.Opener opener, String origin, Duration idleTimeout, long maxAnswerBytes, SecretMask secrets) {}

    /**
     * {@code changedFiles}: what the step's calls changed, when they all said (see {@link ToolCallRunner#changedFiles});
     * {@code limitReached}: what a subagent that stopped at a spend limit said.
     */
    record StepOutcome(LlmEvent.Finished finish, TokenUsage usage, CallsRan calls, Shape shape, List<QuotaWindow> quota) {
        /** Whether the response was cut at the output limit: the provider said so, or it used the whole budget. */
        boolean cutAtLimit() { return shape.cutAtLimit(); }

        int callCount() { return calls.count(); }

        boolean mayChangeFiles() { return calls.mayChangeFiles(); }

        ToolCallRunner.Outcome tools() { return calls.outcome(); }

        Optional<Set<Path>> changedFiles() { return calls.changedFiles(); }

        Optional<String> limitReached() { return calls.limitReached(); }
    }

    /**
     * What the step's calls came to: how many the response asked for ({@code count}), whether any may have changed
     * files, the worst {@code outcome}, what they changed when they all said, and what a subagent that stopped at a
     * spend limit said.
     */
    record CallsRan(int count, boolean mayChangeFiles, ToolCallRunner.Outcome outcome, Optional<Set<Path>> changedFiles,
            Optional<String> limitReached) {}

    /**
     * How the step's response was shaped, beyond what the provider's stop reason says: cut at the request's output limit
     * ({@code length}, or as many output tokens as the request allowed), stopped at {@code limits.maxAnswerBytes}, and how
     * many of its calls were refused as invalid.
     */
    record Shape(boolean cutAtLimit, boolean capped, int invalidCalls) {}

    /** How a step came out, whatever the policy makes of it. */
    sealed interface Outcome {
        StepOutcome step();

        /** The model answered without asking for tools. */
        record Finished(StepOutcome step) implements Outcome {}

        /** The model asked for tools, and they ran (or were refused). */
        record ToolCallsRan(StepOutcome step) implements Outcome {}

        /** The provider failed the step (its error, a stall, a malformed stream): the attempt's partial output is gone. */
        record Failed(LlmError error, StepOutcome step) implements Outcome {}

        /** The turn was aborted while the step ran. */
        record Aborted(StepOutcome step) implements Outcome {}

        static Outcome of(StepOutcome step, boolean aborted) {
            if (aborted) return new Aborted(step);
            if (step.finish().error().isPresent()) return new Failed(step.finish().error().get(), step);
            return step.callCount() > 0 ? new ToolCallsRan(step) : new Finished(step);
        }
    }

    /** What the policy says before a step: send one, or the loop ends. */
    sealed interface Before {
        /** Send {@code step}, whose start marker is {@code start}; {@code held} (the spend ledger's admission) is let go after the step's {@link Next}. */
        record Send(Step step, Part.StepStart start, Held held) implements Before {}

        record Stop(Turn.Ending ending) implements Before {}
    }

    /** What a step holds while it runs and the policy decides what follows. */
    @FunctionalInterface
    interface Held extends AutoCloseable {
        @Override
        void close();
    }

    /** What follows a step: the policy's decision between steps. */
    sealed interface Next {
        /** The step is sent again (a retry, a failover to another model, a compaction after an overflow): it does not count. */
        record Again() implements Next {}

        /** On to the next step, which counts toward the agent's step limit. */
        record Onward() implements Next {}

        record Ended(Turn.Ending ending) implements Next {}

        /** The model failed over to an ACP agent: the turn hands it the prompt ({@link Turn}). */
        record FailOver(Responder.Answer.ToAgent agent) implements Next {}
    }

    /** The turn's decisions around the steps. */
    interface Policy {
        /** Before a step (the {@code lastStep} one is sent without tools): what to send, or why the loop ends. */
        Before before(boolean lastStep);

        /** After a step, still holding what {@link Before.Send} held: what follows. */
        Next after(Outcome outcome, boolean lastStep);

        /** The turn was aborted between steps: how it ends. */
        Turn.Ending aborted();
    }

    /** Runs steps until the policy ends the loop, up to {@code maxSteps} counted ones (the last is sent without tools). */
    Responder.Answer run(int maxSteps, Policy policy) {
        for (int step = 1; ; ) {
            if (cancellation.isCancelled()) return new Responder.Answer.Ended(policy.aborted());
            boolean lastStep = step >= maxSteps;
            Next next;
            switch (policy.before(lastStep)) {
                case Before.Stop stop -> {
                    return new Responder.Answer.Ended(stop.ending());
                }
                case Before.Send send -> {
                    try (Held _ = send.held()) {
                        // the request goes out without waiting for this marker's commit; the step's own parts commit after it
                        parts.partBehind(send.start());
                        StepOutcome outcome = step(send.step());
                        next = policy.after(Outcome.of(outcome, cancellation.isCancelled()), lastStep);
                    }
                }
            }
            switch (next) {
                case Next.Again _ -> { }
                case Next.Onward _ -> step++;
                case Next.Ended ended -> {
                    return new Responder.Answer.Ended(ended.ending());
                }
                case Next.FailOver failOver -> {
                    return failOver.agent();
                }
            }
        }
    }

    /**
     * Sends one step and runs the calls it asks for. What the response consumed is handed to {@code responded} as soon
     * as it ends — before its tool calls run, so subagents they start count it.
     */
    StepOutcome step(Step step) {
        try (Tools tools = step.tools().get()) {
            List<Part> held = partsOf(step.history(), step.message());
            var stream = new StepStream(parts, session, step.message(), call -> {
                // the snapshot must hold the tree before any change; a call that only looks needs not wait for it
                if (tools.mayChangeFiles(call.tool())) step.treeBefore().join();
                tools.start(call);
            }, callIdsOf(held), rawLog, step.maxAnswerBytes()).replaying(completedInFailedAttempts(held)).masking(step.streaming().secrets());
            LlmRequest request = step.request();
            LlmEvent.Finished finish = stream.receive(step.opener(), step.origin(), request, step.idleTimeout(), cancellation);
            // a failed attempt is spend too (a retry is checked against the limits with it): what the provider reported
            // before it broke off, topped up by an estimate of what it streamed after that
            TokenUsage usage = finish.error().isPresent() ? stream.failedAttemptUsage(request) : stream.estimatedUsage(request);
            step.responded().accept(usage);
            ToolCallRunner.Outcome ran = tools.awaitAll();
            boolean mayChangeFiles = stream.calls().stream().anyMatch(c -> tools.mayChangeFiles(c.tool()));
            boolean cut = finish.error().isEmpty() && (finish.atOutputLimit()
                    || request.maxOutputTokens() > 0 && stream.usage().output() >= request.maxOutputTokens());
            return new StepOutcome(finish, usage, new CallsRan(stream.calls().size(), mayChangeFiles, ran, tools.changedFiles(), tools.limitReached()),
                    new Shape(cut, stream.capped(), tools.invalidCalls()), stream.quota());
        }
    }

    /**
     * The parts {@code message} holds so far (earlier steps, earlier attempts), looked up from the history's end: the
     * message a step is sent for is the newest or close to it, so this does not grow with the session (issue 55).
     */
    static List<Part> partsOf(List<MessageWithParts> history, MessageId message) {
        for (MessageWithParts m : history.reversed()) {
            if (m.info().id().equals(message)) return m.parts();
        }
        return List.of();
    }

    /** The calls of the message with {@code parts} that completed in a step that failed (and is being sent again). */
    static List<Part.Tool> completedInFailedAttempts(List<Part> parts) {
        List<Part.Tool> out = new ArrayList<>();
        List<Part.Tool> step = new ArrayList<>();
        String failed = StopReason.ERROR.wire();
        // tests of three kinds rather than a switch over every kind of part: this walks the message's every part at
        // every step, and a pattern switch costs a type-switch call per part on the server's C1 code
        for (Part p : parts) {
            if (p instanceof Part.StepStart) step.clear();
            else if (p instanceof Part.Tool t && t.state() instanceof ToolState.Completed) step.add(t);
            else if (p instanceof Part.StepFinish f && f.reason().equals(failed)) out.addAll(step);
        }
        return out;
    }

    /** The call ids the message with {@code parts} holds so far (earlier steps, earlier attempts): a response may not reuse one. */
    static Set<String> callIdsOf(List<Part> parts) {
        Set<String> ids = new HashSet<>();
        for (Part p : parts) if (p instanceof Part.Tool t) ids.add(t.callId());
        return ids;
    }
}
