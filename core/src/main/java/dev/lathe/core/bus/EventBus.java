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
    /** The newest events, for subscribers resuming after a seq: at most {@link #ringCapacity} and {@link #ringWeight}. */
    private final ArrayDeque<Held> ring;
    private final int ringCapacity;
    private final long ringWeight;
    /** The sum of the ring's {@link EventWeight}s. */
    private long heldWeight;
    private final int queueCapacity;
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private final long firstSeq;
    private long lastSeq;

    private record Held(EventEnvelope envelope, long weight) {}

    public EventBus(int ringCapacity, int queueCapacity) {
        this(ringCapacity, Long.MAX_VALUE, queueCapacity);
    }

    /**
     * @param ringCapacity how many events a resuming subscriber can be replayed at most
     * @param ringWeight how much text ({@link EventWeight}) those events may hold in all: the oldest go first
     * @param queueCapacity how many events a subscriber's queue holds before it is dropped
     */
    public EventBus(int ringCapacity, long ringWeight, int queueCapacity) {
        this.ringCapacity = ringCapacity;
        this.ringWeight = ringWeight;
        this.queueCapacity = queueCapacity;
        this.ring = new ArrayDeque<>();
        this.firstSeq = System.currentTimeMillis() * 1000;
        this.lastSeq = firstSeq - 1;
    }

    /**
     * 20,000 events or 4 M characters of their text, whichever is reached first: a minute or more of a busy server's
     * events to replay to a client that reconnects (a client further behind gets a resync and refetches), in ~5 MB.
     * The soak of 2,000 turns filled a 16 M-character ring after ~800 turns and the server's RSS settled ~20 MiB
     * higher for it (decision 117).
     */
    public static EventBus standard() { return new EventBus(20_000, 4L << 20, 50_000); }

    public EventEnvelope publish(Optional<String> directory, Event event) {
        lock.lock();
        try {
            var envelope = new EventEnvelope(++lastSeq, System.currentTimeMillis(), directory, event);
            long weight = EventWeight.of(event);
            ring.addLast(new Held(envelope, weight));
            heldWeight += weight;
            while (ring.size() > ringCapacity || heldWeight > ringWeight && ring.size() > 1) heldWeight -= ring.removeFirst().weight();
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
     * only events after it follow. So does an {@code afterSeq} past the latest {@code seq} (an earlier run's, when the
     * clock went back between the runs).
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
                long oldest = ring.isEmpty() ? lastSeq + 1 : ring.peekFirst().envelope().seq();
                // a seq this bus never reached: an earlier run's, seen after the clock went back (seqs start at the
                // start-up time). The client missed what happened meanwhile, so it refetches too
                if (afterSeq < oldest - 1 && afterSeq < lastSeq || afterSeq > lastSeq) {
                    // The client refetches state up to here; replaying the part of the gap the ring still holds would
                    // hand it events its fresh state already contains (text deltas twice), so nothing older follows.
                    subscriber.offer(new EventEnvelope(lastSeq, System.currentTimeMillis(), Optional.empty(), new Event.Resync()));
                } else {
                    for (Held h : ring) {
                        if (h.envelope().seq() > afterSeq && !subscriber.offer(h.envelope())) break;  // overflowed: it ends with a resync
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
