package dev.lathe.core.session.turn;

import dev.lathe.core.session.context.LiveProject;
import dev.lathe.core.ask.PermissionGate;
import dev.lathe.core.context.ContextBudget;
import dev.lathe.core.context.ContextBuilder;
import dev.lathe.core.context.KeptMessages;
import dev.lathe.core.context.PromptHashes;

import dev.lathe.core.hooks.SessionHooks;
import dev.lathe.core.model.ResolvedModel;
import dev.lathe.core.project.Project;
import dev.lathe.llm.Cancellation;
import dev.lathe.llm.LlmError;
import dev.lathe.llm.LlmMessage;
import dev.lathe.llm.LlmRequest;
import dev.lathe.llm.RetryPolicy;
import dev.lathe.core.budget.SpendLedger;
import dev.lathe.core.session.context.Secrets;
import dev.lathe.core.session.inbox.Inbox;
import dev.lathe.core.session.inbox.InboxHistory;
import dev.lathe.core.session.journal.Journal;
import dev.lathe.core.session.journal.StoredHistory;
import dev.lathe.llm.StopReason;
import dev.lathe.llm.TokenUsage;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.event.BudgetAsks;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.MessageError;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.protocol.session.Usage;
import dev.lathe.protocol.session.UserMessage;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import dev.lathe.core.session.turn.StepLoop.Next;
import dev.lathe.core.session.turn.Turn.Ending;
import dev.lathe.core.store.SpendStore;
import dev.lathe.core.toolcall.Origin;
import dev.lathe.core.toolcall.SecretMask;

/**
 * The model's answer in a {@link Turn} ({@link Responder}): the steps of the assistant's answer to the latest user
 * message (DESIGN §8). Each step builds the context
 * from the session's history (held in memory while the turn runs, {@link Journal#live}), streams the model's response into parts, runs the requested tools in parallel, and records a
 * step-finish; the loop continues while the model asks for tools, up to the agent's step limit (the last step is sent
 * without tools and asks for a summary). A provider failure worth retrying (rate limit, overload, network, a stall)
 * waits as the retry policy says, showing a {@code retry} status, and sends the step again; tools that completed are
 * in the history by then, so they never run twice. A user message that arrives meanwhile is picked up at the next step
 * boundary: the current assistant message is closed and a new one answers it.
 *
 * <p>The parts: {@link TurnState} (where the turn stands), {@link FailedStep} (what a failed step leads to, decided
 * without I/O), {@link StepSnapshots} (the tree around each step, for undo), {@link InboxHistory} (prompts sent
 * meanwhile). This class runs the loop and writes what they decide. A failover to an ACP agent ends its answer: the
 * turn hands the prompt to the agent ({@link Responder.Answer.ToAgent}).
 */
final class ModelResponder implements Responder {
    /**
     * Steps in a row of only invalid tool calls the model is answered (told what was wrong) before the turn stops: a
     * model that cannot repair its calls in that many tries will not in fifty.
     */
    static final int REPAIR_LIMIT = 3;

    private final TurnServices services;
    /** The project as its configuration is now ({@code Projects.current}): read before each step and each tool call. */
    private final LiveProject projects;
    /** The project of the current step. */
    private Project project;
    private final Session session;
    private final Journal journal;
    /** The model the turn starts with: the prompt's. */
    private final ResolvedModel startModel;
    private final Fallbacks fallbacks;
    private final Cancellation cancellation;
    private final PermissionGate.Approvals approvals;
    /** The project the turn started with. */
    private final Project startProject;
    /** What the permission gates of this turn's calls share. */
    private final PermissionGate.ForTurn gates;
    /** What the tool calls of this turn's steps share. */
    private final ToolCallRunner.ForTurn calls;
    private TurnState state;
    /** The message lifecycle, snapshots, budget and hooks this turn shares with an ACP agent's ({@link TurnFrame}). */
    private TurnFrame frame;
    private StepSnapshots snapshots;
    private RetryPolicy retry;
    private Compactor compactor;
    private TurnHooks hooks;
    /** The last failover's switch, which an ACP agent taking over records in its own message. */
    private Part.ModelSwitch switched;
    /** A Stop hook blocked the agent's stop in this turn, so it goes on ({@code stop_hook_active}). */
    private boolean stopHookActive;
    /** The spend limits checked before each step, the prompt's budget note and the budget tool's port. */
    private TurnBudget budget;

