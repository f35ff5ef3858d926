package dev.lathe.protocol.session;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.SessionId;
import java.util.Optional;

/**
 * One model answer (all steps of a turn). {@code finish} is the last step's normalised reason
 * ({@code stop | tool_calls | length | content_filter | error}); {@code cost} is in micro-dollars. While the answer
 * runs, {@code usage} and {@code cost} are those of its responses so far; once it is completed they are its totals.
 */
public record AssistantMessage(
        MessageId id,
        SessionId sessionId,
        MessageId parentId,
        String agent,
        String model,
        long createdAt,
        Optional<Long> completedAt,
        Optional<String> finish,
        Optional<MessageError> error,
        Usage usage,
        long cost) implements Message {

    /** The answer still running, with what its responses so far used and cost. */
    public AssistantMessage spentSoFar(Usage soFar, long costSoFar) {
        return new AssistantMessage(id, sessionId, parentId, agent, model, createdAt, completedAt, finish, error, soFar, costSoFar);
    }

    public AssistantMessage completed(long at, String finishReason, Usage total, long totalCost) {
        return new AssistantMessage(id, sessionId, parentId, agent, model, createdAt, Optional.of(at),
                Optional.of(finishReason), error, total, totalCost);
    }

    public AssistantMessage failed(long at, MessageError failure, Usage total, long totalCost) {
        return new AssistantMessage(id, sessionId, parentId, agent, model, createdAt, Optional.of(at),
                Optional.of("error"), Optional.of(failure), total, totalCost);
    }
}
