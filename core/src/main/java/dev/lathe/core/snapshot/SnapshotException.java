package dev.lathe.core.snapshot;

/** Git failed or is missing; callers turn snapshots off (missing) or skip one snapshot (failed) rather than fail a turn. */
public final class SnapshotException extends RuntimeException {
    private final boolean gitMissing;

    public SnapshotException(String message) {
        this(message, false);
    }

    public SnapshotException(String message, boolean gitMissing) {
        super(message);
        this.gitMissing = gitMissing;
    }

    /** Git could not be started at all: no snapshot will ever work in this process. */
    public boolean gitMissing() {
        return gitMissing;
    }
}
