package dev.lathe.core.session;

import dev.lathe.core.ask.PermissionGate;
import dev.lathe.core.ask.QuestionGate;
import dev.lathe.core.context.ContextBudget;
import dev.lathe.core.context.ContextView;
import dev.lathe.core.context.PromptHashes;

import dev.lathe.core.agent.Agent;
import dev.lathe.core.model.ResolvedModel;
import dev.lathe.core.project.Project;
import dev.lathe.core.snapshot.SnapshotException;
import dev.lathe.llm.Cancellation;
import dev.lathe.llm.LlmError;
import dev.lathe.llm.LlmEvent;
import dev.lathe.llm.LlmRequest;
import dev.lathe.llm.RetryPolicy;
import dev.lathe.llm.StopReason;
import dev.lathe.llm.TokenUsage;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.api.MessageWithParts;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One turn: the steps of the assistant's answer to the latest user message (DESIGN §8). Each step builds the context
 * from stored history, streams the model's response into parts, runs the requested tools in parallel, and records a
 * step-finish; the loop continues while the model asks for tools, up to the agent's step limit (the last step is sent
 * without tools and asks for a summary). A provider failure worth retrying (rate limit, overload, network, a stall)
 * waits as the retry policy says, showing a {@code retry} status, and sends the step again; tools that completed are
 * in the history by then, so they never run twice. A user message that arrives meanwhile is picked up at the next step
 * boundary: the current assistant message is closed and a new one answers it.
 */
final class Turn {
    private static final System.Logger LOG = System.getLogger(Turn.class.getName());

    /** How the turn ended. */
    enum Ending { FINISHED, PROVIDER_ERROR, REJECTED, ABORTED, FAILED }

    private final TurnServices services;
    private final Project project;
    private final Session session;
    /** The agent of the user message being answered: its prompt, tools, permissions and step limit apply. */
    private Agent agent;
    /** The model of the current step: the session's, until a failover moves the turn to a fallback. */
    private ResolvedModel model;
    private final java.util.Deque<String> fallbacks;
    /** Cost of the current assistant message so far, in micro-dollars, each step priced by the model that ran it. */
    private long messageCost;
    private final Cancellation cancellation;
    private final PermissionGate.Approvals approvals;
    /** At most one compaction plus one fallback per turn (DESIGN §12); a turn full a third time ends with the error. */
    private static final int MAX_COMPACTIONS = 2;
    private int compactions;
    /** Patch records of this turn's steps still being written (snapshots taken while the next request went out). */
    private CompletableFuture<Void> recording = CompletableFuture.completedFuture(null);
    /**
     * The prompts this turn has shown the model so far (prompts sent while it runs join it), and whether any of them
     * asked for its asks to be answered allow-once ({@code allowAll}): once one has, the rest of the turn is answered so.
     */
    private final List<MessageId> prompts = new java.util.ArrayList<>();
    private boolean allowAll;

    Turn(TurnServices services, Project project, Session session, ResolvedModel model, Cancellation cancellation,
            PermissionGate.Approvals approvals) {
        this.services = services;
        this.project = project;
        this.session = session;
        this.agent = project.agent(session.agent());
        this.model = model;
        this.fallbacks = new java.util.ArrayDeque<>(project.config().fallback().stream().filter(ref -> !ref.equals(model.ref())).distinct().toList());
        this.cancellation = cancellation;
        this.approvals = approvals;
    }

    Ending run(MessageId userMessage) {
        try {
            answering(userMessage);
            return steps(userMessage);
        } finally {
            prompts.forEach(services.broker()::forget);
        }
    }

    /** From now on the turn answers {@code prompt} too: its {@code allowAll} applies to the asks that follow. */
    private void answering(MessageId prompt) {
        if (prompts.contains(prompt)) return;
        prompts.add(prompt);
        allowAll |= services.broker().allowsAll(prompt);
    }

