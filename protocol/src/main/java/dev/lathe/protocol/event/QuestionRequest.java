package dev.lathe.protocol.event;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.QuestionId;
import dev.lathe.protocol.SessionId;
import java.util.List;
import java.util.Optional;

/**
 * Questions a tool call put to the user; the call waits until a client replies (DESIGN §9, {@code question}).
 * {@code child}: which subagent asks, when the asking session is a child.
 */
public record QuestionRequest(QuestionId id, SessionId sessionId, MessageId messageId, String callId, List<Question> questions,
        long createdAt, Optional<AskingChild> child) {
    public QuestionRequest {
        questions = List.copyOf(questions);
        child = child == null ? Optional.empty() : child;
    }

    /** Questions of a session that is not a child's (or whose child is not named). */
    public QuestionRequest(QuestionId id, SessionId sessionId, MessageId messageId, String callId, List<Question> questions, long createdAt) {
        this(id, sessionId, messageId, callId, questions, createdAt, Optional.empty());
    }
}
