package dev.lathe.core.store.sqlite;

import dev.lathe.core.store.StoreException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Who may open and who may repair the database. Every process that uses it holds a shared lock on the first byte of
 * {@code lathe.db.lock} (the <em>use</em> byte); only a process that can take that byte exclusively (so no other Lathe
 * process is running) repairs parts left running, then shares it like everyone else. Without this, a second
 * {@code lathe run} would mark the first one's live tool calls as interrupted.
 *
 * <p>The lease is taken <em>before</em> the database is opened ({@link #open}), so {@code lathe db restore}, which holds
 * the whole lock file exclusively ({@link #tryExclusive}), never has a process open the file it is replacing: one that
 * did would write to the unlinked file (its work lost) and could leave a {@code -wal} beside the new one. A start holds
 * the second byte (the <em>gate</em>) shared from before it opens until it shares the use byte, so a restore cannot
 * slip in between the repair's exclusive hold and the shared one that follows it (a lock cannot be turned from one
 * into the other in place). A start that finds the file held exclusively waits {@link #WAIT_FOR_RESTORE} for it, then
 * fails with a message naming the restore. A Lathe from before this locked the whole file shared and tried the whole
 * file exclusively for its repair: both still conflict with the bytes used here in the same ways.
 *
 * <p>A file lock belongs to the whole process, and closing <em>any</em> channel on the lock file lets go of every lock
 * the process holds on it (POSIX record locks, which the JDK uses). So a process never opens a second channel on the
 * lock file while it has one ({@link #OPEN_HERE}): a second start, a restore or a move-aside of a damaged file in a
 * process that holds the lease is refused before it would open one, and a start's own move-aside uses its lease.
 */
public final class DatabaseLease implements AutoCloseable {
    /** How long a start waits for a restore (or another process's exclusive hold) to end before it gives up. */
    public static final java.time.Duration WAIT_FOR_RESTORE = java.time.Duration.ofSeconds(10);
    private static final long USE = 0;
    private static final long GATE = 1;
    /** The lock files this process has a channel open on, each at most once: see the class comment. */
    private static final java.util.Set<Path> OPEN_HERE = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final Path file;
    private final FileChannel channel;
    private final FileLock shared;

    private DatabaseLease(Path file, FileChannel channel, FileLock shared) {
        this.file = file;
        this.channel = channel;
        this.shared = shared;
    }

    /** The database opened under its lease: close the database, then the lease. */
    public record Opened(Db db, DatabaseLease lease) {}

    /**
     * Takes the lease, then opens {@code database} ({@link Db#open}); {@code repair} runs on it first when this process
     * is the only user of the database.
     *
     * @throws StoreException when the database cannot be opened, or another process held it alone (a restore) for
     *     longer than {@link #WAIT_FOR_RESTORE}: nothing was opened then
     */
    public static Opened open(Path database, java.util.function.Consumer<Db> repair) {
        return open(database, repair, WAIT_FOR_RESTORE);
    }

    static Opened open(Path database, java.util.function.Consumer<Db> repair, java.time.Duration wait) {
        var started = start(database, wait, alone -> {
            Db db = Db.open(database, alone);
            if (alone) {
                try {
                    repair.accept(db);
                } catch (RuntimeException e) {
                    db.close();
                    throw e;
                }
            }
            return db;
        });
        return new Opened(started.value(), started.lease());
    }

    /** Takes the lease; {@code repair} runs first when this process is the only user of the database. */
    public static DatabaseLease take(Path database, Runnable repair) {
        return start(database, WAIT_FOR_RESTORE, alone -> {
            if (alone) repair.run();
            return null;
        }).lease();
    }

    /** What a start does under the lease: {@code alone} when no other process uses the database. */
    private interface Start<T> {
        T run(boolean alone);
    }

    private record Started<T>(DatabaseLease lease, T value) {}

    private static <T> Started<T> start(Path database, java.time.Duration wait, Start<T> start) {
        Path file = lockFile(database);
        if (!OPEN_HERE.add(file)) throw new StoreException("the database " + database + " is open in this process already", null);
        FileChannel channel;
        try {
            Files.createDirectories(file.getParent());
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            OPEN_HERE.remove(file);
            throw new StoreException("cannot lock " + file + ": " + e.getMessage(), e);
        }
        T value = null;
        try {
            FileLock gate = gate(channel, database, wait);
            try {
                FileLock exclusive = channel.tryLock(USE, 1, false);
                FileLock shared;
                if (exclusive != null) {
                    try {
                        value = start.run(true);
                    } finally {
                        exclusive.release();
                    }
                    // blocks only while another process is repairing
                    shared = channel.lock(USE, 1, true);
                } else {
                    shared = channel.lock(USE, 1, true);
                    value = start.run(false);
                }
                return new Started<>(new DatabaseLease(file, channel, shared), value);
            } finally {
                gate.release();
            }
        } catch (IOException | RuntimeException e) {
            if (value instanceof AutoCloseable opened) closeQuietly(opened, e);
            closeQuietly(channel, e);
            OPEN_HERE.remove(file);
            if (e instanceof java.nio.channels.OverlappingFileLockException) {
                throw new StoreException("the database " + database + " is open in this process already", e);
            }
            if (e instanceof RuntimeException r) throw r;
            throw new StoreException("cannot lock " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The gate byte shared: at once, unless a process holds the lock file alone — a restore replacing the database —
     * then when it lets go, for at most {@code wait}.
     */
    private static FileLock gate(FileChannel channel, Path database, java.time.Duration wait) throws IOException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            FileLock gate = channel.tryLock(GATE, 1, true);
            if (gate != null) return gate;
            if (System.nanoTime() - deadline >= 0) {
                throw new StoreException("the database " + database + " is held by another Lathe process alone — a `lathe db restore` "
                        + "replacing it — and was not released within " + wait.toSeconds() + " s: try again once the restore has finished", null);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StoreException("interrupted while waiting for a restore of " + database + " to finish", e);
            }
        }
    }

    private static void closeQuietly(AutoCloseable c, Exception failure) {
        try {
            c.close();
        } catch (Exception e) {
            failure.addSuppressed(e);
        }
    }

    /**
     * The lease taken exclusively, as a start's repair takes it: only when no other Lathe process — and no open core in
     * this one — holds it. Empty when one does. Released by closing it.
     */
    static java.util.Optional<Exclusive> tryExclusive(Path database) throws IOException {
        Path file = lockFile(database);
        // this very process holds it (the database is open here): opening a channel to find out would let go of that
        if (!OPEN_HERE.add(file)) return java.util.Optional.empty();
        FileChannel channel = null;
        try {
            Files.createDirectories(file.getParent());
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock(0, Long.MAX_VALUE, false);
            } catch (java.nio.channels.OverlappingFileLockException e) {
                lock = null;  // a channel opened here other than through this class holds it
            }
            if (lock != null) return java.util.Optional.of(new Exclusive(file, channel));
            channel.close();
            OPEN_HERE.remove(file);
            return java.util.Optional.empty();
        } catch (IOException | RuntimeException e) {
            if (channel != null) closeQuietly(channel, e);
            OPEN_HERE.remove(file);
            throw e;
        }
    }

    /** An exclusive hold on the lease ({@link #tryExclusive}); closing the channel releases the lock. */
    static final class Exclusive implements AutoCloseable {
        private final Path file;
        private final FileChannel channel;

        private Exclusive(Path file, FileChannel channel) {
            this.file = file;
            this.channel = channel;
        }

        @Override
        public void close() throws IOException {
            try {
                channel.close();
            } finally {
                OPEN_HERE.remove(file);
            }
        }
    }

    /** {@code lathe.db.lock} beside the database, one name for it however the database's path was written. */
    private static Path lockFile(Path database) {
        Path absolute = database.toAbsolutePath().normalize();
        return absolute.resolveSibling(absolute.getFileName() + ".lock");
    }

    @Override
    public void close() {
        try {
            shared.release();
            channel.close();
        } catch (IOException ignored) {
            // the process is ending; the OS drops the lock anyway
        } finally {
            OPEN_HERE.remove(file);
        }
    }
}
