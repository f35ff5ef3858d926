package dev.lathe.core.snapshot;

/** Git failed or is missing; callers turn snapshots off rather than fail a turn. */
public final class SnapshotException extends RuntimeException {
    public SnapshotException(String message) {
        super(message);
    }
}
