package dev.lathe.core.store;

import java.nio.file.Path;
import java.sql.SQLException;

/**
 * The database failed (disk full, corrupt file, locked beyond the busy timeout). Fails the operation that hit it; the
 * transaction it was part of is rolled back, and what was committed before stays. A write the disk had no room for is
 * a {@link DiskFull}, so that whoever reports it can say so instead of "internal error".
 */
public sealed class StoreException extends RuntimeException permits StoreException.DiskFull {
    /** SQLite's primary result codes this class tells apart (the low byte of an extended code). */
    private static final int SQLITE_IOERR = 10;
    private static final int SQLITE_FULL = 13;

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * A write found no room on the disk ({@code SQLITE_FULL}: "database or disk is full") or the disk failed under it
     * ({@code SQLITE_IOERR}, which is what a write past the end of a full file system often reports). The message names
     * the folder, so the user knows which disk to free.
     */
    public static final class DiskFull extends StoreException {
        private final Path folder;

        DiskFull(String message, Path folder, Throwable cause) {
            super(message, cause);
            this.folder = folder;
        }

        /** The folder holding the database: the disk to free space on. */
        public Path folder() { return folder; }
    }

    /**
     * The exception for {@code cause}, a failure of {@code doing} (e.g. "write failed") on {@code database}: a
     * {@link DiskFull} when SQLite said the disk is full or failed to write, else a plain one with SQLite's message.
     */
    static StoreException of(String doing, Path database, Throwable cause) {
        Path folder = database.toAbsolutePath().getParent();
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (!(t instanceof SQLException sql)) continue;
            int primary = sql.getErrorCode() & 0xff;
            if (primary == SQLITE_FULL) {
                return new DiskFull("the disk holding " + folder + " is full (" + doing + ": database or disk is full); "
                        + "free some space there and try again: nothing saved before was lost", folder, cause);
            }
            if (primary == SQLITE_IOERR) {
                return new DiskFull("cannot write to " + folder + ": the disk is full or failing (" + doing + ": disk I/O error); "
                        + "free some space there (or check the disk) and try again: nothing saved before was lost", folder, cause);
            }
        }
        return new StoreException(doing + ": " + cause.getMessage(), cause);
    }
}
