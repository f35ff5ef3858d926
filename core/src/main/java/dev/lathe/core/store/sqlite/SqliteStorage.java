package dev.lathe.core.store.sqlite;

import dev.lathe.core.store.Recovery;
import dev.lathe.core.store.StoreException;
import dev.lathe.core.store.jdbc.JdbcStorage;
import dev.lathe.core.store.jdbc.SqlDialect;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The storage port on one SQLite file (DESIGN §4): every store shares one {@link Db}, so work that spans tables (a
 * crashed answer's usage added to its session, a fork written whole) shares one transaction inside the adapter.
 */
public final class SqliteStorage extends JdbcStorage {
    private final Db db;
    private final Optional<DatabaseLease> lease;
    private final int repaired;

    private SqliteStorage(Db db, Optional<DatabaseLease> lease, int repaired) {
        super(db, SqlDialect.SQLITE);
        this.db = db;
        this.lease = lease;
        this.repaired = repaired;
    }

    /**
     * Takes the {@link DatabaseLease}, then opens {@code file} ({@link Db#open}: created if needed, migrated after a
     * backup copy, a damaged file moved aside); when this process is the only user, first repairs what a crash left open
     * ({@link Recovery}). Closing the storage closes the database, then lets go of the lease.
     *
     * @throws StoreException as {@link DatabaseLease#open}: nothing is left open then
     */
    public static SqliteStorage open(Path file) {
        int[] repaired = {0};
        var opened = DatabaseLease.open(file, db -> repaired[0] = Recovery.repair(JdbcStorage.messageStore(db)));
        return new SqliteStorage(opened.db(), Optional.of(opened.lease()), repaired[0]);
    }

    /**
     * The stores over a database already open, without a lease: for a tool or test that opened it with {@link Db#open}
     * itself. Closing the storage closes {@code db}.
     */
    public static SqliteStorage over(Db db) {
        return new SqliteStorage(db, Optional.empty(), 0);
    }

    /** How many parts and messages {@link #open} repaired (0 when another process was using the database). */
    public int repaired() { return repaired; }

    /** The open database, for a test that queries it directly (the stores are the way everything else reads it). */
    public Db db() { return db; }

    /** The database file: what backups, restores and {@code lathe db check} work on. */
    public Path file() { return db.file(); }

    @Override
    public void close() {
        try {
            db.close();
        } finally {
            lease.ifPresent(DatabaseLease::close);
        }
    }
}
