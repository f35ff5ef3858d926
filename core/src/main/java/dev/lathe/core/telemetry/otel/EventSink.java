package dev.lathe.core.telemetry.otel;

import dev.lathe.protocol.event.Event;

/**
 * Where this node's events go when telemetry is on. An interface with no OpenTelemetry type in it, so that the code
 * holding one ({@code TracedEvents}) loads no OpenTelemetry class until {@link OtelExport#start} runs.
 */
public interface EventSink {
    /** {@code event}, appended at {@code epochNanos}; called on one thread, in the order the events were appended. */
    void accept(long epochNanos, Event event);

    /** A permission decision or answer: {@code decision} as the rules or the answer said it, {@code by} who decided. */
    void decided(String permission, String decision, String by);

    /** Ends what is still open and sends what is buffered, waiting a bounded time for the collector. */
    void close();
}
