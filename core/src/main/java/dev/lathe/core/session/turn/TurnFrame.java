package dev.lathe.core.session.turn;

import dev.lathe.core.session.context.LiveProject;
import dev.lathe.core.agent.Agent;
import dev.lathe.core.budget.SpendLedger;
import dev.lathe.core.hooks.SessionHooks;
import dev.lathe.core.model.ResolvedModel;
import dev.lathe.core.project.OneLook;
import dev.lathe.core.project.Project;
import dev.lathe.core.session.inbox.Inbox;
import dev.lathe.core.session.journal.Journal;
import dev.lathe.core.session.journal.StoredHistory;
import dev.lathe.llm.Cancellation;
import dev.lathe.llm.LlmRequest;
import dev.lathe.llm.QuotaWindow;
import dev.lathe.llm.StopReason;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.MessageError;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Quota;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.Usage;
import dev.lathe.protocol.session.UserMessage;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What every turn ({@link Turn}) does around its answer, whoever answers (a model's steps in {@link ModelResponder}, an ACP agent in
 * {@link AgentResponder}): the session's hooks at admission and at the stop, the spend limits checked before a request goes
 * out, each assistant message opened (with the model switch recorded) and closed (charged to the session, a failure
 * announced), each step's finish with the tree after it (for undo). One per turn, kept across a failover from one
 * responder to another; the responder decides what to say, the frame writes it the same way for both.
 */
final class TurnFrame {
    private final TurnServices services;
    private final Journal journal;
    private final Session session;
    /** The project as its configuration is now ({@code Projects.current}). */
    private final LiveProject projects;
    private final TurnHooks hooks;
    private final TurnBudget budget;
    private final StepSnapshots snapshots;

    /**
     * @param project the project the turn starts with: its snapshots hold the tree before and after each step
     * @param live    the project as configured now, as the responder answering sees it, for the hooks' instructions
     */
    TurnFrame(TurnServices services, LiveProject projects, Session session, Project project, Supplier<Project> live) {
        this.services = services;
        this.journal = services.journal();
        this.session = session;
        this.projects = projects;
        this.hooks = new TurnHooks(services.hooks(), journal, session, () -> services.instructions(live.get()));
        this.budget = new TurnBudget(services, session, projects);
        this.snapshots = new StepSnapshots(project.snapshots(), journal.of(session));
    }

    TurnHooks hooks() { return hooks; }

    TurnBudget budget() { return budget; }

    StepSnapshots snapshots() { return snapshots; }

    /**
     * The project as its configuration is now, for a tool call's rules and the hooks: a deny added while the turn runs
     * stops its next call. {@code fallback} (the step's own project) when the configuration cannot be read (its last
     * good one is kept meanwhile anyway).
     */
    Project liveProject(Project fallback) {
        try {
            return projects.now();
        } catch (RuntimeException e) {
            return fallback;
        }
    }

    /**
     * As {@link #liveProject}, for a step about to be sent: the turn's start up to here was one look at the project's
     * files (decision 543), which ends now, so the step's tool calls and the steps after it look afresh.
     */
    Project stepProject(Project fallback) {
        try {
            return liveProject(fallback);
        } finally {
            OneLook.end();
        }
    }

    /**
     * Whether {@code prompt} is answered: {@code UserPromptSubmit} (and {@code SessionStart}) hooks admit it. A stop a
     * tool hook asked for in an earlier turn that ended otherwise does not end this one.
     */
    boolean admit(SessionHooks.Scope scope, UserMessage prompt) {
        services.hooks().stops().take(session.id().value());
        return hooks.admit(scope, prompt);
    }

    /**
     * The spend limits before a request (a model's step, an agent's prompt): a limit reached pauses here until the
     * user raises it or stops ({@code Notification} hooks are told of the wait, as of a permission ask); the error
     * when the turn must end there.
     */
    Optional<MessageError> overBudget(Supplier<Project> live, MessageId message, Cancellation cancellation, SessionHooks.Scope scope) {
        return budget.check(live, message, cancellation, new CallHooks(services.hooks(), scope, session.id().value(), ""));
    }

    /** The {@code Stop} hook event of this session: {@code SubagentStop} in a subagent's. */
    String stopEvent() { return session.parentId().isPresent() ? "SubagentStop" : "Stop"; }

    /**
     * A {@code Stop} hook blocked the stop: its reason becomes the agent's next instruction, a synthetic user message
     * the turn answers next.
     */
    UserMessage stopFeedback(String reason, String agent, String model) {
        var user = Inbox.message(session.id(), agent, model);
        journal.of(session).user(user, List.of(new Part.Text(PartId.next(), session.id(), user.id(), stopEvent() + " hook feedback:\n" + reason, true)));
        return user;
    }

    /** Opens a new assistant message answering {@code parent}; its usage and cost start from zero. */
    AssistantMessage open(MessageId parent, String agent, String model) {
        var message = new AssistantMessage(MessageId.next(), session.id(), parent, agent, model, System.currentTimeMillis(),
                Optional.empty(), Optional.empty(), Optional.empty(), Usage.ZERO, 0);
        journal.of(session).assistant(message);
        return message;
    }