    /**
     * @param projects the session's project as its configuration is now: a config edited while the turn runs applies
     *     from its next step (model and provider settings) and its next tool call (permission rules)
     */
    ModelResponder(TurnServices services, LiveProject projects, Session session, ResolvedModel model, Cancellation cancellation,
            PermissionGate.Approvals approvals) {
        this.services = services;
        this.projects = projects;
        this.project = projects.now();
        this.startProject = project;
        this.session = session;
        this.journal = services.journal();
        this.startModel = model;
        this.fallbacks = new Fallbacks(project, model);
        this.cancellation = cancellation;
        this.approvals = approvals;
        this.gates = services.gates(session, project, this::liveProject, approvals, cancellation);
        this.calls = services.toolCalls(session, cancellation, Origin.MODEL);
    }

    @Override
    public Answer answer(TurnFrame frame, UserMessage prompt, Admission admission) {
        this.frame = frame;
        snapshots = frame.snapshots();
        hooks = frame.hooks();
        budget = frame.budget();
        state = new TurnState(project.agent(prompt.agent()), startModel);
        answering(prompt.id());
        if (admission == Admission.BY_HOOKS && !frame.admit(hookScope(), prompt)) {
            // the tree being taken for the first step is left complete (the snapshot folder's garbage collection follows)
            snapshots.beforeStep().join();
            return new Answer.Ended(Ending.FINISHED);
        }
        return steps(prompt.id());
    }

    @Override public Project project() { return startProject; }

    @Override public List<MessageId> prompts() { return state == null ? List.of() : state.prompts(); }

    /** From now on the turn answers {@code prompt} too: its {@code allowAll} applies to the asks that follow. */
    private void answering(MessageId prompt) {
        state.answering(prompt, services.broker().allowsAll(prompt));
    }

    /**
     * The answer's steps: what comes before the first (a compaction when the window is full already, the message
     * opened), then the step loop ({@link StepLoop}) with this turn's decisions between steps ({@link Steps}).
     */
    private Answer steps(MessageId prompt) {
        retry = retryPolicy();
        compactor = new Compactor(services, project, session, state.model(), cancellation, retry.streamIdleTimeout());
        if (fillsWindow()) {
            // compaction's summary is a request too, of the whole conversation: a session already at a limit asks first
            Optional<MessageError> overBudget = frame.overBudget(this::liveProject, prompt, cancellation, hookScope());
            if (overBudget.isPresent()) {
                open(prompt);
                return new Answer.Ended(cancellation.isCancelled() ? aborted() : end(overBudget, StopReason.ERROR, Ending.LIMIT_REACHED));
            }
        }
        Optional<MessageId> answered = compactIfFull(prompt);
        if (answered.isEmpty()) return new Answer.Ended(Ending.ABORTED);
        open(answered.get());
        recordModelSwitch();
        budget.note(project, state.model(), answered.get(), state.message().id());
        // config's agent.<name>.steps is part of the agent by now
        int maxSteps = state.agent().steps().orElse(services.maxSteps());
        try {
            return new StepLoop(session.id(), journal.of(session), services.rawLog(), cancellation).run(maxSteps, new Steps());
        } catch (RuntimeException | Error e) {
            // what an abort interrupted may throw on its way out: the answer ends as aborted, as it would have
            if (cancellation.isCancelled() && !(e instanceof VirtualMachineError)) {
                System.getLogger(ModelResponder.class.getName()).log(System.Logger.Level.DEBUG, "an aborted turn threw on its way out", e);
                return new Answer.Ended(frame.isOpen(state.message().id()) ? aborted() : Ending.ABORTED);
            }
            return new Answer.Ended(frame.crashed(state.message(), state.total(), state.cost(), e));
        }
    }

    /**
     * This turn's decisions around the model's steps ({@link StepLoop.Policy}): before each, the configuration as it is
     * now, prompts sent meanwhile joined, the request built from the stored history and admitted by the spend ledger;
     * after each, its finish written and what follows ({@link #afterStep}).
     */
    private final class Steps implements StepLoop.Policy {
        /** The messages of the previous step's request: an unchanged part of the history is not rendered again (issue 55). */
        private final KeptMessages kept = KeptMessages.create();
        /** The ledger's admission of the step being sent: settled when its response ends, let go after the decision. */
        private SpendLedger.Reservation reservation;

