package dev.lathe.core.bus;

import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.EventFilter;
import dev.lathe.protocol.api.EventListener;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.EventEnvelope;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

/** One subscription: a bounded queue drained by its own virtual thread. Overflow drops the subscription after a resync. */
final class Subscriber {
    private static final System.Logger LOG = System.getLogger(Subscriber.class.getName());

    private final EventFilter filter;
    private final EventListener listener;
    private final LinkedBlockingQueue<EventEnvelope> queue;
    private final Consumer<Subscriber> onClose;
    private volatile boolean closed;
    /** A client's subscription, not an observer inside the server. */
    private final boolean client;
    private Thread thread;
    /** Events up to this seq are not delivered: a team server's client already saw them on another node. */
    private long skipThrough;

    Subscriber(EventFilter filter, EventListener listener, int capacity, Consumer<Subscriber> onClose, boolean client) {
        this.client = client;
        this.filter = filter;
        this.listener = listener;
        this.queue = new LinkedBlockingQueue<>(capacity);
        this.onClose = onClose;
    }

    /** Returns false when this subscriber is closed or overflowed and must be removed. */
    boolean offer(EventEnvelope envelope) {
        if (closed) return false;
        if (envelope.seq() <= skipThrough || !matches(envelope)) return true;
        if (queue.offer(envelope)) return true;
        // fell behind: tell it to refetch, then stop feeding it so it cannot slow anyone else
        queue.clear();
        queue.offer(new EventEnvelope(envelope.seq(), envelope.at(), Optional.empty(), new Event.Resync()));
        closed = true;
        return false;
    }

    /** Skips the events up to {@code seq}; before {@link #start}, under the bus's lock. */
    void skipThrough(long seq) { skipThrough = seq; }

    boolean isOpen() { return !closed; }

    boolean client() { return client; }

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
            while (!closed || !queue.isEmpty()) {
                EventEnvelope next = queue.take();
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

    void close() {
        closed = true;
        onClose.accept(this);
        if (thread != null) thread.interrupt();
    }
}