    /** A model other than the one that answered last answers now: the switch is recorded in the new message. */
    void recordModelSwitch(AssistantMessage message, Agent agent, String model) {
        Optional<String> previous = StoredHistory.previousModel(journal.history(session.id()), message.id());
        if (previous.isEmpty() || previous.get().equals(model)) return;
        String why = agent.model().filter(model::equals).map(m -> "the " + agent.name() + " agent's model").orElse("switched by the user");
        journal.of(session).part(new Part.ModelSwitch(PartId.next(), session.id(), message.id(), previous.get(), model, why));
    }

    /** A response of {@code message} ended: the answer's usage and cost so far are written and announced (behind). */
    void responded(AssistantMessage message, Usage soFar, long costSoFar) {
        journal.of(session).assistantBehind(message.spentSoFar(soFar, costSoFar));
    }

    /**
     * Writes a step's finish (behind, like the tools' outcomes: the next step reads them from memory before they are
     * committed) and has the snapshots record the tree after it ({@code changedFiles}: what the step changed, when
     * known; {@code quota}: the rate-limit windows its response reported). Returns when the finish is committed: from then on the store counts its spend, which the ledger held.
     */
    java.util.concurrent.CompletableFuture<Void> stepFinished(MessageId message, StopReason reason, Usage usage, long cost, boolean mayChangeFiles,
            Optional<Set<Path>> changedFiles, List<QuotaWindow> quota) {
        StepSnapshots.Taken taken = snapshots.stepEnded(mayChangeFiles, changedFiles);
        var finished = new Part.StepFinish(PartId.next(), session.id(), message, reason.wire(), usage, cost, taken.treeIfKnown(),
                quota.stream().map(w -> new Quota(w.name(), w.used(), w.limit(), w.resetsAt().toString())).toList());
        var written = journal.of(session).partBehind(finished);
        snapshots.record(taken, finished);
        return written;
    }

    /**
     * Right before a request of {@code message} to {@code model} goes out: the spend ledger admits it, or the limit's
     * ask pauses the turn here ({@link TurnBudget#admit}); {@code now} is the project the step has just read.
     */
    SpendLedger.Admission admit(Project now, Supplier<Project> live, MessageId message, ResolvedModel model,
            LlmRequest request, Cancellation cancellation, SessionHooks.Scope scope) {
        return budget.admit(now, live, message, model, request, cancellation, new CallHooks(services.hooks(), scope, session.id().value(), ""));
    }

    /**
     * Closes {@code message}: completed with {@code finish}, or failed with {@code error}; its usage is charged to the
     * session. A failure other than an abort is announced ({@code session.error}) unless {@code announce} is false (a
     * failure another model recovers from is not the session's error).
     */
    Turn.Ending close(AssistantMessage message, Usage total, long cost, Optional<MessageError> error, StopReason finish, Turn.Ending ending,
            boolean announce) {
        snapshots.settle();
        long now = System.currentTimeMillis();
        AssistantMessage done = error.isPresent() ? message.failed(now, error.get(), total, cost) : message.completed(now, finish.wire(), total, cost);
        journal.of(session).assistant(done);
        services.usage(session, total, cost);
        if (announce && error.isPresent() && ending != Turn.Ending.ABORTED) {
            journal.of(session).publish(new Event.SessionErrored(session.id(), error.get()));
        }
        return ending;
    }

    /**
     * A step threw (a bug, or an {@link Error} such as a class that failed to initialize, which once ended the turn's
     * thread with the answer left open and {@code lathe run} reporting success): {@code message} is closed as failed and
     * the failure announced, so every client sees the turn end. A message closed or removed already (a compaction
     * closes the answer before its summary; a step may throw after the turn's end was written) is not closed again:
     * the failure goes on to the session's runner, which announces it, as it does when closing fails (the store away).
     */
    Turn.Ending crashed(AssistantMessage message, Usage total, long cost, Throwable e) {
        MessageError error = TurnError.describing(e);
        var log = System.getLogger(TurnFrame.class.getName());
        if (error.kind().equals(TurnError.INTERNAL.kind())) log.log(System.Logger.Level.ERROR, "turn of " + session.id() + " failed", e);
        else log.log(System.Logger.Level.WARNING, "turn of " + session.id() + " failed: " + e.getMessage());
        try {
            if (!isOpen(message.id())) throw rethrown(e);
            return close(message, total, cost, Optional.of(error), StopReason.ERROR, Turn.Ending.FAILED, true);
        } catch (RuntimeException closing) {
            if (closing == e) throw closing;
            e.addSuppressed(closing);
            throw rethrown(e);
        }
    }

    /** Whether {@code id} is an answer of this session that is stored and not closed yet. */
    boolean isOpen(MessageId id) {
        return journal.history(session.id()).stream().anyMatch(m -> m.info().id().equals(id)
                && m.info() instanceof AssistantMessage a && a.completedAt().isEmpty() && a.error().isEmpty());
    }

    /** {@code e} to throw: an Error is thrown from here, an unchecked exception returned. */
    private static RuntimeException rethrown(Throwable e) {
        if (e instanceof Error fatal) throw fatal;
        return (RuntimeException) e;
    }
}