        @Override
        public StepLoop.Before before(boolean lastStep) {
            reloadProject();
            // the configuration was read just now: the step's admission and calls take their hook scope from it rather
            // than checking the files again (each check stats every config and instruction file)
            var scope = TurnHooks.scope(session, project, secrets(), state.allowAll());
            List<MessageWithParts> history = journal.history(session.id());
            if (joinQueued(history)) history = journal.history(session.id());
            LlmRequest request = services.idleCaches().withStableTtl(services, session, project, state.model(), services.context().build(project, state.agent(),
                    state.model(), history, lastStep ? ContextBuilder.Step.LAST : ContextBuilder.Step.NORMAL, kept));
            // the spend ledger admits the request (a limit it would pass pauses here, before it is sent, until the user
            // raises it or stops)
            var admission = frame.admit(project, ModelResponder.this::liveProject, state.message().id(), state.model(), request, cancellation, scope);
            if (admission instanceof SpendLedger.Admission.Refused(var error)) {
                return new StepLoop.Before.Stop(cancellation.isCancelled() ? aborted() : end(Optional.of(error), StopReason.ERROR, Ending.LIMIT_REACHED));
            }
            SpendLedger.Reservation held = ((SpendLedger.Admission.Admitted) admission).reservation();
            reservation = held;
            var start = new Part.StepStart(PartId.next(), session.id(), state.message().id(), Optional.empty(),
                    PromptHashes.of(request, PromptHashes.lastShape(history), kept.sums()));
            Project stepProject = project;
            ResolvedModel model = state.model();
            AssistantMessage message = state.message();
            // no warm request while this one is answered; once the session is idle, this is the one a warm request repeats
            services.idleCaches().sending(session.id(), new IdleCaches.Sent(stepProject, model, message.id(), request));
            var tools = new ModelStep(services, new ModelStep.Caller(session, state.agent(), model, stepProject, ModelResponder.this::liveProject, secrets()),
                    new ModelStep.TurnCalls(gates, calls, scope, budget, cancellation, state.allowAll()));
            // the snapshot before the step is taken while the model thinks; the first call that may change files waits for it
            var step = new StepLoop.Step(message.id(), request, history, new StepLoop.Streaming(StepStream.Opener.through(held, model),
                    model.provider().origin(), retry.streamIdleTimeout(), stepProject.config().limits().answerLimit(), SecretMask.of(secrets())),
                    () -> tools.tools(message, request), snapshots.beforeStep(),
                    usage -> {
                        held.settle(new SpendStore.Spent(stepProject.models().pricing(model).microDollars(usage),
                                usage.input() + usage.output() + usage.cacheWrite()));
                        // known now, while the response's tools may run for minutes: the answer's cost so far says so at once
                        responded(usage);
                    });
            return new StepLoop.Before.Send(step, start, held::close);
        }

        @Override
        public Next after(StepLoop.Outcome outcome, boolean lastStep) {
            if (outcome.step().callCount() > 0) hooks.nestedInstructions(hookScope(), state.message().id());
            Usage stepUsage = finishStep(outcome.step(), reservation);
            return afterStep(outcome, stepUsage, lastStep);
        }

        @Override
        public Ending aborted() {
            return ModelResponder.this.aborted();
        }
    }

    /**
     * When the session's last request already filled the window: compacts before this turn's first request. Returns the
     * user message the answer follows (a synthetic "go on" after a summary, when needed), empty when aborted.
     */
    private Optional<MessageId> compactIfFull(MessageId prompt) {
        if (!fillsWindow()) return Optional.of(prompt);
        long lastPrompt = StoredHistory.lastPromptTokens(journal.history(session.id()));
        Compactor.Outcome outcome = compactor.compact(Compactor.Cause.USAGE, lastPrompt, () -> { });
        if (outcome.kind() == Compactor.Outcome.Kind.ABORTED) return Optional.empty();
        if (outcome.compacted()) state.compacted();
        return Optional.of(outcome.summary().isPresent() ? continueIfNeeded().orElse(prompt) : prompt);
    }

    /** Whether the session's last request already filled the window: the turn compacts before its first request. */
    private boolean fillsWindow() {
        return ContextBudget.of(state.model().model()).overflows(StoredHistory.lastPromptTokens(journal.history(session.id())));
    }

