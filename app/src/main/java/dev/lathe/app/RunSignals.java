package dev.lathe.app;

import dev.lathe.run.console.ExitCode;

/**
 * What signals mean to {@code lathe run} (DESIGN §3): Ctrl-C (SIGINT) aborts the turn, and a second Ctrl-C leaves at
 * once; a closed terminal (SIGHUP) ends only this client, so a turn in the daemon goes on. The JVM's own SIGHUP
 * handling already does that (it runs shutdown hooks, and the run registers none that abort); SIGINT needs a handler,
 * which only {@code sun.misc.Signal} can install.
 */
final class RunSignals {
    private RunSignals() {}

    /**
     * From now on the first SIGINT runs {@code abortTurn} on a JDK signal thread, which answers whether there was a turn
     * to abort (the run then ends as the turn does); without one, or at a second SIGINT, the process ends at once with
     * {@link ExitCode#INTERRUPTED}.
     */
    static void install(java.util.function.BooleanSupplier abortTurn) {
        var first = new java.util.concurrent.atomic.AtomicBoolean(true);
        CtrlC.onInterrupt(() -> {
            if (first.getAndSet(false) && abortTurn.getAsBoolean()) return;
            TerminalOutput.flush();
            Runtime.getRuntime().halt(ExitCode.INTERRUPTED);
        });
    }
}
