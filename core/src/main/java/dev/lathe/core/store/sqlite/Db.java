package dev.lathe.core.store.sqlite;

import dev.lathe.core.store.StoreException;
import dev.lathe.core.store.jdbc.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
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
public final class Db implements Database, AutoCloseable {
    private static final int READERS = 4;
    /** At most this many queued writes share one transaction. */
    private static final int MAX_BATCH = 256;

    private final Path file;
    private final Connection writer;
    private final ExecutorService writeExecutor;
    private final BlockingQueue<Connection> readers = new ArrayBlockingQueue<>(READERS);
    /** Writes not yet taken into a transaction, in the order they were queued. */
    private final java.util.Queue<Job<?>> queued = new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** The writes' savepoint on the writer, made by the writer thread at its first batch. */
    private JobSavepoint savepoint;

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

    /**
     * Opens (creating if needed) the database and applies pending migrations, after a backup copy beside it
     * ({@link Backups}). A database of a newer Lathe is refused before anything opens it for writing
     * ({@link SchemaVersion}). The file is then checked ({@link DatabaseCheck}): a damaged one, or a file that is no
     * database at all, is moved aside whole, never deleted, and a fresh database takes its place
     * ({@link DamagedDatabase}, which logs and leaves a notice naming both files).
     *
     * @throws StoreException when the file cannot be opened, was written by a newer Lathe, or is damaged but cannot be
     *     moved aside (in use by another Lathe process): then it is left exactly as it was
     */
    public static Db open(Path file) {
        return open(file, false);
    }

