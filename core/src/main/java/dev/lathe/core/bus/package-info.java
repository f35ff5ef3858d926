/**
 * The event bus (DESIGN §5): a server-wide monotonic sequence, a bounded replay ring for reconnecting clients, and
 * subscribers with bounded queues that are dropped, never waited for, when they fall behind. Imports protocol only.
 */
package dev.lathe.core.bus;
