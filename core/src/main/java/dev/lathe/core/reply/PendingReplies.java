package dev.lathe.core.reply;

import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.wire.WireJson;
import java.util.ArrayList;
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
 * <p>Every request goes through the cluster's asks ({@link Sharing}, DESIGN §20). On a team server each request is also
 * stored for every node, and a reply given through any node is stored once ({@link TeamAsks#answer}); the node whose
 * turn asked is told and completes the waiting call. A reply given through the asking node itself is stored the same
 * way, so two answers given at once through two nodes never both count. In one process ({@link LocalAsks}) nothing is
 * stored and every answer counts where the request waits.
 *
 * @param <K> the request id, in creation order
 */
public final class PendingReplies<K extends Comparable<K>, R, A> {
    private static final System.Logger LOG = System.getLogger(PendingReplies.class.getName());

    /** {@code unanswered}: the answer the request gets when nobody can answer it any more ({@link #rejudge}); empty while someone can. */
    private record Pending<R, A>(R request, String directory, CompletableFuture<A> answer, Unanswered<A> unanswered) {}

    /**
     * The asker's judge of a waiting request, asked again when the clients that could answer it leave
     * ({@link #rejudge}): the answer the request gets when nobody can answer it any more, or empty while someone can.
     */
    @FunctionalInterface
    public interface Unanswered<A> {
        Optional<A> judge();
    }

    /** How a node shares these requests through the cluster's asks, their JSON types for the store. */
    public record Sharing<R, A>(TeamAsks asks, TeamAsks.Kind kind, Class<R> requestType, Class<A> replyType) {}

    private final Map<K, Pending<R, A>> pending = new ConcurrentHashMap<>();
    private final Function<R, K> id;
    private final Function<R, SessionId> session;
    private final Sharing<R, A> sharing;

    public PendingReplies(Function<R, K> id, Function<R, SessionId> session, Sharing<R, A> sharing) {
        this.id = id;
        this.session = session;
        this.sharing = sharing;
        sharing.asks().listen(sharing.kind(), (key, reply) -> answeredElsewhere(key, WireJson.read(reply, sharing.replyType())));
    }

    /** Registers a request someone will always be there to answer; the caller publishes it and then calls {@link #await}. */
    public void open(R request, String directory) {
        open(request, directory, Optional::empty);
    }

    /**
     * Registers a request whose asker judged that someone can answer it now; {@code unanswered} judges it again each time
     * {@link #rejudge} runs (a client left), and gives the answer the request then gets in place of a person's
     * (DESIGN §26: an ask is decided when it matters, not only when it is raised). The caller publishes it and then
     * calls {@link #await}.
     */
    public void open(R request, String directory, Unanswered<A> unanswered) {
        pending.put(id.apply(request), new Pending<>(request, directory, new CompletableFuture<>(), unanswered));
        try {
            sharing.asks().opened(sharing.kind(), id.apply(request).toString(), session.apply(request), directory, WireJson.write(request));
        } catch (RuntimeException e) {
            // the database is away: the ask still waits here, answerable through this node
            LOG.log(System.Logger.Level.WARNING, "ask {0} is not shared with the other nodes: {1}", id.apply(request), e.getMessage());
        }
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
            try {
                sharing.asks().closed(key.toString());
            } catch (RuntimeException e) {
                // it leaves the other nodes' lists when this node's lease goes, or when it restarts
                LOG.log(System.Logger.Level.WARNING, "ask {0} stays listed on the other nodes: {1}", key, e.getMessage());
            }
        }
    }

    /** Answers the request if it still waits here; returns it, or empty when nothing waits under {@code key}: cancelling. */
    public Optional<R> complete(K key, A answer) {
        Pending<R, A> p = pending.get(key);
        if (p == null) return Optional.empty();
        p.answer().complete(answer);
        return Optional.of(p.request());
    }

    /**
     * A client's reply, given through this node: on a team server the request may wait on any node.
     *
     * @return the request answered, or empty when none waits under {@code key}
     * @throws LatheException.Conflict when it was answered already through another node
     */
    public Optional<R> reply(K key, A answer) {
        Sharing<R, A> s = sharing;
        Pending<R, A> here = pending.get(key);
        Optional<R> request = here != null ? Optional.of(here.request())
                : s.asks().request(s.kind(), key.toString()).map(json -> WireJson.read(json, s.requestType()));
        if (request.isEmpty()) return Optional.empty();
        switch (s.asks().answer(s.kind(), key.toString(), WireJson.write(answer))) {
            case STORED -> {
                if (here != null) here.answer().complete(answer);
                return request;
            }
            case TAKEN -> throw new LatheException.Conflict(key + " was answered already (through another node or client)");
            case UNKNOWN -> {
                // not shared (the database was away when it opened): it waits here alone
                if (here == null || !here.answer().complete(answer)) return Optional.empty();
                return request;
            }
        }
        return Optional.empty();
    }

    /**
     * Judges every request waiting here again: one that nobody can answer now (its {@code unanswered} says so) gets that
     * answer, unless a person's came first. Called when a client leaves; never throws.
     */
    public void rejudge() {
        for (Pending<R, A> p : pending.values()) {
            if (p.answer().isDone()) continue;
            try {
                p.unanswered().judge().ifPresent(p.answer()::complete);
            } catch (RuntimeException e) {
                // a config that no longer loads, say: the request keeps waiting for a person, as it did
                LOG.log(System.Logger.Level.WARNING, "cannot judge again whether anyone can answer {0}: {1}", id.apply(p.request()), e.getMessage());
            }
        }
    }

    /** A reply stored through another node for a request waiting here (perhaps told twice: the first counts). */
    private void answeredElsewhere(String key, A answer) {
        pending.forEach((k, p) -> {
            if (k.toString().equals(key)) p.answer().complete(answer);
        });
    }

    /** Whether a call of this session is blocked on a request. */
    public boolean waitingIn(SessionId sessionId) {
        return pending.values().stream().anyMatch(p -> session.apply(p.request()).equals(sessionId));
    }

    /** Requests waiting in one folder, or (empty string) everywhere, oldest first; on a team server, on every node. */
    public List<R> pending(String directory) {
        List<R> out = new ArrayList<>(pending.values().stream()
                .filter(p -> directory.isEmpty() || p.directory().equals(directory))
                .map(Pending::request)
                .toList());
        sharing.asks().open(sharing.kind(), directory).stream()
                .filter(open -> out.stream().noneMatch(r -> id.apply(r).toString().equals(open.id())))
                .forEach(open -> out.add(WireJson.read(open.request(), sharing.requestType())));
        out.sort(Comparator.comparing(id));
        return List.copyOf(out);
    }
}