    /**
     * Prompts stored after the turn took its own but before its answer was opened sort before that answer, so this
     * request shows them to the model: the turn answers them as well.
     */
    private void joinEarlierPrompts(List<MessageWithParts> history, MessageId answer) {
        for (MessageWithParts m : history) {
            if (m.info() instanceof UserMessage u && u.id().compareTo(prompts.getFirst()) > 0 && u.id().compareTo(answer) < 0) answering(u.id());
        }
    }

    private Ending steps(MessageId userMessage) {
        String dir = session.directory();
        Journal journal = services.journal();
        agent = agentOf(userMessage);
        // the project's tree as the turn starts, for its first step: begun before anything else, so the first edit
        // (which waits for it) rarely does
        CompletableFuture<Optional<String>> treeNow = snapshotNow();
        RetryPolicy retry = retryPolicy();
        var compactor = new Compactor(services, project, session, model, cancellation, retry.streamIdleTimeout());
        // the last request already filled the window: compact before this turn's first request
        long lastPrompt = lastPromptTokens(journal.history(session.id()));
        if (ContextBudget.of(model.model()).overflows(lastPrompt)) {
            Compactor.Outcome outcome = compactor.compact(Compactor.Cause.USAGE, lastPrompt, () -> { });
            if (outcome.kind() == Compactor.Outcome.Kind.ABORTED) return Ending.ABORTED;
            if (outcome.compacted()) compactions++;
            if (outcome.summary().isPresent()) userMessage = continueIfNeeded().orElse(userMessage);
        }
        AssistantMessage message = newAssistant(userMessage);
        journal.assistant(dir, message);
        Optional<String> previous = previousModel(journal.history(session.id()), message.id());
        if (previous.isPresent() && !previous.get().equals(model.ref())) {
            String why = agent.model().filter(model.ref()::equals).map(m -> "the " + agent.name() + " agent's model").orElse("switched by the user");
            journal.part(dir, new Part.ModelSwitch(PartId.next(), session.id(), message.id(), previous.get(), model.ref(), why));
        }
        Usage total = Usage.ZERO;
        // config's agent.<name>.steps is part of the agent by now
        int maxSteps = agent.steps().orElse(services.maxSteps());
        int attempt = 1;
        Duration waited = Duration.ZERO;
        // treeNow is taken again after every step that may have changed files, while the next request goes out
        for (int step = 1; ; step++) {
            if (cancellation.isCancelled()) return end(message, total, Optional.of(MessageError.aborted()), "error", Ending.ABORTED);
            List<MessageWithParts> history = journal.history(session.id());
            joinEarlierPrompts(history, message.id());
            boolean lastStep = step >= maxSteps;
            LlmRequest request = services.context().build(project, agent, model, history, lastStep);
            // the request goes out without waiting for this marker's commit; the step's own parts commit after it
            journal.partBehind(dir, new Part.StepStart(PartId.next(), session.id(), message.id(), Optional.empty(),
                    PromptHashes.of(request, PromptHashes.lastShape(history))));

            // the snapshot before the step is taken while the model thinks; the first call that may change files waits for it
            CompletableFuture<Optional<String>> before = treeNow;
            StepOutcome outcome = step(message, request, retry.streamIdleTimeout(), before);
            // a step that only looked (read, grep, …) leaves the tree as it was: no git run at all; after one that may have
            // changed files, git runs while the next request goes out instead of before it (its patch part is written
            // when the snapshot is done, its id taken now so it sorts before this step's finish)
            PartId patchId = PartId.next();
            Optional<Optional<String>> treeBefore = outcome.mayChangeFiles() ? Optional.of(before.join()) : Optional.empty();
            treeNow = treeBefore.isPresent() ? snapshotAfter(outcome.changedFiles()) : before;
            Usage stepUsage = usage(outcome.usage());
            TokenUsage priced = outcome.usage();
            total = total.plus(stepUsage);
            long stepCost = project.models().pricing(model).microDollars(priced);
            messageCost += stepCost;
            var finished = new Part.StepFinish(PartId.next(), session.id(), message.id(), outcome.finish().reason().wire(), stepUsage, stepCost,
                    treeNow.getNow(Optional.empty()));
            // behind like the tools' outcomes: the next step reads them from the journal before they are committed
            journal.partBehind(dir, finished);
            recordWhenTaken(treeBefore, treeNow, patchId, finished);

            // abort first: an ask cancelled by the abort also reports a rejection
            if (cancellation.isCancelled()) return end(message, total, Optional.of(MessageError.aborted()), "error", Ending.ABORTED);
            if (outcome.tools() == ToolCallRunner.Outcome.REJECTED) {
                return end(message, total, Optional.of(new MessageError("permission_rejected", "a permission was rejected")), "error", Ending.REJECTED);
            }
            if (outcome.finish().error().isPresent()) {
                LlmError error = outcome.finish().error().get();
                // an unreachable provider is not waited for when another model can take over
                boolean failNow = error instanceof LlmError.Unreachable && !fallbacks.isEmpty();
                Optional<Duration> wait = failNow ? Optional.empty() : retry.delay(attempt + 1, error, waited, ThreadLocalRandom.current()::nextDouble);
                if (wait.isPresent()) {
                    attempt++;
                    waited = waited.plus(wait.get());
                    if (!awaitRetry(message, attempt, error, wait.get())) {
                        return end(message, total, Optional.of(MessageError.aborted()), "error", Ending.ABORTED);
                    }
                    step--; // a retried step does not count toward the step limit
                    continue;
                }
                if (error instanceof LlmError.ContextOverflow && compactions < MAX_COMPACTIONS) {
                    // the provider counted more than the estimates did: summarise (or, the second time, fall back) and resend
                    settle();  // the summary carries the files the turn changed
                    var current = new Closing(message, total);
                    Compactor.Outcome compacted = compactor.compact(compactions == 0 ? Compactor.Cause.OVERFLOW : Compactor.Cause.FALLBACK, 0,
                            () -> current.close(StopReason.ERROR.wire()));
                    if (compacted.kind() == Compactor.Outcome.Kind.ABORTED) return current.abort();
                    if (compacted.summary().isPresent()) {
                        compactions++;
                        message = newAssistant(continueIfNeeded().orElse(message.parentId()));
                        journal.assistant(dir, message);
                        total = Usage.ZERO;
                        messageCost = 0;
                        attempt = 1;
                        waited = Duration.ZERO;
                        step--;
                        continue;
                    }
                }
                if (RetryPolicy.isRetryable(error) && failOver(message, error)) {
                    attempt = 1;
                    waited = Duration.ZERO;
                    step--;
                    continue;
                }
                return end(message, total, Optional.of(new MessageError(LlmError.kind(error), error.message())), "error", Ending.PROVIDER_ERROR);
            }
            if (outcome.tools() == ToolCallRunner.Outcome.CRASHED) {
                return end(message, total, Optional.of(new MessageError("internal", "a tool failed unexpectedly")), "error", Ending.FAILED);
            }
            attempt = 1;
            waited = Duration.ZERO;
            boolean wantsTools = outcome.callCount() > 0;
            long prompt = stepUsage.input() + stepUsage.cacheRead() + stepUsage.cacheWrite();
            if (wantsTools && !lastStep && compactions < MAX_COMPACTIONS && ContextBudget.of(model.model()).overflows(prompt)) {
                settle();
                var current = new Closing(message, total);
                Compactor.Outcome compacted = compactor.compact(compactions == 0 ? Compactor.Cause.USAGE : Compactor.Cause.FALLBACK, prompt,
                        () -> current.close(StopReason.TOOL_CALLS.wire()));
                if (compacted.kind() == Compactor.Outcome.Kind.ABORTED) return current.abort();
                if (compacted.compacted()) compactions++;
                if (compacted.summary().isPresent()) {
                    message = newAssistant(continueIfNeeded().orElse(message.parentId()));
                    journal.assistant(dir, message);
                    total = Usage.ZERO;
                    messageCost = 0;
                    continue;
                }
            }
            Optional<MessageId> queued = newerUserMessage(message.id(), journal);
            if (wantsTools && !lastStep && queued.isPresent()) {
                end(message, total, Optional.empty(), StopReason.TOOL_CALLS.wire(), Ending.FINISHED);
                agent = agentOf(queued.get());
                answering(queued.get());
                message = newAssistant(queued.get());
                journal.assistant(dir, message);
                total = Usage.ZERO;
                messageCost = 0;
                continue;
            }
            if (!wantsTools || lastStep) {
                String finish = wantsTools ? StopReason.TOOL_CALLS.wire() : outcome.finish().reason().wire();
                return end(message, total, Optional.empty(), finish, Ending.FINISHED);
            }
        }
    }

