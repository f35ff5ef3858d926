package dev.lathe.core.bus;

import dev.lathe.protocol.api.EventFilter;
import dev.lathe.protocol.api.EventListener;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.EventEnvelope;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Publishes events with a monotonic {@code seq}. Sequence numbers start at the start-up time in microseconds, so they
 * keep growing across server restarts and a client resuming with an id from an earlier run gets a {@code resync}
 * instead of silently missing events.
 *
 * <p>Thread-safe. {@link #publish} never blocks on subscribers.
 */
public final class EventBus {
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<EventEnvelope> ring;
    private final int ringCapacity;
    private final int queueCapacity;
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private final long firstSeq;
    private long lastSeq;

    public EventBus(int ringCapacity, int queueCapacity) {
        this.ringCapacity = ringCapacity;
        this.queueCapacity = queueCapacity;
        this.ring = new ArrayDeque<>(ringCapacity);
        this.firstSeq = System.currentTimeMillis() * 1000;
        this.lastSeq = firstSeq - 1;
    }

    public static EventBus standard() { return new EventBus(20_000, 50_000); }

    public EventEnvelope publish(Optional<String> directory, Event event) {
        lock.lock();
        try {
            var envelope = new EventEnvelope(++lastSeq, System.currentTimeMillis(), directory, event);
            if (ring.size() == ringCapacity) ring.removeFirst();
            ring.addLast(envelope);
            for (Subscriber s : subscribers) {
                if (!s.offer(envelope)) subscribers.remove(s);
            }
            return envelope;
        } finally {
            lock.unlock();
        }
    }

    public long lastSeq() {
        lock.lock();
        try {
            return lastSeq;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Delivers events after {@code afterSeq} (0 or less: only new ones) that match {@code filter}, in order, on a
     * virtual thread of the subscription: each exactly once, none missing. If the ring no longer holds every event
     * after {@code afterSeq}, a {@code resync} event (carrying the latest {@code seq}) comes instead of the replay, and
     * only events after it follow.
     */
    public AutoCloseable subscribe(EventFilter filter, long afterSeq, EventListener listener) {
        return subscribe(new Subscriber(filter, listener, queueCapacity, this::unsubscribe, true), afterSeq);
    }

    /**
     * Delivers new events matching {@code filter} to an observer inside the server (plugins, the session MCP servers'
     * cleanup), as {@link #subscribe} does; it is not a client, so {@link #reaches} does not count it. Every observer
     * inside the server subscribes here: one through {@link #subscribe} would make every editor request look deliverable.
     */
    public AutoCloseable watch(EventFilter filter, EventListener listener) {
        return subscribe(new Subscriber(filter, listener, queueCapacity, this::unsubscribe, false), 0);
    }

    private AutoCloseable subscribe(Subscriber subscriber, long afterSeq) {
        lock.lock();
        try {
            if (afterSeq > 0) {
                long oldest = ring.isEmpty() ? lastSeq + 1 : ring.peekFirst().seq();
                if (afterSeq < oldest - 1 && afterSeq < lastSeq) {
                    // The client refetches state up to here; replaying the part of the gap the ring still holds would
                    // hand it events its fresh state already contains (text deltas twice), so nothing older follows.
                    subscriber.offer(new EventEnvelope(lastSeq, System.currentTimeMillis(), Optional.empty(), new Event.Resync()));
                } else {
                    for (EventEnvelope e : ring) {
                        if (e.seq() > afterSeq && !subscriber.offer(e)) break;  // overflowed: it ends with a resync
                    }
                }
            }
            if (subscriber.isOpen()) subscribers.add(subscriber);
        } finally {
            lock.unlock();
        }
        subscriber.start();
        return subscriber::close;
    }

    private void unsubscribe(Subscriber s) { subscribers.remove(s); }

    public int subscriberCount() { return subscribers.size(); }

    /**
     * Whether a client's open subscription ({@link #subscribe}, not {@link #watch}) would be handed {@code event}
     * published for {@code directory} now: a request that needs an answer from a client is only worth publishing when
     * some client can see it.
     */
    public boolean reaches(Optional<String> directory, Event event) {
        var probe = new EventEnvelope(0, 0, directory, event);
        for (Subscriber s : subscribers) if (s.client() && s.wouldDeliver(probe)) return true;
        return false;
    }
}
