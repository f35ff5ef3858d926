package dev.lathe.run.console;

/** Exit codes of {@code lathe run} (DESIGN §3), which the console clients return and the command line shares. */
public final class ExitCode {
    public static final int FINISHED = 0;
    public static final int MODEL_ERROR = 1;
    public static final int USAGE = 2;
    public static final int PERMISSION_REJECTED = 3;
    /** A spend limit ({@code limits}) was reached: the run stops there rather than raise it (decision 119). */
    public static final int LIMIT_REACHED = 4;
    /** Ctrl-C: the turn was aborted (or there was none yet); 128 + SIGINT, as shells report a process Ctrl-C ended. */
    public static final int INTERRUPTED = 130;

    private ExitCode() {}
}
