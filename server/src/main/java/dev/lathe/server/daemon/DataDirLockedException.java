package dev.lathe.server.daemon;

import java.nio.file.Path;
import java.util.OptionalLong;

/** Another server holds the lock on a data folder; the message says which process, when known. */
public final class DataDirLockedException extends RuntimeException {
    private final Path dataDir;
    private final OptionalLong pid;

    DataDirLockedException(Path dataDir, OptionalLong pid) {
        super("another Lathe server is running on this data folder"
                + (pid.isPresent() ? " (pid " + pid.getAsLong() + ")" : "") + ": " + dataDir);
        this.dataDir = dataDir;
        this.pid = pid;
    }

    public Path dataDir() { return dataDir; }

    /** The holder's process id as it wrote it into {@code server.lock}, if readable. */
    public OptionalLong pid() { return pid; }
}
