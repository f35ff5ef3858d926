package dev.lathe.core.session.turn;

import dev.lathe.core.ask.AskHooks;
import dev.lathe.core.context.ContextBudget;
import dev.lathe.core.context.ContextBuilder;
import dev.lathe.core.context.ContextView;
import dev.lathe.core.context.PromptHashes;
import dev.lathe.core.context.PromptText;

import dev.lathe.core.model.ResolvedModel;
import dev.lathe.core.project.Project;
import dev.lathe.core.store.SpendStore;
import dev.lathe.llm.Cancellation;
import dev.lathe.llm.LlmError;
import dev.lathe.core.budget.SpendLedger;
import dev.lathe.core.session.inbox.Inbox;
import dev.lathe.core.session.inbox.InboxHistory;
import dev.lathe.core.session.journal.SessionJournal;
import dev.lathe.llm.LlmEvent;
import dev.lathe.llm.LlmRequest;
import dev.lathe.llm.TokenEstimate;
import dev.lathe.llm.TokenUsage;
import dev.lathe.llm.StopReason;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.MessageError;
import dev.lathe.protocol.session.MessageRewound;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.protocol.session.Usage;
import dev.lathe.protocol.session.UserMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Compaction of one session's context (DESIGN §12). First the outputs of old tool calls — beyond the most recent
 * {@value #PRUNE_PROTECT_TOKENS} tokens of them — are pruned: the model gets a placeholder naming a file that holds
 * the output, the stored part keeps it. When that does not bring the next request under the budget, the history up to
 * the last turns is replaced by a summary: a user message carrying the task and instructions verbatim
 * ({@link CarryOver}) answered by the model's structured summary, asked for by a request that extends the cached
 * prefix. If the model cannot make one, a fallback carries over the same verbatim part and the previous summary.
 * A rewind's "summarise from here" ({@link #summariseFrom}) asks the same way for a summary of the later turns instead.
 */
public final class Compactor {
    private static final System.Logger LOG = System.getLogger(Compactor.class.getName());
    /** The most recent tool output, in tokens, that is never pruned: what the model is working with right now. */
    static final int PRUNE_PROTECT_TOKENS = 40_000;
    /** Outputs smaller than this are not worth a placeholder. */
    static final int PRUNE_MIN_TOKENS = 100;
    /** The most the turns kept verbatim after a summary may take, in tokens (less on small windows). */
    static final int KEEP_VERBATIM_TOKENS = 20_000;
    static final String CONTINUE = "Continue with the task from where you left off: the summary above says where that is.";
    private static final String INSTRUCTION = PromptText.load(Compactor.class, "compaction.md");
    private static final String FROM_HERE = PromptText.load(Compactor.class, "rewind-summary.md");

    /** Why a compaction runs. */
    public enum Cause {
        /** The last request's tokens plus the reserved output passed the budget. */
        USAGE,
        /** The provider rejected a request as too long: estimates were wrong, so a summary is made whatever they say. */
        OVERFLOW,
        /** The user asked ({@code /compact}). */
        MANUAL,
        /** An idle session's cache is about to expire and its lifecycle chose compacting over writing it again (decision 504). */
        EXPIRY,
        /** The turn already compacted once and is full again: everything is pruned and Lathe writes the summary. */
        FALLBACK
    }

    /** What was done; {@code summary} is the summary message when one was written. */
    public record Outcome(Kind kind, Optional<MessageId> summary, String blockedBy) {
        /** {@code BLOCKED}: a {@code PreCompact} hook refused the summary ({@code blockedBy} says why). */
        public enum Kind { NOTHING, PRUNED, SUMMARISED, FALLBACK, ABORTED, BLOCKED }

        Outcome(Kind kind, Optional<MessageId> summary) { this(kind, summary, ""); }

        boolean compacted() { return kind == Kind.PRUNED || kind == Kind.SUMMARISED || kind == Kind.FALLBACK; }
    }

    private final TurnServices services;
    private final Project project;
    private final Session session;
    private final ResolvedModel model;
    private final Cancellation cancellation;
    private final Duration idleTimeout;

    public Compactor(TurnServices services, Project project, Session session, ResolvedModel model, Cancellation cancellation, Duration idleTimeout) {
        this.services = services;
        this.project = project;
        this.session = session;
        this.model = model;
        this.cancellation = cancellation;
        this.idleTimeout = idleTimeout;
    }

    /**
     * Compacts as {@code cause} requires. {@code lastInputTokens}: the prompt size the provider reported for the last
     * request (0 if unknown). {@code beforeSummary} runs before the summary's messages are written, so the caller can
     * close the assistant message it is writing; it does not run when pruning was enough.
     */
    public Outcome compact(Cause cause, long lastInputTokens, Runnable beforeSummary) {
        SessionJournal journal = services.journal().of(session);
        List<MessageWithParts> history = services.journal().history(session.id());
        ContextView view = ContextView.of(history);
        ContextBudget budget = ContextBudget.of(model.model());
        List<Part.Tool> prune = pruneCandidates(view, cause == Cause.FALLBACK, budget);
        long savings = prune.stream().mapToLong(t -> outputTokens(t) - 40).sum();
        long next = Math.max(lastInputTokens, TokenEstimate.of(services.context().build(project, project.agent(session.agent()), model, history, ContextBuilder.Step.NORMAL)));
        boolean auto = cause != Cause.MANUAL;
        if (cause == Cause.USAGE && !prune.isEmpty() && (!budget.known() || next - savings <= budget.promptLimit())) {
            savePruned(prune);
            var part = new Part.Compaction(PartId.next(), session.id(), history.getLast().info().id(), true, Optional.empty(), callIds(prune),
                    Optional.empty());
            journal.part(part);
            journal.publish(new Event.SessionCompacted(session.id(), true, Optional.empty()));
            return new Outcome(Outcome.Kind.PRUNED, Optional.empty());
        }
        int keep = cause == Cause.FALLBACK ? lastUserPromptAtEnd(history, view) : keepFrom(history, view, budget);
        List<MessageWithParts> summarised = history.subList(0, keep);
        if (ContextView.of(summarised).messages().isEmpty()) return new Outcome(Outcome.Kind.NOTHING, Optional.empty());
        String trigger = auto ? "auto" : "manual";
        var hooks = new CompactionHooks(services, project, session, model);
        Optional<String> blocked = hooks.before(trigger);
        if (blocked.isPresent()) return new Outcome(Outcome.Kind.BLOCKED, Optional.empty(), blocked.get());

        beforeSummary.run();
        savePruned(prune);
        var user = Inbox.message(session.id(), session.agent(), model.ref());
        var summary = new AssistantMessage(MessageId.next(), session.id(), user.id(), session.agent(), model.ref(), System.currentTimeMillis(),
                Optional.empty(), Optional.empty(), Optional.empty(), Usage.ZERO, 0);
        Optional<MessageId> keepFrom = keep < history.size() ? Optional.of(history.get(keep).info().id()) : Optional.empty();
        String carried = CarryOver.compose(summarised, history, services.todos().find(session.id()), carryBudget(budget));
        List<Part> userParts = List.of(new Part.Text(PartId.next(), session.id(), user.id(), carried, true),
                new Part.Compaction(PartId.next(), session.id(), user.id(), auto, Optional.of(summary.id()), callIds(prune), keepFrom));
        journal.user(user, userParts);
        journal.assistant(summary);

        Usage usage = Usage.ZERO;
        long cost = 0;
        Optional<String> failure = Optional.of("a second compaction in one turn");
        if (cause != Cause.FALLBACK) {
            // the conversation as the model last saw it, instruction appended, is served from the provider's cache; only
            // when it would not fit (or the provider just said so) is the summary asked of the part being replaced,
            // with the pruned outputs cut
            LlmRequest whole = services.context().summaryRequest(project, project.agent(session.agent()), model, history, Set.of(), INSTRUCTION);
            LlmRequest request = cause != Cause.OVERFLOW && fits(whole, budget) ? whole
                    : services.context().summaryRequest(project, project.agent(session.agent()), model, summarised, new HashSet<>(callIds(prune)), INSTRUCTION);
            var streamed = stream(summary, request);
            usage = streamed.usage();
            cost = streamed.cost();
            failure = streamed.failure();
            if (cancellation.isCancelled()) {
                journal.assistant(summary.failed(System.currentTimeMillis(), MessageError.aborted(), usage, cost));
                services.usage(session, usage, cost);
                return new Outcome(Outcome.Kind.ABORTED, Optional.empty());
            }
        }
        if (failure.isPresent()) {
            LOG.log(System.Logger.Level.WARNING, "compaction of {0} without a model summary: {1}", session.id(), failure.get());
            journal.part(new Part.Text(PartId.next(), session.id(), summary.id(), fallbackSummary(history, failure.get()), true));
        }
        journal.assistant(summary.completed(System.currentTimeMillis(), "stop", usage, cost));
        services.usage(session, usage, cost);
        journal.publish(new Event.SessionCompacted(session.id(), auto, Optional.of(summary.id())));
        hooks.after(trigger, user.id(), summary.id());
        return new Outcome(failure.isPresent() ? Outcome.Kind.FALLBACK : Outcome.Kind.SUMMARISED, Optional.of(summary.id()));
    }

    /**
     * "Summarise from here" (a rewind, DESIGN §18 "Rewind"): the model summarises the turns from the prompt {@code from}
     * on, reading the conversation as it last saw it (so the provider's cache serves it), and the summary is written as
     * a new pair after them: a user message saying what it replaces ({@link MessageRewound#summarised}) answered by the
     * summary. The caller then marks those turns rewound, so the model reads the earlier conversation verbatim and then
     * the summary. {@code SUMMARISED} with the summary's id; {@code ABORTED} or {@code FALLBACK} (no summary: the
     * pair is marked rewound itself, so the model never reads it) with the pair's prompt; {@code BLOCKED} by a hook.
     */
    public Outcome summariseFrom(String fromFirstLine) {
        SessionJournal journal = services.journal().of(session);
        List<MessageWithParts> history = services.journal().history(session.id());
        var hooks = new CompactionHooks(services, project, session, model);
        Optional<String> blocked = hooks.before("manual");
        if (blocked.isPresent()) return new Outcome(Outcome.Kind.BLOCKED, Optional.empty(), blocked.get());
        var user = Inbox.message(session.id(), session.agent(), model.ref());
        var summary = new AssistantMessage(MessageId.next(), session.id(), user.id(), session.agent(), model.ref(), System.currentTimeMillis(),
                Optional.empty(), Optional.empty(), Optional.empty(), Usage.ZERO, 0);
        journal.user(user, List.of(new Part.Text(PartId.next(), session.id(), user.id(), MessageRewound.summarised(fromFirstLine), true)));
        journal.assistant(summary);
        LlmRequest request = services.context().summaryRequest(project, project.agent(session.agent()), model, history, Set.of(),
                FROM_HERE.formatted(fromFirstLine));
        var streamed = stream(summary, request);
        services.usage(session, streamed.usage(), streamed.cost());
        if (cancellation.isCancelled() || streamed.failure().isPresent()) {
            MessageError error = cancellation.isCancelled() ? MessageError.aborted() : new MessageError("provider", streamed.failure().get());
            journal.assistant(summary.failed(System.currentTimeMillis(), error, streamed.usage(), streamed.cost()));
            journal.part(new Part.Text(PartId.next(), session.id(), user.id(), MessageRewound.TEXT, true));
            return new Outcome(cancellation.isCancelled() ? Outcome.Kind.ABORTED : Outcome.Kind.FALLBACK, Optional.empty(),
                    streamed.failure().orElse("stopped"));
        }
        journal.assistant(summary.completed(System.currentTimeMillis(), "stop", streamed.usage(), streamed.cost()));
        journal.publish(new Event.SessionCompacted(session.id(), false, Optional.of(summary.id())));
        hooks.after("manual", user.id(), summary.id());
        return new Outcome(Outcome.Kind.SUMMARISED, Optional.of(summary.id()));
    }

    private static boolean fits(LlmRequest request, ContextBudget budget) {
        return !budget.known() || TokenEstimate.of(request) + budget.reservedOutput() <= budget.contextLimit() - budget.buffer();
    }

    /**
     * Completed outputs of the messages the model is sent, newest first: the first {@value #PRUNE_PROTECT_TOKENS}
     * tokens (half the prompt budget on small windows) are kept, older ones big enough to matter are pruned.
     * {@code all}: prune every output but the newest.
     */
    private static List<Part.Tool> pruneCandidates(ContextView view, boolean all, ContextBudget budget) {
        long protectTokens = budget.known() ? Math.min(PRUNE_PROTECT_TOKENS, budget.promptLimit() / 2) : PRUNE_PROTECT_TOKENS;
        List<Part.Tool> out = new ArrayList<>();
        long seen = 0;
        boolean newest = true;
        for (MessageWithParts m : view.messages().reversed()) {
            for (Part p : m.parts().reversed()) {
                if (!(p instanceof Part.Tool t) || !(t.state() instanceof ToolState.Completed) || view.pruned().contains(t.callId())) continue;
                int tokens = outputTokens(t);
                boolean protect = all ? newest : seen < protectTokens;
                seen += tokens;
                newest = false;
                if (!protect && tokens >= PRUNE_MIN_TOKENS) out.add(t);
            }
        }
        return out.reversed();
    }

    private static int outputTokens(Part.Tool t) {
        return t.state() instanceof ToolState.Completed c ? TokenEstimate.of(c.output()) : 0;
    }

    private static List<String> callIds(List<Part.Tool> tools) {
        return tools.stream().map(Part.Tool::callId).distinct().toList();
    }

    /** Each pruned output goes to the file its placeholder names; the stored part keeps it too. */
    private void savePruned(List<Part.Tool> tools) {
        for (Part.Tool t : tools) {
            if (!(t.state() instanceof ToolState.Completed c)) continue;
            Path file = services.context().prunedOutput(session.id(), t.callId());
            try {
                Files.createDirectories(file.getParent());
                Files.writeString(file, c.output(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot save a pruned output to {0}: {1}", file, e.getMessage());
            }
        }
    }

    /**
     * Where the verbatim tail starts, as an index into {@code history}: the earliest prompt the user typed after the
     * latest summary such that it and everything after it stay within {@value #KEEP_VERBATIM_TOKENS} tokens (a quarter
     * of the prompt budget on small windows). {@code history.size()} when no prompt qualifies: all is summarised.
     */
    private static int keepFrom(List<MessageWithParts> history, ContextView view, ContextBudget budget) {
        long room = budget.known() ? Math.min(KEEP_VERBATIM_TOKENS, budget.promptLimit() / 4) : KEEP_VERBATIM_TOKENS;
        int keep = history.size();
        long size = 0;
        for (int i = history.size() - 1; i >= Math.max(1, view.tailStart()); i--) {
            size += tokens(history.get(i), view.pruned());
            if (size > room) break;
            if (isPrompt(history.get(i))) keep = i;
        }
        return keep;
    }

    /** The fallback keeps only a prompt that no answer follows yet (a compaction at the start of a turn). */
    private static int lastUserPromptAtEnd(List<MessageWithParts> history, ContextView view) {
        int last = history.size() - 1;
        return last > view.tailStart() && isPrompt(history.get(last)) ? last : history.size();
    }

    /** A user message a compaction wrote: the carried-over text with its compaction part, or the "continue" nudge. */
    public static boolean isOwnMessage(MessageWithParts m) {
        if (!(m.info() instanceof UserMessage)) return false;
        if (m.parts().stream().anyMatch(p -> p instanceof Part.Compaction c && c.summaryMessageId().isPresent())) return true;
        if (MessageRewound.summarises(m.parts())) return true;
        return m.parts().size() == 1 && m.parts().getFirst() instanceof Part.Text t && t.synthetic() && t.text().equals(CONTINUE);
    }

    /** A prompt the model read: not a user's shell command, nor one queued behind the turn or left not run. */
    private static boolean isPrompt(MessageWithParts m) {
        return m.info() instanceof UserMessage && !UserShell.isNote(m) && !InboxHistory.waits(m) && !CarryOver.typedText(m).isBlank();
    }

    private static long tokens(MessageWithParts m, Set<String> pruned) {
        long total = 0;
        for (Part p : m.parts()) {
            switch (p) {
                case Part.Text t -> total += TokenEstimate.of(t.text());
                case Part.Reasoning r -> total += TokenEstimate.of(r.text());
                case Part.Tool t -> total += TokenEstimate.of(t.input().json()) + (pruned.contains(t.callId()) ? 40 : outputTokens(t));
                case Part.File _, Part.StepStart _, Part.StepFinish _, Part.Patch _, Part.Compaction _, Part.Subtask _,
                        Part.Retry _, Part.ModelSwitch _, Part.Hook _ -> { }
            }
        }
        return total;
    }

    /** A tenth of the window for the verbatim part (the user's words), at least 2,000 tokens. */
    private static int carryBudget(ContextBudget budget) {
        return budget.known() ? (int) Math.max(2_000, budget.promptLimit() / 10) : 16_000;
    }

    /** What Lathe writes when the model made no summary: the previous summary, if any, so progress is not lost. */
    private static String fallbackSummary(List<MessageWithParts> history, String reason) {
        String previous = "";
        ContextView view = ContextView.of(history);
        if (view.tailStart() > 0) {
            MessageWithParts summary = view.messages().get(1);
            var sb = new StringBuilder();
            for (Part p : summary.parts()) if (p instanceof Part.Text t) sb.append(t.text()).append('\n');
            previous = sb.toString().strip();
        }
        return "No summary of the earlier conversation could be made (" + reason + "). The request, instructions, files and todo list above "
                + "are what was kept" + (previous.isEmpty() ? "; check the files and the todo list to see where the work stands."
                        : ". The previous summary was:\n\n" + previous);
    }

    private record Streamed(Usage usage, long cost, Optional<String> failure) {}

    /**
     * Streams the summary into its message; tools are off, so a call the model makes anyway fails at once. The request
     * is admitted by the spend ledger like any other: one that would pass a limit asks, and is not sent when the user
     * stops (the compaction then keeps what it can without a model summary).
     */
    private Streamed stream(AssistantMessage summary, LlmRequest request) {
        SessionJournal journal = services.journal().of(session);
        var admission = new TurnBudget(services, session, () -> project).admit(project, () -> project, summary.id(), model, request, cancellation, AskHooks.NONE);
        if (!(admission instanceof SpendLedger.Admission.Admitted(SpendLedger.Reservation reservation))) {
            return new Streamed(Usage.ZERO, 0, Optional.of("the summary request would pass a spend limit, and was not sent"));
        }
        try (reservation) {
            journal.part(new Part.StepStart(PartId.next(), session.id(), summary.id(), Optional.empty(),
                    PromptHashes.of(request, PromptHashes.lastShape(journal.history()))));
            var stream = new StepStream(journal, session.id(), summary.id(), call -> {
                long now = System.currentTimeMillis();
                journal.part(call.withState(new ToolState.Failed(call.input(), "tools are not available while summarising", now, now)));
            });
            LlmEvent.Finished finish = stream.receive(StepStream.Opener.through(reservation, model), model.provider().origin(), request, idleTimeout, cancellation);
            TokenUsage reported = finish.error().isPresent() ? stream.failedAttemptUsage(request) : stream.estimatedUsage(request);
            var usage = new Usage(reported.input(), reported.output(), reported.reasoning(), reported.cacheRead(), reported.cacheWrite());
            Optional<String> failure = finish.error().map(e -> LlmError.kind(e) + ": " + e.message());
            if (failure.isEmpty() && !stream.generatedSomething()) failure = Optional.of("the model answered with no text");
            long cost = project.models().pricing(model).microDollars(reported);
            reservation.settle(new SpendStore.Spent(cost, reported.input() + reported.output() + reported.cacheWrite()));
            // written before the reservation is released: the store counts it from then on
            journal.part(new Part.StepFinish(PartId.next(), session.id(), summary.id(), (failure.isPresent() ? StopReason.ERROR : StopReason.STOP).wire(), usage,
                    cost, Optional.empty()));
            return new Streamed(usage, cost, failure);
        }
    }
}
