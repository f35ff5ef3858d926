package dev.lathe.core.store.postgresql;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.lathe.core.store.StoreException;
import dev.lathe.core.store.jdbc.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * One PostgreSQL database behind a HikariCP pool. Writes go through one writer thread per node, as with SQLite's
 * {@code Db}: the port promises that one caller's writes apply in the order made ({@code upsertPartBehind} returns
 * before its commit), and writes queued while another commits share one transaction, each in a savepoint of its own so
 * one that fails is undone alone. Readers borrow pooled connections in auto-commit and run beside the writer.
 * Every failure names the database, host, port and user ({@link PostgresUrl#describe}), never the password.
 */
final class PgDb implements Database, AutoCloseable {
    private static final int MAX_BATCH = 256;

    /**
     * How many pooled connections a node keeps at most, and how long a caller waits for one before its work fails as
     * {@link StoreException.Unreachable} ({@code store_unavailable}, naming the store).
     */
    record Pool(int size, java.time.Duration timeout) {
        /** Connections beyond one per running session: the writer, the event writer, the lease thread, HTTP reads. */
        static final int RESERVE = 6;
        /** The pool of a node without {@code --max-sessions}: what a database of 100 connections shares with three such nodes. */
        static final int UNBOUNDED = 24;
        /** No node needs more: a session holds a connection for one statement or transaction at a time, never longer. */
        static final int MOST = 64;
        static final java.time.Duration WAIT = java.time.Duration.ofSeconds(10);

        Pool {
            if (size < 1) throw new IllegalArgumentException("a pool has at least one connection, not " + size);
        }

        /**
         * The pool of a node that runs at most {@code maxSessions} sessions at once (0: no bound): one connection per
         * running session plus {@link #RESERVE} (the turn threads of 30 sessions starved a pool of 8 in the throughput
         * bench, decision 340).
         */
        static Pool forSessions(int maxSessions) {
            return new Pool(maxSessions > 0 ? Math.min(maxSessions + RESERVE, MOST) : UNBOUNDED, WAIT);
        }
    }

    private final PostgresUrl url;
    private final HikariDataSource pool;
    private final ExecutorService writeExecutor;
    private final Queue<Job<?>> queued = new ConcurrentLinkedQueue<>();

    private PgDb(PostgresUrl url, HikariDataSource pool) {
        this.url = url;
        this.pool = pool;
        this.writeExecutor = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("lathe-pg-writer").daemon().factory());
    }

    /**
     * Opens the pool, failing at once (not at the first query) when the database cannot be reached or refuses the login.
     *
     * @throws StoreException naming the database, host, port and user, and the server's or driver's reason
     */
    static PgDb open(PostgresUrl url, Pool size) {
        var config = new HikariConfig();
        config.setPoolName("lathe-store");
        config.setDriverClassName("org.postgresql.Driver");
        config.setJdbcUrl(url.jdbcUrl());
        config.setUsername(url.user());
        url.password().ifPresent(config::setPassword);
        config.setMaximumPoolSize(size.size());
        config.setMinimumIdle(1);
        config.setConnectionTimeout(size.timeout().toMillis());
        config.setInitializationFailTimeout(1);  // the first connection is made now: a wrong URL fails serve at once
        Properties driver = new Properties();
        driver.setProperty("connectTimeout", "5");
        driver.setProperty("ApplicationName", "lathe");
        driver.setProperty("tcpKeepAlive", "true");
        config.setDataSourceProperties(driver);
        try {
            return new PgDb(url, new HikariDataSource(config));
        } catch (RuntimeException e) {
            throw new StoreException("cannot open the PostgreSQL store, " + url.describe() + ": " + reason(e), e);
        }
    }

    PostgresUrl url() { return url; }

    /** A connection outside the writer: for the migrations and the node lock at open. The caller closes it. */
    Connection connection() throws SQLException {
        return pool.getConnection();
    }

    @Override
    public <T> T write(Work<T> work) {
        try {
            return writeBehind(work).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while writing", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StoreException failed) throw failed;
            throw failure("write failed", e.getCause());
        }
    }

    @Override
    public <T> CompletableFuture<T> writeBehind(Work<T> work) {
        var job = new Job<>(work, new CompletableFuture<T>());
        queued.add(job);
        writeExecutor.execute(this::commitQueued);
        return job.done();
    }

    private record Job<T>(Work<T> work, CompletableFuture<T> done) {}

    private void commitQueued() {
        List<Job<?>> batch = new ArrayList<>();
        for (Job<?> job; batch.size() < MAX_BATCH && (job = queued.poll()) != null; ) batch.add(job);
        if (batch.isEmpty()) return;
        List<Runnable> outcomes = new ArrayList<>(batch.size());
        try (Connection c = pool.getConnection()) {
            inTransaction(c, tx -> {
                for (Job<?> job : batch) outcomes.add(runIn(tx, job));
                return null;
            });
        } catch (Throwable e) {
            StoreException failed = e instanceof StoreException s ? s : failure("write failed", e);
            for (Job<?> job : batch) job.done().completeExceptionally(failed);
            return;
        }
        outcomes.forEach(Runnable::run);
    }

    /** Runs one job in a savepoint, kept on success and undone alone on failure; what to tell its caller after the commit. */
    /** Work on one connection inside a transaction {@link #inTransaction} opened. */
    interface InTransaction<T> {
        T run(Connection c) throws SQLException;
    }

    /**
     * Runs {@code work} on {@code c} in one transaction: committed when it returns, rolled back when it throws (a
     * failing rollback kept as suppressed), auto-commit restored either way. The one place the store's PostgreSQL
     * classes open a transaction by hand.
     */
    static <T> T inTransaction(Connection c, InTransaction<T> work) throws SQLException {
        c.setAutoCommit(false);
        try {
            T result = work.run(c);
            c.commit();
            return result;
        } catch (SQLException | RuntimeException | Error e) {
            try {
                c.rollback();
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    private <T> Runnable runIn(Connection c, Job<T> job) throws SQLException {
        Savepoint savepoint = c.setSavepoint();
        try {
            T result = job.work().run(c);
            c.releaseSavepoint(savepoint);
            return () -> job.done().complete(result);
        } catch (SQLException | RuntimeException e) {
            if (!c.isValid(2)) throw e instanceof SQLException sql ? sql : new SQLException(e);  // the connection died: the batch fails
            c.rollback(savepoint);
            c.releaseSavepoint(savepoint);
            StoreException failed = e instanceof StoreException s ? s : failure("write failed", e);
            return () -> job.done().completeExceptionally(failed);
        }
    }

    @Override
    public <T> List<T> query(String sql, RowMapper<T> mapper, Object... args) {
        try (Connection c = pool.getConnection(); PreparedStatement ps = Database.prepare(c, sql, args); ResultSet rs = ps.executeQuery()) {
            List<T> out = new ArrayList<>();
            while (rs.next()) out.add(mapper.map(rs));
            return out;
        } catch (SQLException e) {
            throw failure("query failed", e);
        }
    }

    StoreException failure(String doing, Throwable cause) {
        String message = doing + " (PostgreSQL " + url.describe() + "): " + reason(cause);
        return unreachable(cause) ? new StoreException.Unreachable(message, cause) : new StoreException(message, cause);
    }

    /**
     * Whether the failure is the connection's, not the statement's: SQL states of class 08 (connection exception), 57P01-3
     * (the server shutting down or starting), or the pool finding no connection in time.
     */
    static boolean unreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StoreException.Unreachable || t instanceof java.sql.SQLTransientConnectionException) return true;
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P0"))) return true;
        }
        return false;
    }

    /** The innermost message: the server's or driver's own words ("password authentication failed for user ..."). */
    static String reason(Throwable e) {
        String reason = e.getMessage();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null) reason = t.getMessage();
        }
        return reason;
    }

    @Override
    public void close() {
        writeExecutor.shutdown();
        try {
            writeExecutor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pool.close();
    }
}
