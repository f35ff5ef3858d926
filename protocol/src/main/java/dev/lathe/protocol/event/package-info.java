/**
 * The closed set of events (DESIGN §5): what the SSE stream and {@code lathe run --format json} carry.
 * Imports {@code dev.lathe.protocol} and its {@code session} package only.
 */
package dev.lathe.protocol.event;
