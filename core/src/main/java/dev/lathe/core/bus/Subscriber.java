package dev.lathe.core.bus;

import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.EventFilter;
import dev.lathe.protocol.api.EventListener;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.EventEnvelope;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * One subscription: a queue drained by its own virtual thread, bounded by a count of events and by their weight
 * ({@link EventWeight}, issue 52: a count bounds nothing when each event of a long answer carries kilobytes, and a
 * slow reader held ~190 MB). A subscriber that falls behind either bound loses its backlog, not its subscription: the
 * queue is emptied and a {@code resync} marker takes its place, carrying the {@code seq} of the first event it missed,
 * so the listener refetches state and then goes on with the events after it (what an SSE connection does with the
 * marker is {@code EventStream}'s: it ends the connection, and the client resumes after the marker's {@code seq}).
 */
final class Subscriber {
    private static final System.Logger LOG = System.getLogger(Subscriber.class.getName());

    private final EventFilter filter;
    private final EventListener listener;
    private final int capacity;
    private final long weightCap;
    private final Consumer<Subscriber> onClose;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    /** The events waiting for the listener and their weights; guarded by {@link #lock}. */
    private final ArrayDeque<Held> queue = new ArrayDeque<>();
    private long queuedWeight;
    private long overflows;
    private volatile boolean closed;
    /** A client's subscription, not an observer inside the server. */
    private final boolean client;
    private Thread thread;
    /** Events up to this seq are not delivered: a team server's client already saw them on another node. */
    private long skipThrough;

    private record Held(EventEnvelope envelope, long weight) {}

    /**
     * @param capacity  how many events may wait for the listener
     * @param weightCap how much text ({@link EventWeight}) they may hold in all; one event heavier than that is still
     *                  queued behind a backlog within it, so one big event never turns into a resync
     */
    Subscriber(EventFilter filter, EventListener listener, int capacity, long weightCap, Consumer<Subscriber> onClose, boolean client) {
        this.client = client;
        this.filter = filter;
        this.listener = listener;
        this.capacity = capacity;
        this.weightCap = weightCap;
        this.onClose = onClose;
    }

    /** Returns false when this subscriber is closed and must be removed; a full queue is replaced by a resync. */
    boolean offer(EventEnvelope envelope) {
        if (closed) return false;
        if (envelope.seq() <= skipThrough || !matches(envelope)) return true;
        long weight = EventWeight.of(envelope.event());
        lock.lock();
        try {
            if (!queue.isEmpty() && fellBehind(weight)) {
                // fell behind: its backlog goes, a marker tells it to refetch; it never slows the publisher or anyone else
                queue.clear();
                queuedWeight = 0;
                overflows++;
                envelope = new EventEnvelope(envelope.seq(), envelope.at(), Optional.empty(), new Event.Resync());
                weight = EventWeight.of(envelope.event());
            }
            queue.addLast(new Held(envelope, weight));
            queuedWeight += weight;
            notEmpty.signal();
        } finally {
            lock.unlock();
        }
        return true;
    }

    /**
     * Whether queuing an event of {@code weight} behind what waits would pass a bound; under {@link #lock}. An event
     * heavier than the whole bound (an answer's final text part) is judged by the backlog before it: a reader that keeps
     * up has a few deltas waiting when it comes, and counting it in would tell that reader to resync (a CI failure of
     * {@code SlowReaderTest}). It costs its own size once, however many queues hold it: the envelope is shared.
     */
    private boolean fellBehind(long weight) {
        if (queue.size() >= capacity) return true;
        return weight > weightCap ? queuedWeight > weightCap : queuedWeight + weight > weightCap;
    }

    /** Skips the events up to {@code seq}; before {@link #start}, under the bus's lock. */
    void skipThrough(long seq) { skipThrough = seq; }

    boolean isOpen() { return !closed; }

    boolean client() { return client; }

    /**
     * Whether this subscription follows {@code session} of the folder {@code directory}: one for that session alone (the
     * terminal UI attached to it), or for its whole folder (a {@code lathe run} there, which watches its subagents too,
     * the terminal UI open in it). One for everything (the web UI's inbox and board) follows no session in particular.
     */
    boolean follows(SessionId session, Optional<String> directory) {
        if (closed) return false;
        if (filter.session().isPresent()) return filter.session().get().equals(session);
        return filter.directory().isPresent() && filter.directory().equals(directory);
    }

    /** The weight of the events waiting for the listener now. */
    long queuedWeight() {
        lock.lock();
        try {
            return queuedWeight;
        } finally {
            lock.unlock();
        }
    }

    /** How many times this subscriber fell behind and got a resync instead of its backlog. */
    long overflows() {
        lock.lock();
        try {
            return overflows;
        } finally {
            lock.unlock();
        }
    }

    /** Whether {@link #offer} would queue {@code envelope} for the listener. */
    boolean wouldDeliver(EventEnvelope envelope) { return !closed && matches(envelope); }

    private boolean matches(EventEnvelope envelope) {
        Optional<SessionId> session = Event.sessionOf(envelope.event());
        if (filter.session().isPresent() && session.isPresent() && !filter.session().equals(session)) return false;
        if (filter.directory().isPresent() && envelope.directory().isPresent() && !filter.directory().equals(envelope.directory())) {
            return false;
        }
        return true;
    }

    void start() {
        thread = Thread.ofVirtual().name("lathe-event-subscriber").start(this::drain);
    }

    private void drain() {
        try {
            while (true) {
                EventEnvelope next = take();
                try {
                    listener.on(next);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "event listener failed; dropping subscription", e);
                    close();
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private EventEnvelope take() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (queue.isEmpty()) {
                if (closed) throw new InterruptedException("closed");
                notEmpty.await();
            }
            Held h = queue.removeFirst();
            queuedWeight -= h.weight();
            return h.envelope();
        } finally {
            lock.unlock();
        }
    }

    void close() {
        closed = true;
        onClose.accept(this);
        if (thread != null) thread.interrupt();
    }
}
