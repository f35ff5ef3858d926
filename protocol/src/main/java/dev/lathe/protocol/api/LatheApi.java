package dev.lathe.protocol.api;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PermissionId;
import dev.lathe.protocol.QuestionId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.event.QuestionRequest;
import dev.lathe.protocol.session.Todo;
import dev.lathe.protocol.event.PermissionRequest;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.SessionStatus;
import java.util.List;

/**
 * The operations every client needs, with the same meaning in process (the server's own implementation) and over
 * HTTP (the client module). Every method may throw {@link ApiException} for a request it refuses; none blocks on a
 * running turn: {@link #prompt} returns as soon as the user message is stored and progress arrives as events.
 */
public interface LatheApi extends AutoCloseable {
    Session createSession(CreateSessionRequest request);

    /** Sessions of one project folder, newest first. */
    List<Session> sessions(String directory);

    Session session(SessionId id);

    SessionStatus status(SessionId id);

    List<MessageWithParts> messages(SessionId id);

    PromptAccepted prompt(SessionId id, PromptRequest request);

    void abort(SessionId id);

    /**
     * Restores the project's files to before {@code messageId} and hides that message and every later one, until
     * {@link #unrevert} or the next prompt (which drops them for good). Refused while the session is busy.
     */
    RevertResult revert(SessionId id, MessageId messageId);

    /** Puts the files back as they were before the revert and shows the hidden messages again. */
    RevertResult unrevert(SessionId id);

    /** Reverts the last turn: every file change since the last (visible) user message. */
    RevertResult undo(SessionId id);

    /** Undoes the revert: the same as {@link #unrevert}. */
    RevertResult redo(SessionId id);

    /** Asks waiting for an answer, in one folder or (empty string) everywhere. */
    List<PermissionRequest> permissions(String directory);

    void replyPermission(PermissionId id, PermissionReplyRequest reply);

    /** Questions waiting for an answer, in one folder or (empty string) everywhere. */
    List<QuestionRequest> questions(String directory);

    void replyQuestion(QuestionId id, QuestionReplyRequest reply);

    /** The session's todo list (empty when the model never wrote one). */
    List<Todo> todos(SessionId id);

    /**
     * Streams events matching {@code filter} with {@code seq > afterSeq} (0 = only new ones) until the returned
     * subscription is closed. A {@code resync} event tells the listener that events were lost.
     */
    AutoCloseable subscribe(EventFilter filter, long afterSeq, EventListener listener);

    @Override
    void close();
}
