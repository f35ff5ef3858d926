package dev.lathe.run.console;

import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.LatheException;
import java.io.IOException;

/**
 * The server a run talks to stopped answering once the run's session existed: stopped ({@code lathe stop}), killed, or
 * gone with its machine. The session is the server's and kept (DESIGN §3), so the command line says so and how to go
 * on, instead of the bare reason of the call that failed.
 */
public final class ServerLost extends RuntimeException {
    private final transient SessionId session;

    ServerLost(SessionId session, Throwable cause) {
        super(reason(cause), cause);
        this.session = session;
    }

    /** The session the run was following when its server went. */
    public SessionId session() { return session; }

    /**
     * Whether {@code e} is the exchange with the server breaking (a refused connection, a reset, a stream cut off), as
     * opposed to an answer of the server: a cause of {@code e} is an I/O failure, and the server did not answer.
     */
    static boolean is(Throwable e) {
        if (e instanceof LatheException) return false;
        for (Throwable t = e; t != null; t = t.getCause()) if (t instanceof IOException) return true;
        return false;
    }

    /** The I/O failure's own words, e.g. {@code Connection refused}. */
    static String reason(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException io) return io.getMessage() == null || io.getMessage().isBlank() ? io.getClass().getSimpleName() : io.getMessage();
        }
        return String.valueOf(e.getMessage());
    }
}
