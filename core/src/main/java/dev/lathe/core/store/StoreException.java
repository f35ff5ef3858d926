package dev.lathe.core.store;

import java.nio.file.Path;

/**
 * The storage failed (disk full, corrupt file, locked beyond the busy timeout, the database unreachable). Fails the
 * operation that hit it; the transaction it was part of is rolled back, and what was committed before stays. A write
 * the disk had no room for is a {@link DiskFull}, so that whoever reports it can say so instead of "internal error".
 */
public sealed class StoreException extends RuntimeException permits StoreException.DiskFull, StoreException.Unreachable {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * A write found no room on the disk, or the disk failed under it (for SQLite: {@code SQLITE_FULL} or
     * {@code SQLITE_IOERR}, {@code SqliteErrors}). The message names the folder, so the user knows which disk to free.
     */
    public static final class DiskFull extends StoreException {
        private final Path folder;

        public DiskFull(String message, Path folder, Throwable cause) {
            super(message, cause);
            this.folder = folder;
        }

        /** The folder holding the database: the disk to free space on. */
        public Path folder() { return folder; }
    }

    /**
     * The database server cannot be reached or dropped the connection (a team server's PostgreSQL restarting or away,
     * DESIGN §20): trying again once it is back works. The message names the database, host, port and user.
     */
    public static final class Unreachable extends StoreException {
        public Unreachable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
