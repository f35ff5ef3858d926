package dev.lathe.core.store;

/** The database failed (disk full, corrupt file, locked beyond the busy timeout). Fails the operation that hit it. */
public final class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
