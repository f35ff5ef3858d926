package dev.lathe.protocol.event;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.QuestionId;
import dev.lathe.protocol.SessionId;
import java.util.List;

/** Questions a tool call put to the user; the call waits until a client replies (DESIGN §9, {@code question}). */
public record QuestionRequest(QuestionId id, SessionId sessionId, MessageId messageId, String callId, List<Question> questions,
        long createdAt) {
    public QuestionRequest {
        questions = List.copyOf(questions);
    }
}
