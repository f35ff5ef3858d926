package dev.lathe.core.telemetry;

import dev.lathe.core.bus.SharedEvents;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.EventEnvelope;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The cluster's events with this node's own appends counted into {@link NodeMetrics}, as {@link TracedEvents} hands
 * them to telemetry: events other nodes append reach this node through {@link #start}'s feed and are not counted, so
 * each node's {@code /metrics} counts the turns it ran.
 */
public final class MeteredEvents implements SharedEvents {
    private final SharedEvents events;
    private final NodeMetrics metrics;

    public MeteredEvents(SharedEvents events, NodeMetrics metrics) {
        this.events = events;
        this.metrics = metrics;
    }

    @Override public long start(Consumer<EventEnvelope> deliver) { return events.start(deliver); }

    @Override
    public EventEnvelope append(Optional<String> directory, Event event) {
        EventEnvelope appended = events.append(directory, event);
        if (!(event instanceof Event.PartDelta)) metrics.record(System.nanoTime(), event);
        return appended;
    }

    @Override public Optional<List<EventEnvelope>> between(long afterSeq, long upTo, int limit) { return events.between(afterSeq, upTo, limit); }

    @Override public long newest() { return events.newest(); }
}
