package dev.lathe.app;

import dev.lathe.client.LocalDaemon;
import dev.lathe.run.console.ExitCode;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code lathe stop}: stop the daemon (SIGTERM, then SIGKILL after 15 s); a note and exit 0 when none runs. */
@Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop the background server (running turns end as interrupted).")
final class StopCommand implements Callable<Integer> {
    static final Duration TIMEOUT = Duration.ofSeconds(15);

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        LocalDaemon.Stopped stopped = Backends.daemon().stop(TIMEOUT);
        err.println(switch (stopped.outcome()) {
            case NOT_RUNNING -> "lathe: no server is running";
            case STALE_REMOVED -> "lathe: no server is running (removed a stale server.json naming pid " + stopped.pid() + ")";
            // an open terminal UI does not start it again behind the user's back: it waits for Enter (decision 252)
            case STOPPED -> "lathe: stopped the server (pid " + stopped.pid() + "); an open terminal UI starts it again when you press Enter in it";
            case KILLED -> "lathe: the server (pid " + stopped.pid() + ") did not stop within " + TIMEOUT.toSeconds() + " s and was killed";
        });
        err.flush();
        return ExitCode.FINISHED;
    }
}