    /** {@code changedFiles}: what the step's calls changed, when they all said (see {@link ToolCallRunner#changedFiles}). */
    private record StepOutcome(LlmEvent.Finished finish, TokenUsage usage, int callCount, boolean mayChangeFiles, ToolCallRunner.Outcome tools,
            Optional<java.util.Set<java.nio.file.Path>> changedFiles) {}

    /** The assistant message being written when a compaction starts: closed before the summary's messages. */
    private final class Closing {
        private final AssistantMessage message;
        private final Usage total;
        private boolean closed;

        Closing(AssistantMessage message, Usage total) {
            this.message = message;
            this.total = total;
        }

        void close(String finish) {
            end(message, total, Optional.empty(), finish, Ending.FINISHED);
            closed = true;
        }

        Ending abort() {
            if (!closed) end(message, total, Optional.of(MessageError.aborted()), "error", Ending.ABORTED);
            return Ending.ABORTED;
        }
    }

    /**
     * After a summary the model must be sent a user message last: the prompt of this turn when it was kept verbatim,
     * otherwise a synthetic one asking it to go on. Returns the message written, if one was.
     */
    private Optional<MessageId> continueIfNeeded() {
        var sent = services.context().build(project, agent, model, services.journal().history(session.id()), false);
        if (!sent.messages().isEmpty() && sent.messages().getLast().role() == dev.lathe.llm.LlmMessage.Role.USER) return Optional.empty();
        var user = new UserMessage(MessageId.next(), session.id(), System.currentTimeMillis(), agent.name(), model.ref());
        services.journal().user(session.directory(), user, List.of(new Part.Text(PartId.next(), session.id(), user.id(), Compactor.CONTINUE, true)));
        return Optional.of(user.id());
    }