    /** Opens a new assistant message answering {@code parent}; its usage and cost start from zero. */
    private void open(MessageId parent) {
        state.writing(frame.open(parent, state.agent().name(), state.model().ref()));
    }

    /** A model other than the one that answered last answers now: the switch is recorded in the new message. */
    private void recordModelSwitch() {
        frame.recordModelSwitch(state.message(), state.agent(), state.model().ref());
    }

    /** A response ended (its tools may still run): the answer's usage and cost so far include it from now on. */
    private void responded(TokenUsage response) {
        long cost = project.models().pricing(state.model()).microDollars(response);
        frame.responded(state.message(), state.total().plus(usage(response)), state.cost() + cost);
    }

    /**
     * Prices the step, writes its finish (behind, like the tools' outcomes: the next step reads them from memory before
     * they are committed) and has the snapshots record the tree after it. Returns the step's usage.
     */
    private Usage finishStep(StepLoop.StepOutcome outcome, SpendLedger.Reservation reservation) {
        Usage stepUsage = usage(outcome.usage());
        long stepCost = project.models().pricing(state.model()).microDollars(outcome.usage());
        state.spent(stepUsage, stepCost);
        // a response cut at the output limit is recorded as such even when it asked for tools: the next request says so
        StopReason reason = outcome.cutAtLimit() ? StopReason.LENGTH : outcome.finish().reason();
        // the ledger holds the step's spend until its finish is committed, when the store counts it
        reservation.releaseWhen(frame.stepFinished(state.message().id(), reason, stepUsage, stepCost, outcome.mayChangeFiles(), outcome.changedFiles(),
                outcome.quota()));
        return stepUsage;
    }

    /** What follows a step that went through the provider (or failed there). */
    private Next afterStep(StepLoop.Outcome stepped, Usage stepUsage, boolean lastStep) {
        StepLoop.StepOutcome outcome = stepped.step();
        // abort first: an ask cancelled by the abort also reports a rejection
        if (stepped instanceof StepLoop.Outcome.Aborted || cancellation.isCancelled()) return new Next.Ended(aborted());
        if (outcome.tools() == ToolCallRunner.Outcome.REJECTED) {
            return new Next.Ended(end(Optional.of(TurnError.PERMISSION_REJECTED.because("a permission was rejected")), StopReason.ERROR, Ending.REJECTED));
        }
        if (outcome.tools() == ToolCallRunner.Outcome.LIMIT_REACHED) {
            // a subagent stopped at a limit of the tree this turn shares: this turn stops there too, and says so
            return new Next.Ended(end(Optional.of(new MessageError(BudgetAsks.ERROR_KIND, outcome.limitReached()
                    .orElse("A subagent stopped at a spend limit."))), StopReason.ERROR, Ending.LIMIT_REACHED));
        }
        if (stepped instanceof StepLoop.Outcome.Failed failed) return recover(failed.error());
        if (outcome.tools() == ToolCallRunner.Outcome.CRASHED) {
            return new Next.Ended(end(Optional.of(TurnError.INTERNAL.because("a tool failed unexpectedly")), StopReason.ERROR, Ending.FAILED));
        }
        // a tool hook's continue: false ends the turn once the step's calls are done
        Optional<String> toolHookStop = services.hooks().stops().take(session.id().value());
        if (toolHookStop.isPresent()) return new Next.Ended(end(Optional.of(TurnHooks.stopped("tool", toolHookStop.get())), StopReason.ERROR, Ending.STOPPED));
        state.freshAttempts();
        if (outcome.shape().capped()) {
            long limit = project.config().limits().maxAnswerBytes();
            return new Next.Ended(end(Optional.of(TurnError.ANSWER_TOO_LARGE.because("The answer passed " + limit
                    + " bytes (limits.maxAnswerBytes) and was stopped there. Ask for a shorter answer or one split into files, or raise limits.maxAnswerBytes.")),
                    StopReason.ERROR, Ending.FAILED));
        }
        boolean wantsTools = stepped instanceof StepLoop.Outcome.ToolCallsRan;
        if (wantsTools && outcome.shape().invalidCalls() == outcome.callCount()) {
            if (state.invalidStep() > REPAIR_LIMIT) {
                return new Next.Ended(end(Optional.of(TurnError.INVALID_TOOL_CALLS.because("The model sent only invalid tool calls (unknown tools or "
                        + "arguments that are not valid) " + (REPAIR_LIMIT + 1) + " times in a row, and was told what was wrong each time. "
                        + "Stopped here: rephrase the request, or try another model.")), StopReason.ERROR, Ending.FAILED));
            }
        } else {
            state.validStep();
        }
        // an answer cut at the output limit goes on like one asking for tools: the next request tells the model so
        // (ContextBuilder), after the same checks (a full window, prompts queued meanwhile)
        boolean goesOn = wantsTools || outcome.cutAtLimit();
        if (!goesOn || lastStep) {
            StopReason finish = wantsTools ? StopReason.TOOL_CALLS : outcome.finish().reason();
            if (!wantsTools) {
                Optional<Next> stop = stopHooks(finish, lastStep);
                if (stop.isPresent()) return stop.get();
            }
            return new Next.Ended(end(Optional.empty(), finish, Ending.FINISHED));
        }
        long prompt = stepUsage.input() + stepUsage.cacheRead() + stepUsage.cacheWrite();
        if (state.mayCompact() && ContextBudget.of(state.model().model()).overflows(prompt)) {
            Optional<Next> compacted = compactBetweenSteps(prompt);
            if (compacted.isPresent()) return compacted.get();
        }
        // only messages after the answer can be newer than it: read those, not a copy of the whole history
        Optional<UserMessage> queued = InboxHistory.newer(journal.historyAfter(session.id(), state.message().id()), state.message().id());
        // a prompt sent meanwhile goes through UserPromptSubmit as the turn's own did; a refused one is taken back
        if (queued.isPresent() && hooks.admit(hookScope(), queued.get())) answerQueued(queued.get());
        return new Next.Onward();
    }

