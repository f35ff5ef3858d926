package dev.lathe.lsp;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.PublishDiagnosticsParams;

/**
 * The latest diagnostics every server of a project published, per file, and waiting for the ones of a given
 * document version. Each publish gets a sequence number, so a server that does not send versions (tsserver's) is
 * waited for by "a publish after the change was sent" instead.
 */
final class PublishedDiagnostics {
    /** One publish: the document version it is for when the server says so, the problems, its sequence number. */
    record Published(Optional<Integer> version, List<Diagnostic> diagnostics, long seq) {}

    private final Map<Path, Published> latest = new ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private long seq;
    private long lastPublishNanos = System.nanoTime();

    /** Stores {@code params}; returns the file it was for, or empty when its URI is not a file. */
    Optional<Path> accept(PublishDiagnosticsParams params) {
        Optional<Path> file = fileOf(params.getUri());
        if (file.isEmpty()) return file;
        lock.lock();
        try {
            seq++;
            lastPublishNanos = System.nanoTime();
            latest.put(file.get(), new Published(Optional.ofNullable(params.getVersion()), List.copyOf(params.getDiagnostics()), seq));
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        return file;
    }

    /** The sequence number of the last publish: a change sent now is answered by a publish with a higher one. */
    long mark() {
        lock.lock();
        try {
            return seq;
        } finally {
            lock.unlock();
        }
    }

    Optional<Published> latest(Path file) { return Optional.ofNullable(latest.get(file)); }

    void forget(Path file) { latest.remove(file); }

    /**
     * The diagnostics of {@code file} for {@code version} (sent after publish number {@code sentAfter}), waiting until
     * {@code deadlineNanos}; empty when they did not come in time.
     */
    Optional<Published> await(Path file, int version, long sentAfter, long deadlineNanos) throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                Published p = latest.get(file);
                if (p != null && (p.version().isPresent() ? p.version().get() >= version : p.seq() > sentAfter)) return Optional.of(p);
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) return Optional.empty();
                changed.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * The first publish of {@code file} after publish number {@code sentAfter} that {@code wanted} accepts, waiting
     * until {@code deadlineNanos}; empty when none came in time.
     */
    Optional<Published> awaitMatching(Path file, long sentAfter, java.util.function.Predicate<Published> wanted, long deadlineNanos)
            throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                Published p = latest.get(file);
                if (p != null && p.seq() > sentAfter && wanted.test(p)) return Optional.of(p);
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) return Optional.empty();
                changed.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * For a file whose last publish was clean, from a server that sends no versions: typescript-language-server does
     * not publish "still clean" again, so silence is an answer. Waits for a publish of {@code file} after
     * {@code sentAfter} until {@code graceDeadlineNanos}; true when it came. (Other files' publishes are no sign that
     * this one is done: a file opened meanwhile publishes first, before the changed file's semantic pass.)
     */
    boolean awaitOrSilence(Path file, long sentAfter, long graceDeadlineNanos) throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                Published p = latest.get(file);
                if (p != null && p.seq() > sentAfter) return true;
                long left = graceDeadlineNanos - System.nanoTime();
                if (left <= 0) return false;
                changed.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until no server published for {@code quietMillis} (or {@code deadlineNanos} passed): the publishes a
     * change causes in other files, and tsserver's second (semantic) publish, come in a burst right after it.
     */
    void awaitQuiet(long quietMillis, long deadlineNanos) throws InterruptedException {
        long quiet = TimeUnit.MILLISECONDS.toNanos(quietMillis);
        lock.lock();
        try {
            while (true) {
                long now = System.nanoTime();
                long quietEnds = lastPublishNanos + quiet;
                if (now >= quietEnds || now >= deadlineNanos) return;
                changed.awaitNanos(Math.min(quietEnds, deadlineNanos) - now);
            }
        } finally {
            lock.unlock();
        }
    }

    /** The file a {@code file:} URI names, normalised as Lathe's own paths are (servers spell URIs their own way). */
    static Optional<Path> fileOf(String uri) {
        try {
            URI u = URI.create(uri);
            return "file".equalsIgnoreCase(u.getScheme()) ? Optional.of(Path.of(u).toAbsolutePath().normalize()) : Optional.empty();
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            return Optional.empty();
        }
    }
}