    /**
     * Prompt tokens of the session's last request, as its provider counted them; 0 when none is recorded since the
     * latest summary (the summary request itself was sent the history the summary replaced, so its size says nothing
     * about the next request's).
     */
    static long lastPromptTokens(List<MessageWithParts> history) {
        // requests before it (kept turns included) were sent the history the summary replaced
        for (MessageWithParts m : history.subList(ContextView.of(history).tailStart(), history.size()).reversed()) {
            for (Part p : m.parts().reversed()) {
                if (p instanceof Part.StepFinish f && !f.reason().equals("error")) return f.usage().input() + f.usage().cacheRead() + f.usage().cacheWrite();
            }
        }
        return 0;
    }

    private CompletableFuture<Optional<String>> snapshotNow() {
        return CompletableFuture.supplyAsync(project.snapshots()::track, Thread.ofVirtual()::start);
    }

    /** After a step that may have changed files: just the files its edit tools wrote when that is all that changed. */
    private CompletableFuture<Optional<String>> snapshotAfter(Optional<java.util.Set<java.nio.file.Path>> changed) {
        if (changed.isEmpty()) return snapshotNow();
        return CompletableFuture.supplyAsync(() -> project.snapshots().trackChanged(changed.get()), Thread.ofVirtual()::start);
    }

