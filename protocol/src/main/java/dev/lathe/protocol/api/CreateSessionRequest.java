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
     * is left out or blank ({@code "worktree": {}}). With {@code repo} (a git URL) it is a fleet task of a team server
     * (DESIGN §20, {@code lathe run --repo}): the node clones or fetches that repository and makes the worktree in its
     * own copy, from {@code base} (a branch, tag or commit of the repository; its default branch when left out), and
     * {@code directory} is not used.
     */
    public record NewWorktree(Optional<String> name, Optional<String> repo, Optional<String> base) {
        public NewWorktree {
            // {} is a complete request: JSON mapping leaves the missing fields null
            name = name == null ? Optional.empty() : name.filter(n -> !n.isBlank());
            repo = repo == null ? Optional.empty() : repo.filter(r -> !r.isBlank());
            base = base == null ? Optional.empty() : base.filter(b -> !b.isBlank());
        }

        /** A worktree of the repository at the request's {@code directory}. */
        public NewWorktree(Optional<String> name) {
            this(name, Optional.empty(), Optional.empty());
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

    /** This request with its session in the new worktree (or task) {@code tree}. */
    public CreateSessionRequest withWorktree(NewWorktree tree) {
        return new CreateSessionRequest(directory, title, agent, model, parentId, Optional.of(tree));
    }

    /** This request in {@code other}, the folder of the worktree just made for it. */
    public CreateSessionRequest inDirectory(String other) {
        return new CreateSessionRequest(other, title, agent, model, parentId, worktree);
    }
}