    /**
     * The model answered without asking for tools: what {@code Stop} hooks say. A block makes the agent go on, the
     * hook's reason its next instruction (a synthetic user message), unless this was the last step the agent may take
     * (the step limit caps a hook that always blocks, beside {@code stop_hook_active}); {@code continue: false} ends the
     * turn with the hook's reason shown. Empty: the turn finishes as it would.
     */
    private Optional<Next> stopHooks(StopReason finish, boolean lastStep) {
        String event = frame.stopEvent();
        return switch (hooks.stopping(hookScope(), stopHookActive)) {
            case TurnHooks.AtStop.Stops _ -> Optional.empty();
            case TurnHooks.AtStop.Halted h -> Optional.of(new Next.Ended(end(Optional.of(TurnHooks.stopped(event, h.reason())), StopReason.ERROR, Ending.STOPPED)));
            case TurnHooks.AtStop.GoesOn g -> {
                if (lastStep) yield Optional.empty();
                end(Optional.empty(), finish, Ending.FINISHED);
                var user = frame.stopFeedback(g.reason(), state.agent().name(), state.model().ref());
                stopHookActive = true;
                answering(user.id());
                open(user.id());
                yield Optional.of(new Next.Onward());
            }
        };
    }

    /** Where this turn's hook events happen: the project as configured now, this turn's keys and mode. */
    private SessionHooks.Scope hookScope() {
        return TurnHooks.scope(session, liveProject(), secrets(), state.allowAll());
    }

    /**
     * The last request filled the window while the model still asks for tools: the history is compacted and a new
     * message goes on after a summary. Empty when nothing was summarised (the turn goes on as it was).
     */
    private Optional<Next> compactBetweenSteps(long prompt) {
        snapshots.settle();  // the summary carries the files the turn changed
        var current = new Closing();
        Compactor.Outcome compacted = compactor.compact(state.compactions() == 0 ? Compactor.Cause.USAGE : Compactor.Cause.FALLBACK, prompt,
                current::close);
        if (compacted.kind() == Compactor.Outcome.Kind.ABORTED) return Optional.of(new Next.Ended(current.abort()));
        if (compacted.compacted()) state.compacted();
        if (compacted.summary().isEmpty()) return Optional.empty();
        open(continueIfNeeded().orElse(current.message.parentId()));
        return Optional.of(new Next.Onward());
    }

    /**
     * Prompts stored meanwhile that sort before the answer join it, each admitted by {@code UserPromptSubmit} hooks the
     * first time it is seen; true when one was refused (and removed), so the history must be read again.
     */
    private boolean joinQueued(List<MessageWithParts> history) {
        boolean refused = false;
        for (UserMessage u : InboxHistory.joining(history, state.firstPrompt(), state.message().id())) {
            if (state.prompts().contains(u.id())) continue;
            if (hooks.admit(hookScope(), u)) answering(u.id());
            else refused = true;
        }
        return refused;
    }