    /**
     * Once the tree after a step is known: its snapshot in the step's finish when that was written without it and, after
     * a step that may have changed files ({@code before} present), the files its tools changed as a patch part naming
     * the tree before them. The turn waits for these records before it ends or compacts ({@link #settle}).
     */
    private void recordWhenTaken(Optional<Optional<String>> before, CompletableFuture<Optional<String>> after, PartId patchId, Part.StepFinish finish) {
        if (before.isEmpty() && finish.snapshot().isPresent()) return;
        String dir = session.directory();
        // on a thread of its own: a caller waiting for the tree (the next step's first edit) would otherwise run it
        CompletableFuture<Void> record = after.thenAcceptAsync(tree -> {
            if (tree.isEmpty()) return;
            if (finish.snapshot().isEmpty()) {
                services.journal().part(dir, new Part.StepFinish(finish.id(), finish.sessionId(), finish.messageId(), finish.reason(), finish.usage(),
                        finish.cost(), tree));
            }
            if (before.isEmpty() || before.get().isEmpty()) return;
            String from = before.get().get();
            List<String> files;
            try {
                files = project.snapshots().changed(from, tree.get());
            } catch (SnapshotException e) {
                // undo is a convenience: losing one step's record must not fail the turn
                LOG.log(System.Logger.Level.WARNING, "cannot list the files a step changed: " + e.getMessage());
                return;
            }
            if (!files.isEmpty()) services.journal().part(dir, new Part.Patch(patchId, session.id(), finish.messageId(), from, files));
        }, command -> Thread.ofVirtual().start(command)).exceptionally(e -> {
            LOG.log(System.Logger.Level.WARNING, "cannot record the files a step changed: " + e.getMessage());
            return null;
        });
        recording = CompletableFuture.allOf(recording, record);
    }

    /** Waits until the patch records of earlier steps are written: the history is whole again. */
    private void settle() {
        recording.join();
    }

    private StepOutcome step(AssistantMessage message, LlmRequest request, Duration idleTimeout, CompletableFuture<Optional<String>> before) {
        String dir = session.directory();
        Agent current = agent;
        try (var runner = new ToolCallRunner(services.journal(), dir, project.directory(), services.toolOutputDir(), services.tools(),
                cancellation, call -> new PermissionGate(session, message.id(), call.callId(), approvals,
                        () -> Subtasks.rules(project, session, current, services.journal()), services.broker(), services.journal(), cancellation,
                        allowAll), secrets(),
                new SessionTodos(session, services.todos(), services.journal()),
                call -> new QuestionGate(session, message.id(), call.callId(), services.questions(), services.journal(), cancellation),
                new ProjectSkills(() -> services.skills().apply(project)))
                .offering(request.tools(), _ -> services.subtasks().forCall(session, message.id(), cancellation, allowAll))) {
            var stream = new StepStream(services.journal(), dir, session.id(), message.id(), call -> {
                // the snapshot must hold the tree before any change; a call that only looks needs not wait for it
                if (runner.mayChangeFiles(call.tool())) before.join();
                runner.start(call);
            });
            LlmEvent.Finished finish = stream.receive(model, request, idleTimeout, cancellation);
            ToolCallRunner.Outcome tools = runner.awaitAll();
            TokenUsage usage = finish.error().isPresent() ? stream.usage() : stream.estimatedUsage(request);
            boolean mayChangeFiles = stream.calls().stream().anyMatch(c -> runner.mayChangeFiles(c.tool()));
            return new StepOutcome(finish, usage, stream.calls().size(), mayChangeFiles, tools, runner.changedFiles());
        }
    }

