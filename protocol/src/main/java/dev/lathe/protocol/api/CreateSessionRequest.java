package dev.lathe.protocol.api;

import dev.lathe.protocol.SessionId;
import java.util.Optional;

/**
 * Body of {@code POST /sessions}. {@code directory} is the project folder (absolute). With {@code worktree} the session
 * runs in a new worktree of the repository at {@code directory} (DESIGN §19), made after the session's id exists, so a
 * {@code WorktreeCreate} hook is told the session it works for, and the session records the worktree whoever made it.
 */
public record CreateSessionRequest(String directory, Optional<String> title, Optional<String> agent, Optional<String> model,
        Optional<SessionId> parentId, Optional<NewWorktree> worktree) {

    /**
     * {@code "worktree": {"name": NAME}} of {@code POST /sessions}: the new worktree's name, or a generated one when it
     * is left out or blank ({@code "worktree": {}}).
     */
    public record NewWorktree(Optional<String> name) {
        public NewWorktree {
            // {} is a complete request: JSON mapping leaves the missing name null
            name = name == null ? Optional.empty() : name.filter(n -> !n.isBlank());
        }
    }

    /** A request without a new worktree: the session runs in {@code directory} itself. */
    public CreateSessionRequest(String directory, Optional<String> title, Optional<String> agent, Optional<String> model, Optional<SessionId> parentId) {
        this(directory, title, agent, model, parentId, Optional.empty());
    }

    public static CreateSessionRequest in(String directory) {
        return new CreateSessionRequest(directory, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    public CreateSessionRequest withModel(Optional<String> newModel) {
        return new CreateSessionRequest(directory, title, agent, newModel, parentId, worktree);
    }

    public CreateSessionRequest withAgent(Optional<String> newAgent) {
        return new CreateSessionRequest(directory, title, newAgent, model, parentId, worktree);
    }

    /** This request, its session in a new worktree of {@code directory}'s repository named {@code name} (generated when empty). */
    public CreateSessionRequest inNewWorktree(Optional<String> name) {
        return new CreateSessionRequest(directory, title, agent, model, parentId, Optional.of(new NewWorktree(name)));
    }

    /** This request in {@code other}, the folder of the worktree just made for it. */
    public CreateSessionRequest inDirectory(String other) {
        return new CreateSessionRequest(other, title, agent, model, parentId, worktree);
    }
}
