package dev.lathe.app;

/** Exit codes of {@code lathe run} (DESIGN §3). */
final class ExitCode {
    static final int FINISHED = 0;
    static final int MODEL_ERROR = 1;
    static final int USAGE = 2;
    static final int PERMISSION_REJECTED = 3;

    private ExitCode() {}
}
