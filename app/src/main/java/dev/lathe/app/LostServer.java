package dev.lathe.app;

import dev.lathe.client.LatheClientException;
import dev.lathe.client.LocalDaemon;
import dev.lathe.run.console.ServerLost;
import java.net.ConnectException;
import java.net.URI;
import java.util.Optional;

/**
 * What {@code lathe run} says when its server goes away (issue 70): which server, what stopped it if known, that the
 * session is kept (DESIGN §3: it is the server's and outlives the run) and the command that goes on with it. Said
 * instead of the failed call's bare reason ({@code Connection refused}); the run exits 1.
 */
final class LostServer {
    private LostServer() {}

    /** The server went while the run followed its session's turn. */
    static String duringTurn(ServerLost lost, Optional<URI> attach, LocalDaemon daemon) {
        String session = lost.session().value();
        if (attach.isPresent()) {
            return "lathe: the Lathe server at " + attach.get() + " stopped answering during this run's turn (" + lost.getMessage() + "); the session "
                    + session + " is kept there up to its last finished step: continue it with lathe run --attach " + attach.get() + " --session "
                    + session + " MESSAGE once that server runs again";
        }
        // lathe stop marks the stop before its signal: anything else (a kill, a crash, the machine's memory) has its log
        String what = daemon.stoppedOnPurpose() ? "the background server was stopped (lathe stop) during this run's turn"
                : "the background server stopped during this run's turn (" + lost.getMessage() + "; its log: " + daemon.logFile() + ")";
        return "lathe: " + what + "; the session " + session + " is kept up to its last finished step: continue it with lathe run --session " + session
                + " MESSAGE (which starts the server again)";
    }

    /** The server could not be reached before the run's session began. */
    static String beforeSession(LatheClientException e, Optional<URI> attach) {
        Throwable cause = e.getCause();
        String reason = cause == null || cause.getMessage() == null ? e.getMessage() : cause.getMessage();
        // a refused connection sent nothing; a call cut off after it was sent may have made the session
        String sent = cause instanceof ConnectException ? "nothing was sent" : "the run stopped before its session began";
        if (attach.isPresent()) return "lathe: cannot reach the Lathe server at " + attach.get() + " (" + reason + "); " + sent;
        return "lathe: the background server stopped before this run began (" + reason + "); " + sent + ": run the command again to start it anew";
    }
}
