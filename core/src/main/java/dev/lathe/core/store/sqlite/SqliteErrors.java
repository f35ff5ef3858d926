package dev.lathe.core.store.sqlite;

import dev.lathe.core.store.StoreException;
import java.nio.file.Path;
import java.sql.SQLException;

/** SQLite's failures as the port's {@link StoreException}s. */
final class SqliteErrors {
    /** SQLite's primary result codes told apart here (the low byte of an extended code). */
    private static final int SQLITE_IOERR = 10;
    private static final int SQLITE_FULL = 13;

    private SqliteErrors() {}

    /**
     * The exception for {@code cause}, a failure of {@code doing} (e.g. "write failed") on {@code database}: a
     * {@link StoreException.DiskFull} when SQLite said the disk is full or failed to write, else a plain one with
     * SQLite's message.
     */
    static StoreException of(String doing, Path database, Throwable cause) {
        Path folder = database.toAbsolutePath().getParent();
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (!(t instanceof SQLException sql)) continue;
            int primary = sql.getErrorCode() & 0xff;
            if (primary == SQLITE_FULL) {
                return new StoreException.DiskFull("the disk holding " + folder + " is full (" + doing + ": database or disk is full); "
                        + "free some space there and try again: nothing saved before was lost", folder, cause);
            }
            if (primary == SQLITE_IOERR) {
                return new StoreException.DiskFull("cannot write to " + folder + ": the disk is full or failing (" + doing + ": disk I/O error); "
                        + "free some space there (or check the disk) and try again: nothing saved before was lost", folder, cause);
            }
        }
        return new StoreException(doing + ": " + cause.getMessage(), cause);
    }
}
