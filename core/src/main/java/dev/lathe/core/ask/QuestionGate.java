package dev.lathe.core.ask;

import dev.lathe.core.permission.PermissionPolicy;
import dev.lathe.core.question.QuestionBroker;
import dev.lathe.llm.Cancellation;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.QuestionId;
import dev.lathe.protocol.api.QuestionReplyRequest;
import dev.lathe.protocol.event.AskingChild;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.Question;
import dev.lathe.protocol.event.QuestionRequest;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.tools.Questions;
import dev.lathe.tools.ToolFailure;
import java.util.List;

/**
 * The {@link Questions} port for one tool call: publishes {@code question.asked}, shows the session as
 * {@code waiting} and blocks until a client answers or the turn is cancelled (like {@link PermissionGate}). A
 * rejection becomes a {@link ToolFailure} whose message the model reads, so the turn goes on. Where nobody can answer
 * ({@link PermissionGate.Unattended}, DESIGN §26) the question is not asked: the model is told at once that nobody is
 * there, as {@code lathe run} tells it, unless {@code permission.unattended} is {@code wait}.
 */
public final class QuestionGate implements Questions {
    private final Session session;
    private final MessageId message;
    private final String callId;
    private final QuestionBroker broker;
    private final AskNotices journal;
    private final Cancellation cancellation;
    private final PermissionGate.Unattended unattended;

    public QuestionGate(Session session, MessageId message, String callId, QuestionBroker broker, AskNotices journal, Cancellation cancellation) {
        this(session, message, callId, broker, journal, cancellation, PermissionGate.Unattended.ATTENDED);
    }

    /** {@code unattended}: whether anyone can answer a question asked now. */
    public QuestionGate(Session session, MessageId message, String callId, QuestionBroker broker, AskNotices journal, Cancellation cancellation,
            PermissionGate.Unattended unattended) {
        this.unattended = unattended;
        this.session = session;
        this.message = message;
        this.callId = callId;
        this.broker = broker;
        this.journal = journal;
        this.cancellation = cancellation;
    }

    @Override
    public List<List<String>> ask(List<Question> questions) {
        if (cancellation.isCancelled()) throw new ToolFailure("The turn was aborted.");
        if (unattended.now().filter(u -> u != PermissionPolicy.Unattended.WAIT).isPresent()) {
            throw new ToolFailure(QuestionReplyRequest.UNAVAILABLE);
        }
        var request = new QuestionRequest(QuestionId.next(), session.id(), message, callId, questions, System.currentTimeMillis(), AskingChild.of(session));
        // judged again when a client leaves: an MCP server's elicitation in a background child is asked here too
        var left = new LeftUnanswered<QuestionReplyRequest>(unattended, AskHooks.NONE, "");
        var nobody = QuestionReplyRequest.rejected(QuestionReplyRequest.UNAVAILABLE);
        broker.open(request, session.directory(), () -> left.judge(nobody));
        journal.publish(new Event.QuestionAsked(request));
        journal.status(SessionStatus.WAITING);
        QuestionReplyRequest reply;
        try (AutoCloseable _ = cancellation.onCancel(() -> broker.cancel(request.id()))) {
            reply = broker.await(request.id());
        } catch (InterruptedException e) {
            // the asker gave up (an MCP call that timed out): clients drop the question, the session works again; the
            // interrupt is kept for the caller once that is told
            journal.publish(new Event.QuestionReplied(session.id(), request.id(), false));
            if (!cancellation.isCancelled()) journal.status(SessionStatus.BUSY);
            Thread.currentThread().interrupt();
            throw new ToolFailure("The turn was aborted.");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        if (cancellation.isCancelled()) throw new ToolFailure("The turn was aborted.");
        journal.publish(new Event.QuestionReplied(session.id(), request.id(), reply.answers().isPresent()));
        // nobody is left to answer (DESIGN §26): the model is told so, as when nobody could be asked at all
        if (reply == nobody) {
            journal.status(SessionStatus.BUSY);
            throw new ToolFailure(QuestionReplyRequest.UNAVAILABLE);
        }
        journal.status(SessionStatus.BUSY);
        return reply.answers().orElseThrow(() -> new ToolFailure(reply.rejection()
                .map(r -> r.equals(QuestionReplyRequest.UNAVAILABLE) ? r : "The user dismissed the questions: " + r)
                .orElse(QuestionReplyRequest.UNAVAILABLE)));
    }
}
