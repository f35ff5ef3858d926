package dev.lathe.core.session.runner;

import dev.lathe.core.cluster.SessionLeases;
import dev.lathe.core.session.turn.ChildTurns;
import dev.lathe.core.session.turn.Turn;
import dev.lathe.core.session.turn.TurnServices;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.session.SessionStatus;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The runner of every session this server has run something in, and what each is doing now; on a team server, what
 * the session leases ask of this node (DESIGN §20).
 */
public final class Runners implements SessionLeases.Runs, ChildTurns {
    private final Map<SessionId, SessionRunner> runners = new ConcurrentHashMap<>();
    private final Factory factory;
    private final TurnServices services;
    /**
     * The session leases: on a team server, whether another node holds a session's lease and the sessions whose prompt
     * waits for a node, with their place (DESIGN §20); none of either on the embedded server.
     */
    private final SessionLeases leases;
    /**
     * The queue as last read and when (nanos): a board reads every session's status at once, one read of the queue
     * serves them all (it changes as nodes take work, a fifth of a second late at most).
     */
    private volatile QueueRead queueRead = new QueueRead(Long.MIN_VALUE, Map.of());

    private record QueueRead(long atNanos, Map<SessionId, SessionStatus.Queued> waiting) {}

    /** The place last announced of each session left waiting, so a client hears it once and again when it changes. */
    private final Map<SessionId, SessionStatus.Queued> announcedWaiting = new ConcurrentHashMap<>();
    /** The services of the runners made here: their turns' subagents run on these runners ({@link ChildTurns}). */
    private final TurnServices runnerServices;

    /** Makes a session's runner with the services its turns use. */
    @FunctionalInterface
    public interface Factory {
        public SessionRunner make(SessionId id, TurnServices services);
    }

    public Runners(TurnServices services, Factory factory, SessionLeases leases) {
        this.services = services;
        this.factory = factory;
        this.leases = leases;
        this.runnerServices = services.runningChildrenOn(this);
    }

    /** The session's runner, created on first use. */
    public SessionRunner of(SessionId id) {
        return runners.computeIfAbsent(id, sid -> factory.make(sid, runnerServices));
    }