    /**
     * Moves the turn to the next fallback model that resolves (DESIGN §7 failover), recording a {@code ModelSwitch}
     * part; the step is then sent again to it, with history converted by the context builder. False when none is left.
     */
    private boolean failOver(AssistantMessage message, LlmError error) {
        while (!fallbacks.isEmpty()) {
            String ref = fallbacks.poll();
            ResolvedModel next;
            try {
                next = project.models().resolve(ref);
            } catch (dev.lathe.core.model.ModelException e) {
                LOG.log(System.Logger.Level.WARNING, "fallback model {0} is not usable: {1}", ref, e.getMessage());
                continue;
            }
            String reason = LlmError.kind(error) + ": " + error.message();
            services.journal().part(session.directory(), new Part.ModelSwitch(PartId.next(), session.id(), message.id(), model.ref(), next.ref(), reason));
            model = next;
            return true;
        }
        return false;
    }

    /** The model that answered last before this message, counting failovers inside it. */
    private static Optional<String> previousModel(List<MessageWithParts> history, MessageId current) {
        for (MessageWithParts m : history.reversed()) {
            if (!(m.info() instanceof AssistantMessage a) || a.id().equals(current)) continue;
            String last = a.model();
            for (Part p : m.parts()) if (p instanceof Part.ModelSwitch s) last = s.to();
            return Optional.of(last);
        }
        return Optional.empty();
    }

    /** Provider keys this turn could use: kept out of tool processes whatever variable holds them. */
    private java.util.Set<String> secrets() {
        return Secrets.of(project, Optional.of(model));
    }

    /** Records the retry (part, status with the next attempt time), then waits; false when aborted meanwhile. */
    private boolean awaitRetry(AssistantMessage message, int attempt, LlmError error, Duration wait) {
        long nextAt = System.currentTimeMillis() + wait.toMillis();
        String text = LlmError.kind(error) + ": " + error.message();
        services.journal().part(session.directory(), new Part.Retry(PartId.next(), session.id(), message.id(), attempt, text, nextAt));
        services.journal().status(session.directory(), session, new SessionStatus.Retry(attempt, text, nextAt));
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
        services.journal().status(session.directory(), session, SessionStatus.BUSY);
        return true;
    }

    private RetryPolicy retryPolicy() {
        var r = project.config().retry();
        return new RetryPolicy(Math.max(1, r.maxAttempts()), Duration.ofSeconds(r.maxTotalWaitSeconds()),
                Duration.ofSeconds(Math.max(1, r.streamIdleTimeoutSeconds())));
    }

    /** The agent the user message {@code id} names (the session's when it is not found). */
    private Agent agentOf(MessageId id) {
        for (MessageWithParts m : services.journal().history(session.id()).reversed()) {
            if (m.info() instanceof UserMessage u && u.id().equals(id)) return project.agent(u.agent());
        }
        return project.agent(session.agent());
    }

    private Optional<MessageId> newerUserMessage(MessageId current, Journal journal) {
        return journal.messages().latestUserMessage(session.id()).filter(id -> id.compareTo(current) > 0);
    }

    private AssistantMessage newAssistant(MessageId parent) {
        return new AssistantMessage(MessageId.next(), session.id(), parent, agent.name(), model.ref(), System.currentTimeMillis(),
                Optional.empty(), Optional.empty(), Optional.empty(), Usage.ZERO, 0);
    }

    private Ending end(AssistantMessage message, Usage total, Optional<MessageError> error, String finish, Ending ending) {
        settle();
        long now = System.currentTimeMillis();
        AssistantMessage done = error.isPresent() ? message.failed(now, error.get(), total, messageCost) : message.completed(now, finish, total, messageCost);
        services.journal().assistant(session.directory(), done);
        services.usage(session, total, messageCost);
        if (error.isPresent() && ending != Ending.ABORTED) {
            services.journal().publish(session.directory(), new dev.lathe.protocol.event.Event.SessionErrored(session.id(), error.get()));
        }
        return ending;
    }

    private static Usage usage(TokenUsage u) {
        return new Usage(u.input(), u.output(), u.reasoning(), u.cacheRead(), u.cacheWrite());
    }
}
