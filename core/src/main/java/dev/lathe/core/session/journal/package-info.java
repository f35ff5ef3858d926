/**
 * A session's history as it is written: the {@code Journal} persists every change before announcing it and keeps a
 * running session's messages in memory ({@code LiveHistory}, the streaming texts), {@code SessionJournal} binds it
 * to one session; what a step streams goes to {@code StepParts}; what a failed attempt streamed to the
 * {@code RawLog}; what the stored history says of the last requests ({@code StoredHistory}). The bottom of the
 * session's rooms: it names none of them.
 */
package dev.lathe.core.session.journal;
