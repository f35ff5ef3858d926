package dev.lathe.core.bus;

import dev.lathe.protocol.SessionId;
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
 * Publishes events with a monotonic {@code seq}, through the cluster's events ({@link SharedEvents}, the events part of
 * {@code core.cluster.Cluster}): {@link #publish} appends to them, and the events come back from them in one order and
 * are fanned out here with their {@code seq}. In one process ({@link LocalEvents}) that is at once, numbered from the
 * start-up time in microseconds (so a client resuming with an id from an earlier run gets a {@code resync}); on a team
 * server the nodes' common log numbers them, so a client on one node watches a turn that runs on another and resumes
 * with {@code Last-Event-ID} on any node.
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
    /** How much text ({@link EventWeight}) one subscriber's queue may hold before its backlog becomes a resync. */
    private final long queueWeight;
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    /** The cluster's events: every event goes through them, in one process as on a team server. */
    private final SharedEvents shared;
    private long lastSeq;

    private record Held(EventEnvelope envelope, long weight) {}

    public EventBus(int ringCapacity, int queueCapacity) {
        this(ringCapacity, Long.MAX_VALUE, queueCapacity);
    }

    /**
     * @param ringCapacity how many events a resuming subscriber can be replayed at most
     * @param ringWeight how much text ({@link EventWeight}) those events may hold in all: the oldest go first
     * @param queueCapacity how many events a subscriber's queue holds before its backlog becomes a resync
     * @param queueWeight how much text those events may hold before the same happens
     */
    public EventBus(int ringCapacity, long ringWeight, int queueCapacity, long queueWeight) {
        this(ringCapacity, ringWeight, queueCapacity, queueWeight, new LocalEvents());
    }

    /**
     * @param ringCapacity how many events a resuming subscriber can be replayed at most
     * @param ringWeight how much text ({@link EventWeight}) those events may hold in all: the oldest go first
     * @param queueCapacity how many events a subscriber's queue holds before its backlog becomes a resync
     */
    public EventBus(int ringCapacity, long ringWeight, int queueCapacity) {
        this(ringCapacity, ringWeight, queueCapacity, SUBSCRIBER_WEIGHT, new LocalEvents());
    }

    private EventBus(int ringCapacity, long ringWeight, int queueCapacity, long queueWeight, SharedEvents shared) {
        this.queueWeight = queueWeight;
        this.ringCapacity = ringCapacity;
        this.ringWeight = ringWeight;
        this.queueCapacity = queueCapacity;
        this.ring = new ArrayDeque<>();
        this.shared = shared;
        lock.lock();  // the log's first events wait until the bus knows where it starts
        try {
            this.lastSeq = shared.start(this::fanOut);
        } finally {
            lock.unlock();
        }
    }

    /** A bus over the cluster's events (sized as {@link #standard}). */
    public static EventBus over(SharedEvents log) { return new EventBus(20_000, 4L << 20, 50_000, SUBSCRIBER_WEIGHT, log); }

    /**
     * What one subscriber may have waiting, in characters of text ({@link EventWeight}): as much as the replay ring
     * holds. A subscriber further behind than that could not be replayed what it missed anyway, so a resync serves it
     * as well, and a slow reader of a long answer holds at most this (it held ~190 MB when only the count of 50,000
     * events bounded it, issue 52).
     */
    public static final long SUBSCRIBER_WEIGHT = 4L << 20;

    /**
     * 20,000 events or 4 M characters of their text, whichever is reached first: a minute or more of a busy server's
     * events to replay to a client that reconnects (a client further behind gets a resync and refetches), in ~5 MB.
     * The soak of 2,000 turns filled a 16 M-character ring after ~800 turns and the server's RSS settled ~20 MiB
     * higher for it (decision 117).
     */
    public static EventBus standard() { return over(new LocalEvents()); }

    /**
     * Publishes {@code event}. On a team server the envelope returned is not numbered yet ({@code seq} 0): the log
     * numbers it, and subscribers get it from there.
     */
    public EventEnvelope publish(Optional<String> directory, Event event) {
        return shared.append(directory, event);
    }

    /** An event as the cluster's events numbered it, handed to this bus's subscribers. */
    private void fanOut(EventEnvelope envelope) {
        lock.lock();
        try {
            if (envelope.seq() <= lastSeq) return;  // never twice, whatever the log does
            lastSeq = envelope.seq();
            deliver(envelope);
        } finally {
            lock.unlock();
        }
    }

    /** Keeps {@code envelope} for resuming subscribers and offers it to every subscriber; under {@link #lock}. */
    private void deliver(EventEnvelope envelope) {
        long weight = EventWeight.of(envelope.event());
        ring.addLast(new Held(envelope, weight));
        heldWeight += weight;
        while (ring.size() > ringCapacity || heldWeight > ringWeight && ring.size() > 1) heldWeight -= ring.removeFirst().weight();
        for (Subscriber s : subscribers) {
            if (!s.offer(envelope)) unsubscribe(s);
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
        return subscribe(new Subscriber(filter, listener, queueCapacity, queueWeight, this::unsubscribe, true), afterSeq);
    }

    /**
     * Delivers new events matching {@code filter} to an observer inside the server (plugins, the session MCP servers'
     * cleanup), as {@link #subscribe} does; it is not a client, so {@link #reaches} does not count it. Every observer
     * inside the server subscribes here: one through {@link #subscribe} would make every editor request look deliverable.
     */
    public AutoCloseable watch(EventFilter filter, EventListener listener) {
        return subscribe(new Subscriber(filter, listener, queueCapacity, queueWeight, this::unsubscribe, false), 0);
    }

    private AutoCloseable subscribe(Subscriber subscriber, long afterSeq) {
        lock.lock();
        try {
            if (afterSeq > 0) resume(subscriber, afterSeq);
            if (subscriber.isOpen()) subscribers.add(subscriber);
        } finally {
            lock.unlock();
        }
        subscriber.start();
        return subscriber::close;
    }

    /**
     * A subscriber resuming after {@code afterSeq}: from the ring, else from the log; a seq this node has not delivered
     * yet but the log holds (the client saw it on a node that is ahead) is skipped when it comes. Only a seq the log never
     * held (an earlier run's, seen after the clock went back: seqs start at the start-up time in one process), or events
     * it no longer holds, mean a resync: the client refetches state up to here, and nothing older follows (replaying
     * the part of the gap the ring still holds would hand it events its fresh state already contains). Under
     * {@link #lock}, so nothing is delivered meanwhile.
     */
    private void resume(Subscriber subscriber, long afterSeq) {
        if (afterSeq >= lastSeq) {
            if (afterSeq == lastSeq || afterSeq <= shared.newest()) {
                subscriber.skipThrough(afterSeq);
                return;
            }
            subscriber.offer(new EventEnvelope(lastSeq, System.currentTimeMillis(), Optional.empty(), new Event.Resync()));
            return;
        }
        if (!ring.isEmpty() && afterSeq >= ring.peekFirst().envelope().seq() - 1) {
            for (Held h : ring) {
                if (h.envelope().seq() > afterSeq && !subscriber.offer(h.envelope())) return;
            }
            return;
        }
        var missed = shared.between(afterSeq, lastSeq, ringCapacity);
        if (missed.isEmpty()) {
            subscriber.offer(new EventEnvelope(lastSeq, System.currentTimeMillis(), Optional.empty(), new Event.Resync()));
            return;
        }
        for (EventEnvelope e : missed.get()) {
            if (!subscriber.offer(e)) return;
        }
    }

    private void unsubscribe(Subscriber s) {
        if (!subscribers.remove(s) || !s.client() || clientLeft.isEmpty()) return;
        // one run at a time, and one more after the last leave: a client that opens and closes streams in a loop
        // starts no thread per close (each run judges every waiting ask again, whoever left)
        if (leaving.compareAndSet(false, true)) {
            Thread.ofVirtual().name("lathe-client-left").start(() -> {
                leaving.set(false);
                clientLeft.forEach(Runnable::run);
            });
        }
    }

    /** What runs, on a virtual thread, after a client's subscription ends ({@link #onClientLeft}). */
    private final List<Runnable> clientLeft = new CopyOnWriteArrayList<>();
    /** Whether a run of {@link #clientLeft} is started and has not begun yet. */
    private final java.util.concurrent.atomic.AtomicBoolean leaving = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * Runs {@code then} each time a client's event stream ends (closed, or dropped for falling behind), off the thread
     * that ended it: whoever could answer an ask may be gone, so each waiting ask is judged again (DESIGN §26).
     */
    public void onClientLeft(Runnable then) { clientLeft.add(then); }

    public int subscriberCount() { return subscribers.size(); }

    /**
     * The most text ({@link EventWeight}) any one subscriber has waiting now: at most {@link #SUBSCRIBER_WEIGHT} (plus
     * one event heavier than that), however slow its reader.
     */
    public long heaviestBacklog() {
        long most = 0;
        for (Subscriber s : subscribers) most = Math.max(most, s.queuedWeight());
        return most;
    }

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

    /**
     * Whether a client follows {@code session}, of the folder {@code directory}, now ({@link Subscriber#follows}): the
     * user watches it ({@code notify.when}).
     */
    public boolean followed(SessionId session, Optional<String> directory) {
        for (Subscriber s : subscribers) if (s.client() && s.follows(session, directory)) return true;
        return false;
    }
}
