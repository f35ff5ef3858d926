package dev.lathe.core.permission;

import dev.lathe.protocol.PermissionId;
import dev.lathe.protocol.api.ApiException;
import dev.lathe.protocol.api.PermissionReplyRequest;
import dev.lathe.protocol.event.PermissionReply;
import dev.lathe.protocol.event.PermissionRequest;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * Asks waiting for an answer, server-wide. {@link #await} blocks the asking tool's virtual thread until any client
 * replies through {@link #reply} or the turn is cancelled.
 */
public final class PermissionBroker {
    record Pending(PermissionRequest request, String directory, CompletableFuture<PermissionReplyRequest> answer) {}

    private final Map<PermissionId, Pending> pending = new ConcurrentHashMap<>();

    /** Registers an ask; the caller publishes it and then calls {@link #await}. */
    public void open(PermissionRequest request, String directory) {
        pending.put(request.id(), new Pending(request, directory, new CompletableFuture<>()));
    }

    /** Blocks until answered; cancellation completes it with a reject. */
    public PermissionReplyRequest await(PermissionId id) throws InterruptedException {
        Pending p = pending.get(id);
        if (p == null) throw new IllegalStateException("no pending ask " + id);
        try {
            return p.answer().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            pending.remove(id);
        }
    }

    public void cancel(PermissionId id) {
        Pending p = pending.get(id);
        if (p != null) p.answer().complete(new PermissionReplyRequest(PermissionReply.REJECT, java.util.Optional.of("aborted")));
    }

    /** @throws ApiException 404 when no such ask is waiting */
    public PermissionRequest reply(PermissionId id, PermissionReplyRequest reply) {
        Pending p = pending.get(id);
        if (p == null) throw ApiException.notFound("no pending permission " + id);
        p.answer().complete(reply);
        return p.request();
    }

    /** Whether a call of this session is blocked on an ask. */
    public boolean waitingIn(dev.lathe.protocol.SessionId session) {
        return pending.values().stream().anyMatch(p -> p.request().sessionId().equals(session));
    }

    public List<PermissionRequest> pending(String directory) {
        return pending.values().stream()
                .filter(p -> directory.isEmpty() || p.directory().equals(directory))
                .map(Pending::request)
                .sorted(Comparator.comparing(PermissionRequest::id))
                .toList();
    }
}
