package dev.lathe.core.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Who may repair the database after a crash. Every process that uses it holds a shared lock on
 * {@code lathe.db.lock}; only a process that can take it exclusively (so no other Lathe process is running) repairs
 * parts left running, then shares it like everyone else. Without this, a second {@code lathe run} would mark the
 * first one's live tool calls as interrupted.
 */
public final class DatabaseLease implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock shared;

    private DatabaseLease(FileChannel channel, FileLock shared) {
        this.channel = channel;
        this.shared = shared;
    }

    /** Takes the lease; {@code repair} runs first when this process is the only user of the database. */
    public static DatabaseLease take(Path database, Runnable repair) {
        Path file = database.resolveSibling(database.getFileName() + ".lock");
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock exclusive = channel.tryLock(0, Long.MAX_VALUE, false);
            if (exclusive != null) {
                try {
                    repair.run();
                } finally {
                    exclusive.release();
                }
            }
            // blocks only while another process is repairing
            return new DatabaseLease(channel, channel.lock(0, Long.MAX_VALUE, true));
        } catch (IOException e) {
            throw new StoreException("cannot lock " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The lease taken exclusively, as a start's repair takes it: only when no other Lathe process — and no open core in
     * this one — holds it. Empty when one does. Released by closing it.
     */
    static java.util.Optional<Exclusive> tryExclusive(Path database) throws IOException {
        Path file = database.resolveSibling(database.getFileName() + ".lock");
        Files.createDirectories(file.toAbsolutePath().getParent());
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock(0, Long.MAX_VALUE, false);
        } catch (java.nio.channels.OverlappingFileLockException e) {
            lock = null;  // this very process holds it: the database is open here
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new Exclusive(channel));
    }

    /** An exclusive hold on the lease ({@link #tryExclusive}); closing the channel releases the lock. */
    record Exclusive(FileChannel channel) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    @Override
    public void close() {
        try {
            shared.release();
            channel.close();
        } catch (IOException ignored) {
            // the process is ending; the OS drops the lock anyway
        }
    }
}
