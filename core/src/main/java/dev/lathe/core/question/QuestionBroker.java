package dev.lathe.core.question;

import dev.lathe.protocol.QuestionId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.ApiException;
import dev.lathe.protocol.api.QuestionReplyRequest;
import dev.lathe.protocol.event.QuestionRequest;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * Questions waiting for an answer, server-wide; the same blocking pattern as permission asks: {@link #await} blocks
 * the asking tool's virtual thread until any client replies through {@link #reply} or the turn is cancelled.
 */
public final class QuestionBroker {
    private record Pending(QuestionRequest request, String directory, CompletableFuture<QuestionReplyRequest> answer) {}

    private final Map<QuestionId, Pending> pending = new ConcurrentHashMap<>();

    /** Registers a question; the caller publishes it and then calls {@link #await}. */
    public void open(QuestionRequest request, String directory) {
        pending.put(request.id(), new Pending(request, directory, new CompletableFuture<>()));
    }

    /** Blocks until answered; cancellation completes it with a rejection. */
    public QuestionReplyRequest await(QuestionId id) throws InterruptedException {
        Pending p = pending.get(id);
        if (p == null) throw new IllegalStateException("no pending question " + id);
        try {
            return p.answer().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            pending.remove(id);
        }
    }

    public void cancel(QuestionId id) {
        Pending p = pending.get(id);
        if (p != null) p.answer().complete(QuestionReplyRequest.rejected("The turn was aborted."));
    }

    /** @throws ApiException 404 when no such question is waiting, 400 when the reply is neither answers nor a rejection */
    public QuestionRequest reply(QuestionId id, QuestionReplyRequest reply) {
        if (reply == null || reply.answers() == null || reply.rejection() == null
                || reply.answers().isPresent() == reply.rejection().isPresent()) {
            throw ApiException.badRequest("a question reply holds either \"answers\" (one list per question) or a \"rejection\"");
        }
        Pending p = pending.get(id);
        if (p == null) throw ApiException.notFound("no pending question " + id);
        p.answer().complete(reply);
        return p.request();
    }

    public boolean waitingIn(SessionId session) {
        return pending.values().stream().anyMatch(p -> p.request().sessionId().equals(session));
    }

    public List<QuestionRequest> pending(String directory) {
        return pending.values().stream()
                .filter(p -> directory.isEmpty() || p.directory().equals(directory))
                .map(Pending::request)
                .sorted(Comparator.comparing(QuestionRequest::id))
                .toList();
    }
}
