package dev.lathe.protocol.event;

import java.util.Optional;

/**
 * An event as published: {@code seq} is server-wide and monotonic (the SSE {@code id:}), {@code at} epoch
 * millis, {@code directory} the project folder it belongs to (empty for server-wide events).
 */
public record EventEnvelope(long seq, long at, Optional<String> directory, Event event) {}
