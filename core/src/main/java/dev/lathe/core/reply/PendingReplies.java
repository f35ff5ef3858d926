package dev.lathe.core.reply;

import dev.lathe.protocol.SessionId;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/**
 * Requests waiting for a reply, server-wide: {@link #await} blocks the asking tool's virtual thread until any client
 * replies through {@link #reply} or the turn is cancelled ({@link #complete} with the cancelled answer). One class for
 * permission asks and questions, which differ only in their request and reply types.
 *
 * @param <K> the request id, in creation order
 */
public final class PendingReplies<K extends Comparable<K>, R, A> {
    private record Pending<R, A>(R request, String directory, CompletableFuture<A> answer) {}

    private final Map<K, Pending<R, A>> pending = new ConcurrentHashMap<>();
    private final Function<R, K> id;
    private final Function<R, SessionId> session;

    public PendingReplies(Function<R, K> id, Function<R, SessionId> session) {
        this.id = id;
        this.session = session;
    }

    /** Registers a request; the caller publishes it and then calls {@link #await}. */
    public void open(R request, String directory) {
        pending.put(id.apply(request), new Pending<>(request, directory, new CompletableFuture<>()));
    }

    /** Blocks until answered, then forgets the request. */
    public A await(K key) throws InterruptedException {
        Pending<R, A> p = pending.get(key);
        if (p == null) throw new IllegalStateException("nothing pending under " + key);
        try {
            return p.answer().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            pending.remove(key);
        }
    }

    /** Answers the request if it still waits; returns it, or empty when nothing waits under {@code key}. */
    public Optional<R> complete(K key, A answer) {
        Pending<R, A> p = pending.get(key);
        if (p == null) return Optional.empty();
        p.answer().complete(answer);
        return Optional.of(p.request());
    }

    /** Whether a call of this session is blocked on a request. */
    public boolean waitingIn(SessionId sessionId) {
        return pending.values().stream().anyMatch(p -> session.apply(p.request()).equals(sessionId));
    }

    /** Requests waiting in one folder, or (empty string) everywhere, oldest first. */
    public List<R> pending(String directory) {
        return pending.values().stream()
                .filter(p -> directory.isEmpty() || p.directory().equals(directory))
                .map(Pending::request)
                .sorted(Comparator.comparing(id))
                .toList();
    }
}