    /** A prompt sent meanwhile: the current message ends here and a new one, by the prompt's agent, answers it. */
    private void answerQueued(UserMessage queued) {
        end(Optional.empty(), StopReason.TOOL_CALLS, Ending.FINISHED);
        state.agent(project.agent(queued.agent()));
        answering(queued.id());
        open(queued.id());
    }

    /** A step the provider failed: retried, compacted, failed over or ended, as {@link FailedStep} decides. */
    private Next recover(LlmError error) {
        FailedStep failed = state.failed(error, fallbacks.remain());
        Recovery recovery = failed.next(retry, ThreadLocalRandom.current()::nextDouble);
        while (true) {
            switch (recovery) {
                case Recovery.Retry r -> {
                    state.retrying(r.attempt(), r.delay());
                    return awaitRetry(state.message(), r.attempt(), error, r.delay()) ? new Next.Again() : new Next.Ended(aborted());
                }
                case Recovery.Compact c -> {
                    // the provider counted more than the estimates did: summarise (or, the second time, fall back) and resend
                    snapshots.settle();  // the summary carries the files the turn changed
                    var current = new Closing();
                    Compactor.Outcome compacted = compactor.compact(c.cause(), 0, current::close);
                    if (compacted.kind() == Compactor.Outcome.Kind.ABORTED) return new Next.Ended(current.abort());
                    if (compacted.summary().isEmpty()) {
                        recovery = failed.withoutCompaction();
                        continue;
                    }
                    state.compacted();
                    open(continueIfNeeded().orElse(current.message.parentId()));
                    state.freshAttempts();
                    return new Next.Again();
                }
                case Recovery.FailOver _ -> {
                    if (!failOver(state.message(), error)) {
                        recovery = failed.end();
                        continue;
                    }
                    if (state.model().isAgent()) return new Next.FailOver(handOver());
                    state.freshAttempts();
                    return new Next.Again();
                }
                case Recovery.End e -> {
                    MessageError why = WaitTooLong.explained(e.error(), failed, retry, state.model().provider().id(), java.time.Instant.now());
                    return new Next.Ended(end(Optional.of(RefusedKey.explained(why, error, state.model())), StopReason.ERROR,
                            Ending.PROVIDER_ERROR));
                }
            }
        }
    }

    private Ending aborted() {
        return end(Optional.of(MessageError.aborted()), StopReason.ERROR, Ending.ABORTED);
    }

    /** The assistant message being written when a compaction starts: closed before the summary's messages. */
    private final class Closing {
        private final AssistantMessage message = state.message();
        private final Usage total = state.total();
        private boolean closed;

        /**
         * Closes the message before a compaction's messages: as one that went on ({@code tool_calls}) when it holds
         * what the model said or called, so the turn still has one final message (the continuation's); a message that
         * holds neither (the window overflowed at its first request, and a failed attempt leaves no text) is removed.
         */
        void close() {
            closed = true;
            boolean said = journal.history(session.id()).stream().filter(m -> m.info().id().equals(message.id()))
                    .anyMatch(m -> m.parts().stream().anyMatch(p -> p instanceof Part.Tool || p instanceof Part.Reasoning
                            || p instanceof Part.Text t && !t.text().isBlank()));
            if (said) {
                end(message, total, Optional.empty(), StopReason.TOOL_CALLS, Ending.FINISHED);
            } else {
                snapshots.settle();
                services.usage(session, total, state.cost());
                journal.of(session).removeMessage(message.id());
            }
        }

        Ending abort() {
            if (!closed) end(message, total, Optional.of(MessageError.aborted()), StopReason.ERROR, Ending.ABORTED);
            return Ending.ABORTED;
        }
    }

    /**
     * After a summary the model must be sent a user message last: the prompt of this turn when it was kept verbatim,
     * otherwise a synthetic one asking it to go on. Returns the message written, if one was.
     */
    private Optional<MessageId> continueIfNeeded() {
        var sent = services.context().build(project, state.agent(), state.model(), journal.history(session.id()), ContextBuilder.Step.NORMAL);
        if (!sent.messages().isEmpty() && sent.messages().getLast().role() == LlmMessage.Role.USER) return Optional.empty();
        var user = Inbox.message(session.id(), state.agent().name(), state.model().ref());
        journal.of(session).user(user, List.of(new Part.Text(PartId.next(), session.id(), user.id(), Compactor.CONTINUE, true)));
        return Optional.of(user.id());
    }

