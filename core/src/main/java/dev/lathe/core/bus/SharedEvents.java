package dev.lathe.core.bus;

import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.EventEnvelope;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where the events of a team server's nodes meet (DESIGN §20): a log every node appends to and reads back in one order,
 * numbered by the log, so that an event's {@code seq} is the same on every node and a client's {@code Last-Event-ID}
 * resumes on any of them. The embedded server has none: its {@link EventBus} numbers and fans out in memory.
 */
public interface SharedEvents {
    /**
     * Starts handing every node's events, this one's included, to {@code deliver} in the log's order, each once, from
     * the first one appended after now; returns the newest {@code seq} in the log now (0 when empty). Called once.
     */
    long start(Consumer<EventEnvelope> deliver);

    /** Appends an event without waiting for it: it comes back through {@code deliver} once the log holds it. */
    void append(Optional<String> directory, Event event);

    /**
     * The events after {@code afterSeq} up to {@code upTo}, oldest first; empty when the log no longer holds all of them
     * (pruned) or there are more than {@code limit}: the client then refetches state.
     */
    Optional<List<EventEnvelope>> between(long afterSeq, long upTo, int limit);

    /** The newest {@code seq} any node has appended so far. */
    long newest();
}
