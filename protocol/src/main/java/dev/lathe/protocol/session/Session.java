package dev.lathe.protocol.session;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.ProjectId;
import dev.lathe.protocol.SessionId;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A conversation in one project folder. {@code model} is {@code provider/model}; {@code cost} is in micro-dollars.
 * Times are epoch millis. {@code importedFrom}: the harness whose history {@code lathe import --from} made it from
 * ({@code claude-code}, {@code opencode}, {@code codex}); its imported tokens were billed there, not by Lathe (issue 71).
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
        Optional<Long> archivedAt,
        Optional<SessionWorktree> worktree,
        Optional<String> importedFrom) {

    /** A session outside any worktree (the common case, and every session stored before worktrees existed). */
    public Session(SessionId id, ProjectId projectId, String directory, Optional<SessionId> parentId, String title, String agent,
            String model, long createdAt, long updatedAt, Optional<MessageId> revert, Usage usage, long cost, Optional<Long> archivedAt) {
        this(id, projectId, directory, parentId, title, agent, model, createdAt, updatedAt, revert, usage, cost, archivedAt, Optional.empty());
    }

    /** A session Lathe made itself (every one but an import's). */
    public Session(SessionId id, ProjectId projectId, String directory, Optional<SessionId> parentId, String title, String agent,
            String model, long createdAt, long updatedAt, Optional<MessageId> revert, Usage usage, long cost, Optional<Long> archivedAt,
            Optional<SessionWorktree> worktree) {
        this(id, projectId, directory, parentId, title, agent, model, createdAt, updatedAt, revert, usage, cost, archivedAt, worktree, Optional.empty());
    }

    /** This session as made from {@code harness}'s history ({@code lathe import --from}). */
    public Session imported(String harness) {
        return new Session(id, projectId, directory, parentId, title, agent, model, createdAt, updatedAt, revert, usage, cost, archivedAt, worktree,
                Optional.of(harness));
    }

    /** This session as running in {@code tree} (or in none). */
    public Session inWorktree(Optional<SessionWorktree> tree) {
        return new Session(id, projectId, directory, parentId, title, agent, model, createdAt, updatedAt, revert, usage, cost, archivedAt, tree, importedFrom);
    }

    public Session withTitle(String newTitle, long now) {
        return new Session(id, projectId, directory, parentId, newTitle, agent, model, createdAt, now, revert, usage, cost, archivedAt, worktree, importedFrom);
    }

    /** Hides the messages from {@code from} on (empty: shows everything again). */
    public Session withRevert(Optional<MessageId> from, long now) {
        return new Session(id, projectId, directory, parentId, title, agent, model, createdAt, now, from, usage, cost, archivedAt, worktree, importedFrom);
    }

    public Session withModel(String newModel, long now) {
        return new Session(id, projectId, directory, parentId, title, agent, newModel, createdAt, now, revert, usage, cost, archivedAt, worktree, importedFrom);
    }

    /** The agent that answers from the next message on (a prompt or {@code /agent} switched it). */
    public Session withAgent(String newAgent, long now) {
        return new Session(id, projectId, directory, parentId, title, newAgent, model, createdAt, now, revert, usage, cost, archivedAt, worktree, importedFrom);
    }

    public Session withUsage(Usage added, long addedCost, long now) {
        return new Session(id, projectId, directory, parentId, title, agent, model, createdAt, now, revert,
                usage.plus(added), cost + addedCost, archivedAt, worktree, importedFrom);
    }

    public Session archived(long now) {
        return new Session(id, projectId, directory, parentId, title, agent, model, createdAt, now, revert, usage, cost, Optional.of(now), worktree, importedFrom);
    }

    /** How the title of a session created without one starts. */
    public static final String UNTITLED_PREFIX = "New session - ";

    /** An untitled session's whole title: the prefix and its creation time, which its first prompt replaces. */
    private static final Pattern PLACEHOLDER = Pattern.compile(
            Pattern.quote(UNTITLED_PREFIX) + "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2})?");

    /**
     * Whether this session still has the title it was created with when none was given ({@code New session - DATE}):
     * a client shows "new session" for it rather than the date (issue 82: a worktree session, made before its first
     * prompt, showed it).
     */
    public boolean untitled() { return title.isBlank() || PLACEHOLDER.matcher(title).matches(); }

    /** Whether {@code title} is the placeholder a session created without one gets. */
    public static boolean placeholder(String title) { return PLACEHOLDER.matcher(title).matches(); }
}
