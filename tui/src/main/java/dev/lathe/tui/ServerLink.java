package dev.lathe.tui;

import dev.lathe.protocol.api.LatheApi;

/**
 * How the terminal UI reaches its server, and reaches one again after losing it: the app knows how (start the
 * daemon again as {@code lathe} does on start, or call the same URL again); the UI only knows when.
 */
@FunctionalInterface
public interface ServerLink {
    /**
     * A client on a server that answers now.
     *
     * @param api   the client; the UI closes it when it replaces it or ends
     * @param label the server's address, for messages
     * @param probe throws when that server does not answer (a cheap request, made every few seconds)
     */
    record Connection(LatheApi api, String label, Runnable probe) {}

    /**
     * Connects again — starting the daemon when none runs, if this link may. Called off the UI thread.
     *
     * @throws RuntimeException when no server can be reached yet (the UI tries again later)
     */
    Connection reconnect();

    /** Connects again, starting the server even when it was stopped on purpose: the user asked for it. */
    default Connection restart() { return reconnect(); }

    /**
     * {@link #reconnect} found the server stopped on purpose ({@code lathe stop}) and did not start it: the UI says so
     * and waits for the user to start it again ({@link #restart}) or leave.
     */
    final class StoppedOnPurpose extends RuntimeException {
        public StoppedOnPurpose(String message) { super(message); }
    }
}