    /**
     * Runs a subagent's turn as its session's occupation, on a platform thread of its own that the caller (the parent's
     * tool call) waits for: the child reads its model's stream there, for the reason a prompt's turn does (decision
     * 439: a socket read on a virtual thread starts the JDK's pollers, which a one-shot run's exit waits 300 ms for).
     */
    @Override
    public Optional<Turn.Ending> run(SessionId child, ChildTurn turn) {
        var task = new SessionTask.ChildTurn((_, token) -> {
            try {
                return turn.run(services, token);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        return PlatformThread.call("lathe-turn-" + child.value(), () -> of(child).run(task));
    }

    @Override public boolean running(SessionId id) { return isRunning(id); }

    /** This node holds the session's lease now: its waiting prompts run. */
    @Override
    public void take(SessionId id) {
        announcedWaiting.remove(id);
        queueChanged();
        // a prompt another node stored joins the history the running turn holds (one stored here is in it already)
        if (isRunning(id)) services.journal().joinStoredPrompts(id);
        of(id).wake();
    }

    @Override
    public void leftWaiting(Map<SessionId, SessionStatus.Queued> now) {
        announcedWaiting.keySet().retainAll(now.keySet());
        now.forEach((id, place) -> {
            if (place.equals(announcedWaiting.put(id, place))) return;
            services.journal().announceWaiting(id, place);
        });
    }

    @Override public int runningCount() { return running().size(); }

    public boolean isRunning(SessionId id) {
        SessionRunner r = runners.get(id);
        return r != null && r.isRunning();
    }

    public boolean anyRunning() {
        return runners.values().stream().anyMatch(SessionRunner::isRunning);
    }

    @Override
    public void stopped(java.util.Set<SessionId> sessions) {
        sessions.forEach(services.journal()::stoppedElsewhere);
        // what else a take-over of a dead node's sessions repairs: the team messages it sent and did not deliver
        services.teams().deliverUndelivered();
    }

    /**
     * {@code waiting} while a permission ask or question blocks it, {@code retry} while it waits to retry, else busy or
     * idle; on a team server, a session that runs on another node has the status that node gave it, and one whose prompt
     * waits for a node reads queued (with its place), and one whose lease another node holds reads busy.
     */
    public SessionStatus status(SessionId id) {
        if (!isRunning(id)) {
            SessionStatus elsewhere = services.journal().elsewhere(id);
            if (!(elsewhere instanceof SessionStatus.Idle)) return elsewhere;
            SessionStatus.Queued queued = waiting().get(id);
            if (queued != null) return queued;
            return leases.busyElsewhere(id) ? SessionStatus.BUSY : elsewhere;
        }
        if (services.broker().waitingIn(id) || services.questions().waitingIn(id) || services.budgets().waitsOnAsk(id)) return SessionStatus.WAITING;
        return services.journal().lastStatus(id).filter(SessionStatus.Retry.class::isInstance).orElse(SessionStatus.BUSY);
    }

    private Map<SessionId, SessionStatus.Queued> waiting() {
        QueueRead last = queueRead;
        long now = System.nanoTime();
        if (last.atNanos() != Long.MIN_VALUE && now - last.atNanos() < QUEUE_READ_FOR.toNanos()) return last.waiting();
        Map<SessionId, SessionStatus.Queued> read = leases.waiting();
        queueRead = new QueueRead(now, read);
        return read;
    }

    private static final Duration QUEUE_READ_FOR = Duration.ofMillis(200);

    /** This node queued or took work: the next status reads the queue again. */
    public void queueChanged() {
        queueRead = new QueueRead(Long.MIN_VALUE, Map.of());
    }

    /** Sessions running a turn now. */
    @Override
    public java.util.List<SessionId> running() {
        return runners.entrySet().stream().filter(e -> e.getValue().isRunning()).map(Map.Entry::getKey).toList();
    }

    /** Every session that is not idle, with its status: this node's, and on a team server the other nodes'. */
    public Map<SessionId, SessionStatus> active() {
        Map<SessionId, SessionStatus> out = new java.util.TreeMap<>();
        services.journal().elsewhere().forEach((id, status) -> {
            if (!isRunning(id)) out.put(id, status);
        });
        waiting().forEach((id, place) -> {
            if (!isRunning(id)) out.putIfAbsent(id, place);
        });
        for (SessionId id : runners.keySet()) {
            if (!isRunning(id)) continue;
            SessionStatus status = status(id);
            if (!(status instanceof SessionStatus.Idle)) out.put(id, status);
        }
        return new LinkedHashMap<>(out);
    }

    @Override
    public void abort(SessionId id) {
        SessionRunner r = runners.get(id);
        if (r != null) r.abort();
    }

    /**
     * Stops a session for good before it is deleted: nothing new starts in it, what runs is aborted and waited for at
     * most {@code within}. False when it did not stop in time; the session is then usable again as before.
     */
    public boolean retire(SessionId id, Duration within) {
        SessionRunner r = of(id);
        r.close();
        r.abort();
        if (r.awaitStopped(within)) return true;
        r.reopen();
        return false;
    }

    /**
     * The server is stopping: nothing new starts in any session, what runs is aborted and waited for at most
     * {@code within} in all, so its last parts are written before the store closes. Prompts queued into an aborted run
     * stay queued (they are answered when a server runs the session again), unlike a user's interrupt.
     */
    public void stopAll(Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        for (SessionRunner r : runners.values()) {
            r.close();
            r.abort();
        }
        for (SessionRunner r : runners.values()) r.awaitStopped(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }

    /**
     * The node drains (DESIGN §34): no new turn or task starts in a session it has run, while what runs goes on (a turn
     * ends after its current prompt; prompts queued behind it wait for another node).
     */
    public void drain() {
        runners.values().forEach(SessionRunner::close);
    }

    /** Waits until no session runs anything here, at most {@code within} in all; true when none does. */
    public boolean awaitNoneRunning(Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        for (SessionRunner r : runners.values()) {
            if (!r.awaitStopped(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) return false;
        }
        return !anyRunning();
    }

    /**
     * Aborts what runs in every session, as a user's stop would (the answer keeps what it wrote, the running call is
     * ended); on a closed runner the prompts queued behind the turn are not marked not run: they wait for another node.
     */
    public void abortAll() {
        runners.values().forEach(SessionRunner::abort);
    }

    @Override
    public boolean promptWaits(SessionId id) {
        return of(id).promptWaits();
    }

    /** Undoes {@link #retire} of a session that is not deleted after all. */
    public void reopen(SessionId id) {
        Optional.ofNullable(runners.get(id)).ifPresent(SessionRunner::reopen);
    }

    /** Drops the runner of a deleted session. */
    public void forget(SessionId id) {
        runners.remove(id);
    }
}
