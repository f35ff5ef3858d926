package dev.lathe.core.bus;

import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.EventEnvelope;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The events of one process (the single-process cluster's events part, {@code core.cluster.LocalCluster}): numbered
 * here and handed to the bus at once, in the order numbered. Numbers start at the start-up time in microseconds, so
 * they keep growing across restarts and a client resuming with an id from an earlier run gets a {@code resync} instead
 * of silently missing events. Nothing is kept here: the bus's ring holds what a resuming client can be replayed, and
 * what it no longer holds is not held anywhere ({@link #between} is always empty, so the client refetches).
 */
public final class LocalEvents implements SharedEvents {
    /** Numbering and delivery in one step, so the bus receives the events in their order. */
    private final ReentrantLock lock = new ReentrantLock();
    /** Read without the lock: the bus asks while it holds its own lock, which a delivery takes after this one. */
    private volatile long newest;
    private Consumer<EventEnvelope> deliver;

    @Override
    public long start(Consumer<EventEnvelope> deliver) {
        lock.lock();
        try {
            if (this.deliver != null) throw new IllegalStateException("the events of one process feed one bus");
            this.deliver = deliver;
            newest = System.currentTimeMillis() * 1000 - 1;
            return newest;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public EventEnvelope append(Optional<String> directory, Event event) {
        lock.lock();
        try {
            var envelope = new EventEnvelope(newest + 1, System.currentTimeMillis(), directory, event);
            newest = envelope.seq();
            deliver.accept(envelope);
            return envelope;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<List<EventEnvelope>> between(long afterSeq, long upTo, int limit) { return Optional.empty(); }

    @Override
    public long newest() { return newest; }
}
