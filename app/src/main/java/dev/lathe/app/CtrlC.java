package dev.lathe.app;

import sun.misc.Signal;

/**
 * Ctrl-C (SIGINT) as an event instead of the end of the process, for the console client. Uses {@code sun.misc.Signal}
 * (module {@code jdk.unsupported}), the only JDK way to keep running after SIGINT.
 */
final class CtrlC {
    private CtrlC() {}

    /** From now on SIGINT runs {@code action} (on a JDK signal thread) and no longer ends the process. */
    static void onInterrupt(Runnable action) {
        try {
            Signal.handle(new Signal("INT"), _ -> action.run());
        } catch (IllegalArgumentException e) {
            // the signal is not available here (or ignored by the launcher): Ctrl-C keeps its default meaning
        }
    }
}