    /**
     * Moves the turn to the next fallback model that resolves (DESIGN §7 failover), recording a {@code ModelSwitch}
     * part; the step is then sent again to it, with history converted by the context builder. False when none is left.
     */
    private boolean failOver(AssistantMessage message, LlmError error) {
        Optional<ResolvedModel> next = fallbacks.next();
        if (next.isEmpty()) return false;
        String reason = LlmError.kind(error) + ": " + error.message();
        switched = new Part.ModelSwitch(PartId.next(), session.id(), message.id(), state.model().ref(), next.get().ref(), reason);
        journal.of(session).part(switched);
        state.model(next.get());
        return true;
    }

    /**
     * The turn failed over to an ACP agent: this message closes (removed when it holds nothing the model said) and the
     * agent answers the same prompt in a message of its own, which records the switch and why ({@link Turn}). The agent
     * does not fail over again.
     */
    private Answer.ToAgent handOver() {
        MessageId prompt = state.message().parentId();
        new Closing().close();
        UserMessage asked = journal.history(session.id()).stream().filter(m -> m.info().id().equals(prompt) && m.info() instanceof UserMessage)
                .map(m -> (UserMessage) m.info()).findFirst().orElseThrow();
        return new Answer.ToAgent(state.model(), Optional.ofNullable(switched), asked);
    }

    /**
     * The project as its configuration is now, for a tool call's rules: a deny added while the turn runs stops its next
     * call. The step's own project when the configuration cannot be read (its last good one is kept meanwhile anyway).
     */
    @Override
    public Project liveProject() {
        return frame.liveProject(project);
    }

    /**
     * Before a step: the configuration as it is now. When it changed, the step's model is resolved again from it (a new
     * {@code baseUrl}, key or header applies from this step); a model it no longer resolves keeps the one it had.
     */
    private void reloadProject() {
        Project now = frame.stepProject(project);
        if (now == project) return;
        project = now;
        try {
            state.model(project.models().resolve(state.model().ref()));
        } catch (RuntimeException e) {
            // the model this turn runs is not configured any more: it finishes with the one it had, the next prompt says why
        }
        retry = retryPolicy();
    }

    /** Provider keys this turn could use: kept out of tool processes whatever variable holds them. */
    private java.util.Set<String> secrets() {
        return Secrets.of(project, Optional.of(state.model()));
    }

    /** Records the retry (part, status with the next attempt time), then waits; false when aborted meanwhile. */
    private boolean awaitRetry(AssistantMessage message, int attempt, LlmError error, Duration wait) {
        long nextAt = System.currentTimeMillis() + wait.toMillis();
        String text = LlmError.kind(error) + ": " + error.message();
        services.journal().of(session).part(new Part.Retry(PartId.next(), session.id(), message.id(), attempt, text, nextAt));
        services.journal().of(session).status(new SessionStatus.Retry(attempt, text, nextAt, retry.maxAttempts()));
        var woken = new java.util.concurrent.CountDownLatch(1);
        try (AutoCloseable _ = cancellation.onCancel(woken::countDown)) {
            woken.await(wait.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        if (cancellation.isCancelled()) return false;
        services.journal().of(session).status(SessionStatus.BUSY);
        return true;
    }

    private RetryPolicy retryPolicy() {
        var r = project.config().retry();
        return new RetryPolicy(Math.max(1, r.maxAttempts()), Duration.ofSeconds(r.maxTotalWaitSeconds()),
                Duration.ofSeconds(Math.max(1, r.streamIdleTimeoutSeconds())));
    }

    private Ending end(Optional<MessageError> error, StopReason finish, Ending ending) { return end(state.message(), state.total(), error, finish, ending); }

    private Ending end(AssistantMessage message, Usage total, Optional<MessageError> error, StopReason finish, Ending ending) {
        return frame.close(message, total, state.cost(), error, finish, ending, true);
    }

    private static Usage usage(TokenUsage u) { return new Usage(u.input(), u.output(), u.reasoning(), u.cacheRead(), u.cacheWrite()); }
}
