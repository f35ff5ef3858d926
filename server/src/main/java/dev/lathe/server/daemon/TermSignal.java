package dev.lathe.server.daemon;

import sun.misc.Signal;

/**
 * {@code SIGTERM} as a request to drain instead of the end of the process, for a team node (DESIGN §34): Kubernetes
 * and systemd stop a process with it, and a node that exited at once would cut its running turns. Uses
 * {@code sun.misc.Signal} (module {@code jdk.unsupported}), the only JDK way to keep running after a signal; the JVM's
 * shutdown hooks then run only when the process exits on its own (or on SIGINT, SIGHUP).
 */
public final class TermSignal {
    private TermSignal() {}

    /** From now on SIGTERM runs {@code action} (on a JDK signal thread), each time it comes, and no longer ends the process. */
    public static void onTerminate(Runnable action) {
        try {
            Signal.handle(new Signal("TERM"), _ -> action.run());
        } catch (IllegalArgumentException e) {
            // the signal cannot be handled here (the launcher ignores it): SIGTERM keeps its default meaning
        }
    }
}
