package dev.lathe.core.question;

import dev.lathe.core.reply.LocalAsks;
import dev.lathe.core.reply.PendingReplies;
import dev.lathe.core.reply.TeamAsks;
import dev.lathe.protocol.QuestionId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.QuestionReplyRequest;
import dev.lathe.protocol.event.QuestionRequest;
import java.util.List;

/**
 * Questions waiting for an answer, server-wide; the same blocking pattern as permission asks: {@link #await} blocks
 * the asking tool's virtual thread until any client replies through {@link #reply} or the turn is cancelled.
 */
public final class QuestionBroker {
    private final PendingReplies<QuestionId, QuestionRequest, QuestionReplyRequest> questions;

    /** A broker of one process's questions (tests). */
    public QuestionBroker() {
        this(LocalAsks.INSTANCE);
    }

    /** @param team the cluster's asks (DESIGN §20): on a team server, answered through any node */
    public QuestionBroker(TeamAsks team) {
        this.questions = new PendingReplies<>(QuestionRequest::id, QuestionRequest::sessionId, new PendingReplies.Sharing<>(team,
                TeamAsks.Kind.QUESTION, QuestionRequest.class, QuestionReplyRequest.class));
    }

    /** Registers a question; the caller publishes it and then calls {@link #await}. */
    public void open(QuestionRequest request, String directory) { questions.open(request, directory); }

    /** Registers a question that {@code unanswered} judges again whenever a client leaves ({@link #rejudge}, DESIGN §26). */
    public void open(QuestionRequest request, String directory, java.util.function.Supplier<java.util.Optional<QuestionReplyRequest>> unanswered) {
        questions.open(request, directory, unanswered::get);
    }

    /** A client left: every waiting question is judged again ({@link PendingReplies#rejudge}). */
    public void rejudge() { questions.rejudge(); }

    /** Blocks until answered; cancellation completes it with a rejection. */
    public QuestionReplyRequest await(QuestionId id) throws InterruptedException { return questions.await(id); }

    public void cancel(QuestionId id) { questions.complete(id, QuestionReplyRequest.rejected("The turn was aborted.")); }

    /** @throws LatheException.NotFound when no such question is waiting, {@link LatheException.InvalidInput} when the reply is neither answers nor a rejection */
    public QuestionRequest reply(QuestionId id, QuestionReplyRequest reply) {
        if (reply == null || reply.answers() == null || reply.rejection() == null
                || reply.answers().isPresent() == reply.rejection().isPresent()) {
            throw new LatheException.InvalidInput("a question reply holds either \"answers\" (one list per question) or a \"rejection\"");
        }
        return questions.reply(id, reply).orElseThrow(() -> new LatheException.NotFound("no pending question " + id));
    }

    public boolean waitingIn(SessionId session) { return questions.waitingIn(session); }

    public List<QuestionRequest> pending(String directory) { return questions.pending(directory); }
}
