package dev.lathe.core.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What the stores need of a database: reads, and writes on one writer in the order queued. SQLite's {@code Db} (one
 * file, one writer connection) and PostgreSQL's {@code PgDb} (a pool) implement it; each keeps its own connections,
 * group commit and error messages, and the stores of this package are written once against it.
 */
public interface Database {
    /** Maps one result row. */
    @FunctionalInterface
    interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /** A unit of work on the writer connection, run inside one transaction. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Runs {@code work} in one transaction on the writer and returns after the commit. */
    <T> T write(Work<T> work);

    /**
     * Queues {@code work} on the writer and returns at once; the future completes right after the commit (or with the
     * failure). Writes commit in the order they were queued.
     */
    <T> CompletableFuture<T> writeBehind(Work<T> work);

    /**
     * {@link #writeBehind} of a write that sets one row whole, named {@code row} (a table and a key): whatever the row
     * held before, it holds the same after (an upsert of every column a later upsert would set). A later write of the
     * same row queued into the same transaction therefore makes this one needless, and a database may skip it: its
     * future then completes with the commit that holds the later state. One that does not, runs it as any write.
     */
    default CompletableFuture<Void> writeBehindWhole(String row, Work<Void> work) {
        return writeBehind(work);
    }

    /** Runs one statement in its own transaction. */
    default int update(String sql, Object... args) {
        return write(c -> {
            try (PreparedStatement ps = prepare(c, sql, args)) {
                return ps.executeUpdate();
            }
        });
    }

    <T> List<T> query(String sql, RowMapper<T> mapper, Object... args);

    /** {@code sql} prepared on {@code c} with {@code args} bound in order. */
    static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
        return ps;
    }
}
