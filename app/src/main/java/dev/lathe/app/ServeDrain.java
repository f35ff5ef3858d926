package dev.lathe.app;

import dev.lathe.client.HttpLatheClient;
import dev.lathe.client.ServerEndpoint;
import dev.lathe.protocol.api.DrainStarted;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.run.console.ExitCode;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code lathe serve --drain} (DESIGN §34): drains the team node that runs from this user's folders (its
 * {@code server.json}: address, admin token, pid) as {@code POST /admin/drain} would, then waits for its process to
 * exit, as an operator's script or a systemd {@code ExecStop} wants it.
 */
final class ServeDrain {
    /** Beyond the drain itself: the node's own exit (DESIGN §16: a draining node exits within drain + 5 s). */
    static final Duration EXIT_MARGIN = Duration.ofSeconds(10);

    private ServeDrain() {}

    static int run(PrintWriter err) {
        Optional<ServerEndpoint> found = Backends.daemon().find();
        if (found.isEmpty()) {
            err.println("lathe: no server runs from your folders (no live server.json): nothing to drain");
            return ExitCode.USAGE;
        }
        DrainStarted started;
        try (var api = HttpLatheClient.connect(found.get(), Optional.empty())) {
            started = api.drain();
        } catch (LatheException e) {
            err.println("lathe: " + e.getMessage());
            return ExitCode.USAGE;
        }
        err.println("lathe: node " + started.node() + " drains: " + started.running() + " running turn" + (started.running() == 1 ? " has " : "s have ")
                + started.seconds() + " s to end; prompts sent to it go to the other nodes");
        err.flush();
        Optional<ProcessHandle> process = ProcessHandle.of(found.get().pid());
        long deadline = System.nanoTime() + Duration.ofSeconds(started.seconds()).plus(EXIT_MARGIN).toNanos();
        while (process.isPresent() && process.get().isAlive() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return ExitCode.INTERRUPTED;
            }
        }
        if (process.isPresent() && process.get().isAlive()) {
            err.println("lathe: node " + started.node() + " (pid " + found.get().pid() + ") still runs " + (started.seconds() + EXIT_MARGIN.toSeconds())
                    + " s later; its log says why");
            return ExitCode.MODEL_ERROR;
        }
        err.println("lathe: node " + started.node() + " drained and exited");
        return ExitCode.FINISHED;
    }
}
