package dev.lathe.protocol.api;

import dev.lathe.protocol.event.EventEnvelope;

/**
 * Receives events of a subscription in {@code seq} order, on one thread per subscription. Must return quickly;
 * a listener that blocks only delays its own subscription.
 */
@FunctionalInterface
public interface EventListener {
    void on(EventEnvelope event);
}