    /**
     * @param leaseHeldAlone the caller holds the {@link DatabaseLease} exclusively (no other process uses the file), so
     *     a damaged file may be moved aside without taking the lease again
     */
    static Db open(Path file, boolean leaseHeldAlone) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            SchemaVersion.refuseNewer(file);
            switch (DatabaseCheck.of(file)) {
                case DatabaseCheck.Verdict.Sound _ -> { }
                case DatabaseCheck.Verdict.Damaged damaged -> DamagedDatabase.moveAside(file, damaged, leaseHeldAlone);
            }
            Connection writer = connect(file);
            Migrations.apply(writer, file);
            return new Db(file, writer);
        } catch (SQLException | java.io.IOException e) {
            throw SqliteErrors.of("cannot open database " + file, file, e);
        }
    }

    private static Connection connect(Path file) throws SQLException {
        // no generated keys: the driver would otherwise match every INSERT against a pattern and run a second
        // statement (SELECT last_insert_rowid()) after it, for keys no store of ours reads
        var properties = new Properties();
        properties.setProperty("jdbc.get_generated_keys", "false");
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(), properties);
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
    @Override
    public <T> T write(Work<T> work) {
        try {
            return writeBehind(work).get();
        } catch (InterruptedException e) {
            // the transaction still completes on the writer thread; only this caller stops waiting
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while writing", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StoreException failed) throw failed;
            throw SqliteErrors.of("write failed", file, e.getCause());
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
    @Override
    public <T> CompletableFuture<T> writeBehind(Work<T> work) {
        return queue(new Job<>(null, work, new CompletableFuture<T>()));
    }

    /**
     * Writes of one row whole queued into the same batch are folded into the newest: a read step's tool part is
     * written pending, pending with its input, running and completed, each an upsert of the whole part, and on a
     * busy server the first three often wait in the queue behind another batch's commit. Only the newest runs; the
     * others' futures complete with the commit that holds it, in their queued order, so each state is still announced
     * after a commit holding it or a later one (DESIGN §4). A write of any other kind between two writes of a row
     * stops the fold there (it may read or change the row), and when the newest fails, the writes it stood for run
     * after all, each in its own savepoint, so the row holds what it would have held unfolded.
     */
    @Override
    public CompletableFuture<Void> writeBehindWhole(String row, Work<Void> work) {
        return queue(new Job<>(row, work, new CompletableFuture<>()));
    }

    private <T> CompletableFuture<T> queue(Job<T> job) {
        queued.add(job);
        try {
            // one task per write; a task that finds the queue emptied by an earlier one's batch has nothing to do
            writeExecutor.execute(this::commitQueued);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the store was closed (the server stops): the write fails as a store failure its caller already handles
            queued.remove(job);
            job.done().completeExceptionally(new StoreException("the store " + file + " is closed", e));
        }
        return job.done();
    }

    /**
     * The savepoint each queued write runs in, its three statements compiled once on the writer: the driver's
     * {@code setSavepoint} and {@code releaseSavepoint} format a new name and compile a statement at every write (~2 %
     * of the server's samples on the 20 × 100 read-step bench, decision 535). A write's savepoint is released (after a
     * rollback to it, when it failed) before the next write sets its own, so one name serves every write.
     */
    private static final class JobSavepoint {
        private final PreparedStatement set;
        private final PreparedStatement release;
        private final PreparedStatement rollback;

        JobSavepoint(Connection writer) throws SQLException {
            set = writer.prepareStatement("SAVEPOINT lathe_write");
            release = writer.prepareStatement("RELEASE lathe_write");
            rollback = writer.prepareStatement("ROLLBACK TO lathe_write");
        }

        void set() throws SQLException { set.execute(); }

        void release() throws SQLException { release.execute(); }

        void rollback() throws SQLException { rollback.execute(); }
    }

    /** A queued write and what its caller waits on; {@code row} names the row it sets whole, or is null. */
    private record Job<T>(String row, Work<T> work, CompletableFuture<T> done) {
        /**
         * Runs the work inside a savepoint, kept on success and undone alone on failure; returns what to tell the caller
         * after the commit.
         *
         * @throws StoreException.DiskFull when the disk had no room: SQLite may then have rolled back the whole
         *     transaction already, so the batch cannot go on (its other writes would run outside any transaction)
         */
        Ran<T> runIn(Connection c, Path file, JobSavepoint savepoint) {
            try {
                savepoint.set();
            } catch (SQLException e) {
                return new Ran<>(done, false, null, failure(e, file));
            }
            try {
                T result = work.run(c);
                savepoint.release();
                return new Ran<>(done, true, result, null);
            } catch (Throwable e) {
                StoreException failed = failure(e, file);
                if (failed instanceof StoreException.DiskFull) throw failed;
                try {
                    savepoint.rollback();
                    savepoint.release();
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback);
                }
                return new Ran<>(done, false, null, failed);
            }
        }

        /** A job a later write of its row stood for: its caller hears of that write's commit. */
        Ran<T> stoodFor() {
            return new Ran<>(done, true, null, null);
        }
    }

    /** What became of a job: kept (with its result) or failed (and why); told to its caller after the commit. */
    private record Ran<T>(CompletableFuture<T> done, boolean written, T result, StoreException failure) {
        void tell() {
            if (written) done.complete(result);
            else done.completeExceptionally(failure);
        }
    }

    /**
     * Which jobs of {@code batch} a later write of the same row makes needless: one that sets a row whole, followed
     * by another write of that row with no write of another kind between them (see {@link #writeBehindWhole}).
     */
    private static boolean[] superseded(List<Job<?>> batch) {
        boolean[] out = new boolean[batch.size()];
        Set<String> later = new HashSet<>();
        for (int i = batch.size() - 1; i >= 0; i--) {
            String row = batch.get(i).row();
            if (row == null) later.clear();
            else out[i] = !later.add(row);
        }
        return out;
    }

    /**
     * Runs the batch's jobs in order on the writer, each in its savepoint, skipping those {@link #superseded} says a
     * later one stands for; fills {@code outcomes}, one per job, in the batch's order.
     */
    private void runAll(List<Job<?>> batch, Ran<?>[] outcomes) {
        boolean[] superseded = superseded(batch);
        Map<String, List<Integer>> folded = new HashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            Job<?> job = batch.get(i);
            if (superseded[i]) {
                folded.computeIfAbsent(job.row(), _ -> new ArrayList<>()).add(i);
                continue;
            }
            Ran<?> ran = job.runIn(writer, file, savepoint);
            outcomes[i] = ran;
            List<Integer> stoodFor = job.row() == null ? null : folded.remove(job.row());
            if (stoodFor == null) continue;
            for (int k : stoodFor) {
                Job<?> earlier = batch.get(k);
                // the newest failed and was undone: the earlier writes run after all, as unfolded they would have
                outcomes[k] = ran.written() ? earlier.stoodFor() : earlier.runIn(writer, file, savepoint);
            }
        }
    }

    private void commitQueued() {
        List<Job<?>> batch = new ArrayList<>();
        for (Job<?> job; batch.size() < MAX_BATCH && (job = queued.poll()) != null; ) batch.add(job);
        if (batch.isEmpty()) return;
        Ran<?>[] outcomes = new Ran<?>[batch.size()];
        try {
            writer.setAutoCommit(false);
            try {
                if (savepoint == null) savepoint = new JobSavepoint(writer);
                runAll(batch, outcomes);
                writer.commit();
            } catch (SQLException | RuntimeException | Error e) {
                rollback(e);
                throw e;
            }
            writer.setAutoCommit(true);
        } catch (Throwable e) {
            // nothing of the batch was committed: every caller hears of it, and the writer thread lives on
            StoreException failed = failure(e, file);
            for (Job<?> job : batch) job.done().completeExceptionally(failed);
            return;
        }
        for (Ran<?> outcome : outcomes) outcome.tell();
    }

    /**
     * Undoes the batch's transaction after {@code failure} and puts the writer back in auto-commit mode, whatever state
     * the failure left it in (SQLite rolls a transaction back by itself on some errors, a full disk among them, and the
     * driver's own rollback or commit then fails): what went wrong to begin with is what the callers hear.
     */
    private void rollback(Throwable failure) {
        try {
            writer.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
        try {
            writer.setAutoCommit(true);
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    /** What a write's caller hears: a {@link StoreException.DiskFull} when the disk had no room, naming its folder. */
    private static StoreException failure(Throwable e, Path file) {
        return e instanceof StoreException failed ? failed : SqliteErrors.of("write failed", file, e);
    }

    @Override
    public <T> List<T> query(String sql, RowMapper<T> mapper, Object... args) {
        Connection c = borrowReader();
        try (PreparedStatement ps = Database.prepare(c, sql, args); ResultSet rs = ps.executeQuery()) {
            List<T> out = new ArrayList<>();
            while (rs.next()) out.add(mapper.map(rs));
            return out;
        } catch (SQLException e) {
            throw SqliteErrors.of("query failed", file, e);
        } finally {
            if (!readers.offer(c)) closeQuietly(c);
        }
    }

    private Connection borrowReader() {
        Connection c = readers.poll();
        if (c != null) return c;
        try {
            return connect(file);
        } catch (SQLException e) {
            throw SqliteErrors.of("cannot open a read connection", file, e);
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
