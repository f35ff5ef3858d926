package dev.lathe.core.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The database file: one writer connection behind a single-threaded executor (SQLite allows one writer; queueing
 * writes here avoids busy errors), and a small pool of reader connections that run in parallel under WAL.
 * {@link #write} returns only after the transaction is committed and synced (synchronous=FULL), which is what the
 * durability contract builds on; writes queued at the same time share one transaction and one sync
 * ({@link #writeBehind}).
 */
public final class Db implements AutoCloseable {
    private static final int READERS = 4;
    /** At most this many queued writes share one transaction. */
    private static final int MAX_BATCH = 256;

    /** Maps one result row. */
    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /** A unit of work on the writer connection, run inside one transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private final Path file;
    private final Connection writer;
    private final ExecutorService writeExecutor;
    private final BlockingQueue<Connection> readers = new ArrayBlockingQueue<>(READERS);
    /** Writes not yet taken into a transaction, in the order they were queued. */
    private final java.util.Queue<Job<?>> queued = new java.util.concurrent.ConcurrentLinkedQueue<>();

    private Db(Path file, Connection writer) {
        this.file = file;
        this.writer = writer;
        this.writeExecutor = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("lathe-db-writer").daemon().factory());
    }

    /**
     * Starts, on a daemon thread, the driver's one-time set-up that needs no database file: loading its native library
     * and building the date format every connection's config asks for (locale and time-zone data). Called first thing
     * by a one-shot command, it overlaps argument parsing and config loading instead of delaying {@link #open}, which
     * waits for whatever part of it is still running (about 50 ms of the first model request on our machines).
     */
    public static void warmUp() {
        Thread.ofPlatform().daemon().name("lathe-db-warm-up").start(() -> {
            try {
                org.sqlite.SQLiteJDBCLoader.initialize();
                org.sqlite.date.FastDateFormat.getInstance(org.sqlite.SQLiteConfig.DEFAULT_DATE_STRING_FORMAT);
            } catch (Exception e) {
                // open reports whatever is really wrong with the driver
            }
        });
    }

    /** Opens (creating if needed) the database and applies pending migrations. */
    public static Db open(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Connection writer = connect(file);
            Migrations.apply(writer, file);
            return new Db(file, writer);
        } catch (SQLException | java.io.IOException e) {
            throw new StoreException("cannot open database " + file + ": " + e.getMessage(), e);
        }
    }

    private static Connection connect(Path file) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout=5000");
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=FULL");
            s.execute("PRAGMA foreign_keys=ON");
        }
        return c;
    }

    public Path file() { return file; }

    /** Runs {@code work} in one transaction on the writer thread and returns after the commit. */
    public <T> T write(Work<T> work) {
        try {
            return writeBehind(work).get();
        } catch (InterruptedException e) {
            // the transaction still completes on the writer thread; only this caller stops waiting
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while writing", e);
        } catch (ExecutionException e) {
            throw new StoreException("write failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    /**
     * Queues {@code work} on the writer thread and returns at once; the future completes on that thread right after
     * the commit (or with the failure). Writes commit in the order they were queued, so a write queued later, waited
     * for or not, commits after this one.
     *
     * <p>Writes queued while another commits are committed together (group commit): one transaction and one sync for
     * all of them, each inside a savepoint of its own, so one that fails is rolled back alone and the others commit.
     * With many sessions streaming, every write used to wait for a sync of its own behind all the others (bench
     * ServerBench: the first events of fifty streams waited ~0.2 s in that queue).
     */
    public <T> CompletableFuture<T> writeBehind(Work<T> work) {
        var job = new Job<>(work, new CompletableFuture<T>());
        queued.add(job);
        // one task per write; a task that finds the queue emptied by an earlier one's batch has nothing to do
        writeExecutor.execute(this::commitQueued);
        return job.done();
    }

    /** A queued write and what its caller waits on. */
    private record Job<T>(Work<T> work, CompletableFuture<T> done) {
        /** Runs the work inside a savepoint, kept on success and undone alone on failure; returns what to tell the caller after the commit. */
        Runnable runIn(Connection c) {
            Savepoint savepoint;
            try {
                savepoint = c.setSavepoint();
            } catch (SQLException e) {
                return () -> done.completeExceptionally(e);
            }
            try {
                T result = work.run(c);
                c.releaseSavepoint(savepoint);
                return () -> done.complete(result);
            } catch (Throwable e) {
                try {
                    c.rollback(savepoint);
                    c.releaseSavepoint(savepoint);
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback);
                }
                return () -> done.completeExceptionally(e);
            }
        }
    }

    private void commitQueued() {
        List<Job<?>> batch = new ArrayList<>();
        for (Job<?> job; batch.size() < MAX_BATCH && (job = queued.poll()) != null; ) batch.add(job);
        if (batch.isEmpty()) return;
        List<Runnable> outcomes = new ArrayList<>(batch.size());
        try {
            writer.setAutoCommit(false);
            try {
                for (Job<?> job : batch) outcomes.add(job.runIn(writer));
                writer.commit();
            } catch (SQLException | RuntimeException | Error e) {
                writer.rollback();
                throw e;
            } finally {
                writer.setAutoCommit(true);
            }
        } catch (Throwable e) {
            // nothing of the batch was committed: every caller hears of it, and the writer thread lives on
            for (Job<?> job : batch) job.done().completeExceptionally(e);
            return;
        }
        outcomes.forEach(Runnable::run);
    }

    /** Runs one statement in its own transaction. */
    public int update(String sql, Object... args) {
        return write(c -> {
            try (PreparedStatement ps = prepare(c, sql, args)) {
                return ps.executeUpdate();
            }
        });
    }

    public <T> List<T> query(String sql, RowMapper<T> mapper, Object... args) {
        Connection c = borrowReader();
        try (PreparedStatement ps = prepare(c, sql, args); ResultSet rs = ps.executeQuery()) {
            List<T> out = new ArrayList<>();
            while (rs.next()) out.add(mapper.map(rs));
            return out;
        } catch (SQLException e) {
            throw new StoreException("query failed: " + e.getMessage(), e);
        } finally {
            if (!readers.offer(c)) closeQuietly(c);
        }
    }

    static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
        return ps;
    }

    private Connection borrowReader() {
        Connection c = readers.poll();
        if (c != null) return c;
        try {
            return connect(file);
        } catch (SQLException e) {
            throw new StoreException("cannot open a read connection: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        writeExecutor.shutdown();
        try {
            writeExecutor.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeQuietly(writer);
        Connection c;
        while ((c = readers.poll()) != null) closeQuietly(c);
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // closing at shutdown: nothing useful to do with the error
        }
    }
}
