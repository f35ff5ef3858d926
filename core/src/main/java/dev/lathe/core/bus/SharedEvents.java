package dev.lathe.core.bus;

import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.EventEnvelope;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The events part of the cluster port ({@code core.cluster.Cluster}): a log every node appends to and reads back in one
 * order, numbered by the log, so that an event's {@code seq} is the same on every node and a client's
 * {@code Last-Event-ID} resumes on any of them. Every {@link EventBus} publishes through one. On a team server (DESIGN
 * §20) it is the nodes' common table ({@code PgEventLog}); in one process it is {@link LocalEvents}, which numbers each
 * event and hands it back at once.
 */
public interface SharedEvents {
    /**
     * Starts handing every node's events, this one's included, to {@code deliver} in the log's order, each once, from
     * the first one appended after now; returns the newest {@code seq} in the log now (0 when empty). Called once.
     */
    long start(Consumer<EventEnvelope> deliver);

    /**
     * Appends an event: it comes back through {@code deliver} once the log holds it. Returns the event as numbered when
     * the log numbers it at once (in one process), else not numbered yet ({@code seq} 0: a team server's log numbers
     * it when its row is committed, and this call does not wait for that).
     */
    EventEnvelope append(Optional<String> directory, Event event);

    /**
     * The events after {@code afterSeq} up to {@code upTo}, oldest first; empty when the log no longer holds all of them
     * (pruned) or there are more than {@code limit}: the client then refetches state.
     */
    Optional<List<EventEnvelope>> between(long afterSeq, long upTo, int limit);

    /** The newest {@code seq} any node has appended so far. */
    long newest();
}
