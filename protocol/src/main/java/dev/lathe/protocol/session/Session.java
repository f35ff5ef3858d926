package dev.lathe.protocol.session;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.ProjectId;
import dev.lathe.protocol.SessionId;
import java.util.Optional;

/**
 * A conversation in one project folder. {@code model} is {@code provider/model}; {@code cost} is in micro-dollars.
 * Times are epoch millis.
 */
public record Session(
        SessionId id,
        ProjectId projectId,
        String directory,
        Optional<SessionId> parentId,
        String title,
        String agent,
        String model,
        long createdAt,
        long updatedAt,
        Optional<MessageId> revert,
        Usage usage,
        long cost,
        Optional<Long> archivedAt) {

    public Session withTitle(String newTitle, long now) {
        return new Session(id, projectId, directory, parentId, newTitle, agent, model, createdAt, now, revert, usage, cost, archivedAt);
    }

    /** Hides the messages from {@code from} on (empty: shows everything again). */
    public Session withRevert(Optional<MessageId> from, long now) {
        return new Session(id, projectId, directory, parentId, title, agent, model, createdAt, now, from, usage, cost, archivedAt);
    }

    public Session withModel(String newModel, long now) {
        return new Session(id, projectId, directory, parentId, title, agent, newModel, createdAt, now, revert, usage, cost, archivedAt);
    }

    /** The agent that answers from the next message on (a prompt or {@code /agent} switched it). */
    public Session withAgent(String newAgent, long now) {
        return new Session(id, projectId, directory, parentId, title, newAgent, model, createdAt, now, revert, usage, cost, archivedAt);
    }

    public Session withUsage(Usage added, long addedCost, long now) {
        return new Session(id, projectId, directory, parentId, title, agent, model, createdAt, now, revert,
                usage.plus(added), cost + addedCost, archivedAt);
    }

    public Session archived(long now) {
        return new Session(id, projectId, directory, parentId, title, agent, model, createdAt, now, revert, usage, cost, Optional.of(now));
    }
}
