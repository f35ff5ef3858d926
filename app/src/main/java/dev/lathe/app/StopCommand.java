package dev.lathe.app;

import dev.lathe.client.HttpLatheClient;
import dev.lathe.client.LocalDaemon;
import dev.lathe.client.ServerEndpoint;
import dev.lathe.protocol.api.SessionSummary;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.run.console.ExitCode;
import dev.lathe.term.VisibleControls;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code lathe stop}: stop the daemon (SIGTERM, then SIGKILL after 15 s); a note and exit 0 when none runs. It says
 * what it stopped, which sessions were working and so were interrupted (asked of the server just before), and how
 * to go on: the next client starts the server again, and an interrupted session is continued by a new prompt.
 */
@Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop the background server (running turns end as interrupted).")
final class StopCommand implements Callable<Integer> {
    static final Duration TIMEOUT = Duration.ofSeconds(15);
    /** The interrupted sessions named one a line, at most this many (the count says the rest). */
    static final int NAMED = 5;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        LocalDaemon daemon = Backends.daemon();
        List<SessionSummary> working = daemon.find().map(StopCommand::working).orElse(List.of());
        LocalDaemon.Stopped stopped = daemon.stop(TIMEOUT);
        switch (stopped.outcome()) {
            case NOT_RUNNING -> err.println("lathe: no background server is running: nothing to stop");
            case STALE_REMOVED -> err.println("lathe: no background server is running: nothing to stop (removed a stale server.json naming pid "
                    + stopped.pid() + ")");
            case STOPPED, KILLED -> {
                err.println(stopped.outcome() == LocalDaemon.StopOutcome.STOPPED ? "lathe: stopped the background server (pid " + stopped.pid() + ")"
                        : "lathe: the background server (pid " + stopped.pid() + ") did not stop within " + TIMEOUT.toSeconds() + " s and was killed");
                interrupted(err, working);
                // an open terminal UI does not start it again behind the user's back: it waits for Enter (decision 252)
                err.println("lathe: the next lathe, lathe run or lathe web starts it again; an open terminal UI does when you press Enter in it");
            }
        }
        err.flush();
        return ExitCode.FINISHED;
    }

    /** The sessions the stop interrupts, named so the user can find each again. */
    private static void interrupted(PrintWriter err, List<SessionSummary> working) {
        if (working.isEmpty()) {
            err.println("lathe: no session was working");
            return;
        }
        int n = working.size();
        err.println("lathe: " + n + (n == 1 ? " working session was" : " working sessions were") + " interrupted (continue one with lathe run --session ID"
                + " MESSAGE, or open it in lathe; prompts queued in it run when the server starts again):");
        for (SessionSummary s : working.subList(0, Math.min(n, NAMED))) {
            err.println("  " + s.session().id().value() + "  " + VisibleControls.line(s.session().title()) + "  (" + VisibleControls.line(s.session().directory()) + ")");
        }
        if (n > NAMED) err.println("  and " + (n - NAMED) + " more (lathe sessions lists them)");
    }

    /** The sessions of the running server that are not idle now; none when it does not answer (it is stopped anyway). */
    private static List<SessionSummary> working(ServerEndpoint server) {
        try (var api = HttpLatheClient.connect(server, Optional.empty())) {
            return api.board().stream().filter(s -> !(s.status() instanceof SessionStatus.Idle)).toList();
        } catch (RuntimeException e) {
            return List.of();
        }
    }
}
