package dev.lathe.core.audit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One project's audit file, appended to only, one writer at a time (its entry lock; one object per file in a
 * process, and the server is the only process that writes). On first use it reads the file's end to continue the
 * chain; a torn last line (a crash mid-write) is sealed by a {@code torn} entry and logged, never dropped. A write is
 * one {@code write} of the whole line to a file opened for append, not forced to disk: a turn waits for the kernel,
 * not the disk; a power cut can tear the last line, which {@link AuditChain#verify} then reports. After each append
 * the end is anchored ({@link AuditHead}) before {@link #append} returns; on first use an anchor the log no longer
 * reaches is recorded by a {@code cut} entry before the anchor moves on.
 *
 * <p>Sessions of one project append to one file, so the lock is held for the chained part only: an entry's JSON is
 * serialised before it ({@link AuditChain#prepare}), and the anchor is written under a lock of its own after the
 * entry's, naming the newest entry then written. An append whose entry a later append's anchor already names writes
 * none: when any append returns, the anchor names its entry or a later one, as when every append wrote its own, and
 * it is never ahead of the log (it names only entries already written).
 */
final class AuditFile {
    private static final System.Logger LOG = System.getLogger(AuditFile.class.getName());

    private final Path file;
    private final Path head;
    private final Path keyFile;
    /** The chain's key, read (or made) when the file is opened. */
    private Optional<AuditKey> key = Optional.empty();
    private FileChannel channel;
    private String prev;
    private long seq;
    /** The newest entry written (its number and hash) and the key it was chained with, for the anchor. */
    private volatile Tip tip;
    /**
     * Held while an entry is chained and written. A lock that parks its waiters, not a monitor: every session of a
     * project appends here, and waiters spinning on a monitor burned more CPU than the writing.
     */
    private final ReentrantLock entryLock = new ReentrantLock();
    /** Held while the anchor is written; never taken before {@link #entryLock} (open takes both, in that order). */
    private final ReentrantLock anchorLock = new ReentrantLock();
    /** The entry number the anchor file names (under {@link #anchorLock}); -1 before this object wrote one. */
    private long anchored = -1;

    private record Tip(long seq, String prev, Optional<AuditKey> key) {}

    /** @param keyFile the audit key ({@link AuditKey}), made on first use */
    AuditFile(Path file, Path keyFile) {
        this.file = file;
        this.head = AuditHead.fileOf(file);
        this.keyFile = keyFile;
    }

    /** Appends, then anchors: a crash in between leaves the anchor behind, which still checks. */
    void append(AuditEntry entry) throws IOException {
        AuditChain.Prepared prepared = AuditChain.prepare(entry);
        long written;
        entryLock.lock();
        try {
            if (channel == null) open();
            written = add(prepared);
        } finally {
            entryLock.unlock();
        }
        anchorThrough(written, false);
    }

    /** Writes the entry's line and returns its number; the caller anchors. */
    private long add(AuditChain.Prepared entry) throws IOException {
        String line = AuditChain.line(seq + 1, prev, entry, key);
        write(line + "\n");
        seq++;
        prev = AuditChain.hashOf(line).orElseThrow();
        tip = new Tip(seq, prev, key);
        return seq;
    }

    /**
     * Anchors the newest entry written, unless the anchor names entry {@code written} or a later one already;
     * {@code always} anchors whatever this object wrote before (on opening: the log may have been cut meanwhile).
     */
    private void anchorThrough(long written, boolean always) {
        anchorLock.lock();
        try {
            if (!always && anchored >= written) return;
            Tip t = tip;
            AuditHead anchor = new AuditHead(t.seq(), t.prev());
            (t.key().isPresent() ? anchor.signed(t.key().get()) : anchor).writeTo(head);
            anchored = t.seq();
        } catch (IOException e) {
            // a lagging anchor still checks; only the end's protection is weaker until the next append
            LOG.log(System.Logger.Level.WARNING, "audit log " + file + ": head anchor not written", e);
        } finally {
            anchorLock.unlock();
        }
    }

    private void open() throws IOException {
        Files.createDirectories(file.getParent());
        // made before anything is written: every entry from now on is keyed, and so dated after the key
        key = Optional.of(AuditKey.readOrCreate(keyFile));
        // the anchor is read before the log, as a reader does: an anchor written after that read cannot be ahead
        AuditHead.Read found = AuditHead.read(head);
        boolean existed = Files.exists(file);
        String text = existed ? Files.readString(file, StandardCharsets.UTF_8) : "";
        // a new log is anchored (empty) before its first entry exists, so no log with entries lacks an anchor; an anchor
        // left from a deleted log stays until the cut entry below records it
        if (!existed && found instanceof AuditHead.Read.Missing) AuditHead.EMPTY.signed(key.get()).writeTo(head);
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        prev = AuditChain.GENESIS;
        seq = 0;
        String[] lines = text.split("\n", -1);
        for (int i = lines.length - 2; i >= 0; i--) {
            var node = AuditChain.read(lines[i]);
            if (node.isPresent()) {
                prev = AuditChain.hashOf(lines[i]).orElseThrow();
                seq = node.get().path("seq").asLong(0);
                break;
            }
        }
        Optional<String> cut = cutShort(found, text, seq);
        String tail = lines[lines.length - 1];
        if (!tail.isEmpty()) {
            int number = lines.length;
            LOG.log(System.Logger.Level.WARNING, "audit log {0}: line {1} was torn by an interrupted write; sealed by a torn entry", file, number);
            write("\n");
            String sealing = AuditChain.line(seq + 1, AuditChain.sha256(tail), new AuditEntry(AuditEntry.Kind.TORN, System.currentTimeMillis(), "",
                    "", Map.of("tornLine", (long) number)), key);
            write(sealing + "\n");
            seq++;
            prev = AuditChain.hashOf(sealing).orElseThrow();
        }
        tip = new Tip(seq, prev, key);
        if (cut.isPresent()) {
            LOG.log(System.Logger.Level.WARNING, "audit log {0} is shorter than its head anchor ({1}); recorded by a cut entry", file, cut.get());
            Map<String, Object> fields = new java.util.LinkedHashMap<>();
            fields.put("why", cut.get());
            fields.put("entries", seq);
            add(AuditChain.prepare(new AuditEntry(AuditEntry.Kind.CUT, System.currentTimeMillis(), "", "", fields)));
        }
        anchorThrough(seq, true);
    }

    /** Why the log {@code text} no longer reaches the end its anchor recorded; empty when it does. */
    private static Optional<String> cutShort(AuditHead.Read found, String text, long entries) {
        return switch (found) {
            case AuditHead.Read.Found f -> AuditChain.mismatch(text, f.head());
            case AuditHead.Read.Unreadable u -> Optional.of("its head anchor was unreadable: " + u.why());
            case AuditHead.Read.Missing _ -> entries == 0 ? Optional.empty() : Optional.of("its head anchor was missing");
        };
    }

    private void write(String text) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) channel.write(bytes);
    }

    void close() {
        entryLock.lock();
        try {
            if (channel == null) return;
            try {
                channel.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "closing audit log " + file, e);
            }
            channel = null;
        } finally {
            entryLock.unlock();
        }
    }
}
