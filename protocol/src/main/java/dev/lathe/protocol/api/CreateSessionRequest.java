package dev.lathe.protocol.api;

import dev.lathe.protocol.SessionId;
import java.util.Optional;

/** Body of {@code POST /sessions}. {@code directory} is the project folder (absolute). */
public record CreateSessionRequest(String directory, Optional<String> title, Optional<String> agent, Optional<String> model,
        Optional<SessionId> parentId) {
    public static CreateSessionRequest in(String directory) {
        return new CreateSessionRequest(directory, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    public CreateSessionRequest withModel(Optional<String> newModel) {
        return new CreateSessionRequest(directory, title, agent, newModel, parentId);
    }

    public CreateSessionRequest withAgent(Optional<String> newAgent) {
        return new CreateSessionRequest(directory, title, newAgent, model, parentId);
    }
}
