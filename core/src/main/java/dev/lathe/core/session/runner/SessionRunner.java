package dev.lathe.core.session.runner;

import dev.lathe.core.model.ModelException;
import dev.lathe.core.model.ResolvedModel;
import dev.lathe.core.project.Project;
import dev.lathe.core.project.OneLook;
import dev.lathe.core.session.background.TaskTurns;
import dev.lathe.core.session.inbox.InboxHistory;
import dev.lathe.core.session.journal.Journal;
import dev.lathe.core.session.journal.StoredHistory;
import dev.lathe.core.session.turn.Compactor;
import dev.lathe.core.session.turn.Turn;
import dev.lathe.core.session.turn.TurnError;
import dev.lathe.core.session.turn.TurnServices;
import dev.lathe.core.session.turn.UserShell;
import dev.lathe.llm.Cancellation;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.PromptNotRun;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.protocol.session.UserMessage;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one runner of a session ({@code Idle | Running}). {@link #wake} starts the turn loop on its own virtual thread
 * unless it is already running; while it runs, newly stored user messages are answered at the next step boundary or
 * by the next turn. The loop never runs inside an HTTP request, so a session outlives every client.
 */
public final class SessionRunner {
    private static final System.Logger LOG = System.getLogger(SessionRunner.class.getName());

    private final SessionId id;
    private final TurnServices services;
    private final Lookups lookups;
    /** A fleet task's checkout before the turns and push after each (DESIGN §20); nothing for other sessions. */
    private final TaskTurns tasks;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition stopped = lock.newCondition();
    private boolean running;
    /** A runner of a session being deleted starts nothing any more. */
    private boolean closed;
    /** A prompt was stored while a job ran: answer it once the job ends. */
    private boolean wakeRequested;
    private Cancellation cancellation = new Cancellation();
    private volatile Turn.Ending lastEnding = Turn.Ending.FINISHED;

    public SessionRunner(SessionId id, TurnServices services, Lookups lookups, TaskTurns tasks) {
        this.id = id;
        this.services = services;
        this.lookups = lookups;
        this.tasks = tasks;
    }

    /** What a runner reads afresh each time it needs it: a session as stored, its project and models as configured now. */
    public interface Lookups {
        Session session(SessionId id);

        /** A session's project as its configuration is now (the last good one while an edit left it invalid). */
        Project project(Session session);

        /** Resolves a model reference ({@code provider/model}) for a session's project: a ModelException says what to configure. */
        default ResolvedModel model(Session session, String ref) { return project(session).models().resolve(ref); }
    }

    /** Starts answering the session's waiting prompts ({@link SessionTask.Turns}) on a thread of its own, unless something runs. */
    void wake() {
        Cancellation token;
        lock.lock();
        try {
            if (running) wakeRequested = true;
            if (running || closed) return;
            token = claim();
        } finally {
            lock.unlock();
        }
        // a platform thread: the model's stream is read on it, and a socket read on a virtual thread starts the JDK's I/O
        // pollers, threads left in epoll_wait that a JVM's exit waits 300 ms for (a one-shot lathe run took 0.3 s longer
        // for it); a blocked platform thread also wakes with one switch less than a virtual one behind a poller
        Thread.ofPlatform().daemon().name("lathe-turn-" + id.value()).start(() -> occupy(Optional.empty(), new SessionTask.Turns(this::answerPrompts), token));
    }

    void abort() {
        lock.lock();
        try {
            if (running) cancellation.cancel();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs {@code task} on the calling thread as this session's occupation: the session is busy meanwhile, an abort
     * cancels the token the task gets, and prompts stored meanwhile wait for it, then run. Empty when the session is
     * busy (a turn or another task runs) or closed.
     */
    public <T> Optional<T> run(SessionTask<T> task) {
        Session session = lookups.session(id);
        Cancellation token;
        lock.lock();
        try {
            if (running || closed) return Optional.empty();
            wakeRequested = false;
            token = claim();
        } finally {
            lock.unlock();
        }
        return Optional.of(occupy(Optional.of(session), task, token));
    }

    /** Marks the runner running with a fresh cancel token (under the lock). */
    private Cancellation claim() {
        running = true;
        cancellation = new Cancellation();
        settled = Optional.empty();
        return cancellation;
    }

    /** The session as the running task last saw it (a fleet task's checkout may move it): its idle status goes there. */
    private volatile Session occupied;

    /**
     * The one busy/idle lifecycle of every task: busy, the task, then (after an abort of a task answering prompts, the
     * prompts queued into it marked not run) idle, and the runner woken again when a prompt waits.
     */
    private <T> T occupy(Optional<Session> known, SessionTask<T> task, Cancellation token) {
        occupied = known.orElse(null);
        services.idleCaches().busy(id);
        try {
            // inside the try: a store that fails here (a team database away, its pool's wait run out) ends the run, said
            // as such, rather than leaving the session marked running for ever
            occupied = known.orElseGet(() -> lookups.session(id));
            services.journal().of(occupied).status(SessionStatus.BUSY);
            return task.run(occupied, token);
        } catch (RuntimeException e) {
            if (!task.answersPrompts()) throw e;
            LOG.log(System.Logger.Level.WARNING, "session " + id + " cannot run: " + e.getMessage());
            return null;
        } finally {
            Session session = occupied;
            boolean again = task.answersPrompts() ? settleTurns(session) : finish(true, session);
            if (again) wake();
            else if (task.answersPrompts() && session != null && !isClosed()) keepCacheWhileIdle(session);
        }
    }

    /** Idle with nothing waiting: the session's prompt cache is kept warm when its lifecycle says so (decision 505). */
    private void keepCacheWhileIdle(Session session) {
        try {
            services.idleCaches().idle(services, session, this::stillIdle, this::compactBeforeExpiry);
        } catch (RuntimeException e) {
            // the store failed while pricing the pause: the cache lapses, which is what happened before
            LOG.log(System.Logger.Level.WARNING, "session " + id + ": cannot plan its cache's keep-warm: " + e.getMessage());
        }
    }

    /** After the turns: the prompts queued into an aborted run marked not run; whether a prompt still waits. */
    private boolean settleTurns(Session session) {
        boolean aborted = cancellation.isCancelled();
        // closed: the session is deleted or the server stops; the prompts queued into the run are not the user's to lose
        if (aborted && session != null && !isClosed()) markQueuedNotRun(session);
        try {
            // after an abort, finish answers only a prompt sent since the queued ones were marked not run; a failed turn is not retried
            return finish(false, session) && (aborted || lastEnding == Turn.Ending.FINISHED);
        } catch (RuntimeException e) {
            // the store failed while looking for a next prompt: the runner is stopped all the same; a prompt waiting
            // is answered when it is woken again (the next prompt, or the lease taken once more)
            LOG.log(System.Logger.Level.WARNING, "session " + id + ": cannot look for a waiting prompt: " + e.getMessage());
            return false;
        }
    }

    /** No turn or job starts after this (the session is being deleted); {@link #reopen} undoes it. */
    void close() {
        lock.lock();
        try {
            closed = true;
        } finally {
            lock.unlock();
        }
        services.idleCaches().forget(id);
    }

    /**
     * The cache is about to expire and compacting is cheaper than writing it again: the session is compacted as its own
     * task, as {@code /compact} would, unless something runs or the user rewound it meanwhile (that waits for a prompt).
     */
    private void compactBeforeExpiry(Project project, ResolvedModel model) {
        if (lookups.session(id).revert().isPresent()) return;
        var idleTimeout = Duration.ofSeconds(Math.max(1, project.config().retry().streamIdleTimeoutSeconds()));
        // on a thread of its own, as a turn's (wake): the keep-warm timer goes on meanwhile
        Thread.ofPlatform().daemon().name("lathe-compact-" + id.value()).start(() -> run(new SessionTask.Compaction((session, cancel) ->
                new Compactor(services, project, session, model, cancel, idleTimeout)
                        .compact(Compactor.Cause.EXPIRY, StoredHistory.lastPromptTokens(services.journal().history(id)), () -> { }))));
    }

    /** Whether nothing runs and nothing will: a warm request planned meanwhile is sent only then. */
    private boolean stillIdle() {
        lock.lock();
        try {
            return !running && !closed;
        } finally {
            lock.unlock();
        }
    }

    private boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    void reopen() {
        lock.lock();
        try {
            closed = false;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until nothing runs, at most {@code timeout}; true when it stopped. */
    public boolean awaitStopped(Duration timeout) {
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (running && nanos > 0) nanos = stopped.awaitNanos(nanos);
            return !running;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !running;
        } finally {
            lock.unlock();
        }
    }

    boolean isRunning() {
        lock.lock();
        try {
            return running;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The newest prompt this run dealt with: the one its latest turn answers, or the newest it marked not run. An abort
     * marks the prompts after it not run; after the abort only a prompt newer than it (sent since) runs. Empty until the
     * run dealt with one: an abort before its first turn marks every prompt waiting (a new session's first prompt
     * aborted at once used to stay, unanswered and never reported, in an idle session).
     */
    private Optional<MessageId> settled = Optional.empty();

    /** {@link SessionTask.Turns}: the session's waiting prompts answered, turn after turn. */
    private Turn.Ending answerPrompts(Session start, Cancellation cancel) {
        Session session = start;
        try {
            session = tasks.prepare(session);
            occupied = session;
            // the history is read from the store once for all the turns of this run, and dropped when it ends
            try (Journal.Held _ = services.journal().live(id)) {
                while (true) {
                    // a draining node (or a session being deleted) starts no further turn: what waits is left for another node
                    if (isClosed()) break;
                    session = lookups.session(id);
                    occupied = session;
                    List<MessageWithParts> history = services.journal().history(id);
                    Optional<UserMessage> pending = unanswered(history);
                    if (pending.isEmpty() && !cancel.isCancelled()) {
                        // a prompt queued behind the turn that ended runs now, as a turn of its own
                        pending = InboxHistory.firstQueued(history).map(q -> InboxHistory.takeUp(services.journal().of(occupied), q));
                    }
                    if (pending.isEmpty() || cancel.isCancelled()) break;
                    settled = pending.map(UserMessage::id);
                    Turn.Ending ending = runTurn(session, pending.get());
                    lastEnding = ending;
                    // a task's work is pushed whatever the turn's end, so the node that runs the next turn starts from it
                    tasks.turnEnded(session);
                    if (ending != Turn.Ending.FINISHED && !queuedBehindFailure(ending)) break;
                }
            }
        } catch (TaskTurns.WorkspaceFailed e) {
            // a fleet task's repository could not be fetched, checked out or pushed: said as such, and not retried at once
            lastEnding = Turn.Ending.FAILED;
            LOG.log(System.Logger.Level.WARNING, "session " + id + ": " + e.getMessage());
            services.journal().of(session).publish(new Event.SessionErrored(id, TurnError.WORKSPACE.because(e.getMessage())));
        } catch (RuntimeException | Error e) {
            // a full disk or a team database away is said as such (the message names the folder or the store), never as
            // "internal"; an Error too ends the turn said, not the runner's thread silently
            lastEnding = Turn.Ending.FAILED;
            TurnError kind = TurnError.of(e);
            if (kind == TurnError.INTERNAL) LOG.log(System.Logger.Level.ERROR, "turn of " + id + " failed", e);
            else LOG.log(System.Logger.Level.WARNING, "turn of " + id + " failed: " + e.getMessage());
            services.journal().of(session).publish(new Event.SessionErrored(id, TurnError.describing(e)));
        }
        return lastEnding;
    }

    /**
     * A failed turn (the provider's error, or Lathe's) is not tried again, but a prompt queued behind it ({@code "delivery": "queue"}) was never tried: it
     * runs next, as its own turn, rather than waiting for the user's next message. Not when the failed prompt itself is
     * still unanswered (it failed before its answer was stored): that one would run again first.
     */
    private boolean queuedBehindFailure(Turn.Ending ending) {
        if (ending != Turn.Ending.FAILED && ending != Turn.Ending.PROVIDER_ERROR) return false;
        List<MessageWithParts> now = services.journal().history(id);
        return unanswered(now).isEmpty() && InboxHistory.firstQueued(now).isPresent();
    }

    /**
     * Marks the runner stopped and {@code session} idle; true when a prompt is waiting to be answered (after an abort:
     * one sent since the prompt the aborted turn answered; and, with {@code onlyIfAsked}, a prompt was stored while it
     * ran). The idle status is said under the lock that claims the runner: a prompt stored meanwhile starts its run
     * (busy) only after it, never before, which left a running session reported idle until its turn ended.
     */
    private boolean finish(boolean onlyIfAsked, Session session) {
        lock.lock();
        try {
            running = false;
            stopped.signalAll();
            if (session != null) services.journal().of(session).status(SessionStatus.IDLE);
            if (onlyIfAsked && !wakeRequested) return false;
            // a prompt stored after the last check but before running was cleared would otherwise wait forever (the store:
            // a prompt committed but not yet in the run's history in memory is found here)
            if (closed) return false;
            // the answers' parts are not read: what is waiting is told by the prompts' parts and the answers' parents
            List<MessageWithParts> stored = services.journal().messages().withPromptParts(id);
            Optional<MessageId> unanswered = unanswered(stored).map(UserMessage::id);
            boolean queued = InboxHistory.firstQueued(stored).isPresent();
            // aborted: every prompt queued into the run was marked not run, so one still queued was stored after that;
            // one still unanswered runs only when newer than what the run dealt with (the aborted prompt stays as it is)
            if (cancellation.isCancelled()) return queued || unanswered.filter(u -> settled.map(s -> u.compareTo(s) > 0).orElse(true)).isPresent();
            return queued || unanswered.isPresent();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Prompts sent while the aborted run ran and that nothing answered yet are marked not run
     * ({@link PromptNotRun}): they stay in the transcript, where the client that sent them
     * shows them as not run, and neither the turn loop nor the model takes them up later (glued to the next prompt).
     * They used to be deleted, so a prompt answered 202 could vanish from its transcript (issue 53). The prompt a turn
     * was answering stays as it is (it shows as interrupted).
     */
    private void markQueuedNotRun(Session session) {
        try {
            List<MessageWithParts> history = services.journal().messages().bySession(id);
            SortedSet<MessageId> queued = new TreeSet<>();
            for (MessageWithParts m : history.reversed()) {
                if (!(m.info() instanceof UserMessage u) || UserShell.isNote(m)) break;
                if (settled.map(s -> u.id().compareTo(s) <= 0).orElse(false)) break;
                if (!PromptNotRun.marks(m.parts())) queued.add(u.id());
            }
            // a prompt queued behind the run waits wherever it sorts: one stored before the run opened its last answer
            // (a turn answers a newer prompt with a second message) sorts before that answer, and would otherwise stay
            // queued in the stopped session, to run behind the user's next prompt
            for (MessageWithParts m : history) {
                if (InboxHistory.stillQueued(m)) queued.add(m.info().id());
            }
            if (queued.isEmpty()) return;
            services.journal().of(session).markNotRun(List.copyOf(queued));
            if (settled.map(s -> queued.last().compareTo(s) > 0).orElse(true)) settled = Optional.of(queued.last());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not mark the prompts queued into the aborted turn of " + id + " as not run", e);
        }
    }

    /** Answers {@code userMessage} with the model it chose (the session's, or its agent's own). */
    private Turn.Ending runTurn(Session session, UserMessage userMessage) {
        // from here to the first model request the project's files are looked at once (decision 543); the first step
        // ends the look, so its tool calls and the steps after it look afresh
        return OneLook.around(() -> runTurnInOneLook(session, userMessage));
    }

    private Turn.Ending runTurnInOneLook(Session session, UserMessage userMessage) {
        ResolvedModel model;
        try {
            model = lookups.model(session, userMessage.model());
        } catch (ModelException e) {
            services.journal().of(session).publish(new Event.SessionErrored(id, TurnError.MODEL.because(e.getMessage())));
            return Turn.Ending.FAILED;
        }
        Project project = lookups.project(session);
        try {
            Session running = session;
            // a model acp/NAME is answered by its ACP agent; failover either way is the turn's own decision
            return new Turn(services, () -> lookups.project(running), session, model, cancellation, services.approvals(project.id(), session.id())).run(userMessage);
        } finally {
            // between turns nothing is writing snapshots; keep the folder under its quota
            Thread.ofVirtual().start(project.snapshots()::collectGarbage);
        }
    }

    /**
     * Whether a prompt waits for a turn, as the store says: one nothing answers yet, or one queued behind a turn. A
     * draining node asks this of a session it stopped running before letting another node have it.
     */
    boolean promptWaits() {
        List<MessageWithParts> stored = services.journal().messages().withPromptParts(id);
        return unanswered(stored).isPresent() || InboxHistory.firstQueued(stored).isPresent();
    }

    /** The latest user message when nothing answers it yet (commands the user ran in between do not count). */
    static Optional<UserMessage> unanswered(List<MessageWithParts> history) {
        // commands the user ran themselves are no prompts and need no answer: look past them
        java.util.Set<MessageId> shells = new java.util.HashSet<>();
        for (MessageWithParts m : history) if (UserShell.isNote(m)) shells.add(m.info().id());
        // nor does a prompt an abort left not run (the user stopped the session before it), nor one queued behind a turn
        // (taken up as its own turn: InboxHistory.firstQueued)
        java.util.Set<MessageId> notRun = new java.util.HashSet<>();
        for (MessageWithParts m : history) {
            if (m.info() instanceof UserMessage && InboxHistory.waits(m)) notRun.add(m.info().id());
        }
        for (MessageWithParts m : history.reversed()) {
            switch (m.info()) {
                case UserMessage u -> {
                    if (!shells.contains(u.id()) && !notRun.contains(u.id())) return Optional.of(u);
                }
                case AssistantMessage a -> {
                    if (!shells.contains(a.parentId())) return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }
}
