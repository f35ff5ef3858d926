package dev.lathe.core.session.background;

import dev.lathe.llm.Cancellation;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.BackgroundTask;
import dev.lathe.protocol.api.ChildSession;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.SessionStatus;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The background subagents this node started ({@code task} with {@code background: true}, DESIGN §18 "Background
 * subagents"), by child session: which parent started each, and whether it runs or how it ended. In memory: a child's
 * session and its result message are in the store, and a daemon restart reports the children it interrupted to their
 * parents from there ({@link BackgroundResults#reportInterrupted}).
 */
public final class BackgroundTasks {
    /** What {@link #listed} says of a running child that waits for an answer (an ask, a question, a spend limit). */
    public static final String WAITING = "waiting";

    /** How a background task stands; {@link #word} is what the tools, the routes and the result message say. */
    public enum Status {
        RUNNING, COMPLETED, FAILED, CANCELLED;

        public String word() { return name().toLowerCase(java.util.Locale.ROOT); }
    }

    /** One task: its child session, the parent that started it, and its state. */
    public record Entry(SessionId child, SessionId parent, String agent, String description, long startedAt, Status status, Optional<Long> endedAt) {
        public BackgroundTask info() { return new BackgroundTask(status.word(), agent, description, startedAt, endedAt); }

        public Entry ended(Status how, long at) { return new Entry(child, parent, agent, description, startedAt, how, Optional.of(at)); }
    }

    private final Map<SessionId, Entry> byChild = new ConcurrentHashMap<>();
    /** What stops each running task ({@code task_cancel}); its child's turn is cancelled with it. */
    private final Map<SessionId, Cancellation> stops = new ConcurrentHashMap<>();

    /** Places taken by tasks being started (their child session being made), by parent. */
    private final Map<SessionId, Integer> starting = new java.util.HashMap<>();

    /**
     * Takes a place for a new task of {@code parent} unless it already runs (or starts) {@code max} background tasks;
     * false then. One check at a time, so two calls of one step cannot both take the last place; the place is
     * {@link #admit}ted or {@link #release}d.
     */
    public synchronized boolean reserve(SessionId parent, int max) {
        long running = byChild.values().stream().filter(e -> e.parent().equals(parent) && e.status() == Status.RUNNING).count();
        if (running + starting.getOrDefault(parent, 0) >= max) return false;
        starting.merge(parent, 1, Integer::sum);
        return true;
    }

    /** Gives back a place {@link #reserve} took for a task that did not start. */
    public synchronized void release(SessionId parent) {
        starting.computeIfPresent(parent, (_, n) -> n <= 1 ? null : n - 1);
    }

    /** Records {@code entry} as running in the place {@link #reserve} took for it; {@code stop} cancels it. */
    public synchronized void admit(Entry entry, Cancellation stop) {
        release(entry.parent());
        byChild.put(entry.child(), entry);
        stops.put(entry.child(), stop);
    }

    /** Marks the task of {@code child} ended {@code how}; the entry as it is now. */
    public Optional<Entry> ended(SessionId child, Status how) {
        stops.remove(child);
        return Optional.ofNullable(byChild.computeIfPresent(child, (_, e) -> e.status() == Status.RUNNING ? e.ended(how, System.currentTimeMillis()) : e));
    }

    /** Cancels the running task of {@code child} (nothing when it ended); it ends as cancelled once its turn stopped. */
    public void cancel(SessionId child) {
        Optional.ofNullable(stops.get(child)).ifPresent(Cancellation::cancel);
    }

    public Optional<Entry> find(SessionId child) { return Optional.ofNullable(byChild.get(child)); }

    /** The tasks {@code parent} started, oldest first. */
    public List<Entry> of(SessionId parent) {
        return byChild.values().stream().filter(e -> e.parent().equals(parent)).sorted(Comparator.comparingLong(Entry::startedAt)).toList();
    }

    /** Every session's running tasks, oldest first. */
    public List<Entry> running() {
        return byChild.values().stream().filter(e -> e.status() == Status.RUNNING).sorted(Comparator.comparingLong(Entry::startedAt)).toList();
    }

    /**
     * {@code child} as the children route lists it: a background task's status, else {@code running} while its session
     * is not idle ({@code now}) and {@code idle} after.
     */
    public ChildSession listed(Session child, SessionStatus now) {
        Optional<Entry> task = find(child.id());
        // a running task that waits for an answer says so, as the session's own status does (lathe sessions: waiting)
        String running = now instanceof SessionStatus.Waiting ? WAITING : Status.RUNNING.word();
        String status = task.map(e -> e.status() == Status.RUNNING ? running : e.status().word()).orElse(now instanceof SessionStatus.Idle ? "idle" : running);
        return new ChildSession(child, status, task.map(Entry::info));
    }

    /** A deleted session's tasks are forgotten. */
    void forget(SessionId session) {
        byChild.values().removeIf(e -> e.child().equals(session) || e.parent().equals(session));
        stops.keySet().retainAll(byChild.keySet());
    }
}
