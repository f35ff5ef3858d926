package dev.lathe.core.worktree;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The {@code WorktreeCreate} and {@code WorktreeRemove} hooks of the project a worktree is made for, in Claude Code's
 * contract: a {@code WorktreeCreate} hook replaces {@code git worktree add} (for another version control system, or a
 * checkout made elsewhere) and prints the folder it made; {@code WorktreeRemove} hooks are told of every removal and
 * cannot stop it.
 */
public interface WorktreeHooks {
    /** Whether the project at {@code directory} has a {@code WorktreeCreate} hook, which then makes its worktrees instead of git. */
    boolean creates(Path directory);

    /**
     * Runs the project's {@code WorktreeCreate} hook for worktree {@code name} and answers the folder it made
     * (absolute, canonical).
     *
     * @param sessionId the session the worktree is made for (a subagent's parent), when there is one
     * @throws dev.lathe.protocol.api.LatheException.Failed when a hook failed or did not print one absolute folder
     */
    Path create(Path directory, String name, Optional<String> sessionId);

    /**
     * Tells the project's {@code WorktreeRemove} hooks that {@code worktree} is being removed; never throws.
     *
     * @param sessionId the newest session that ran in the worktree, when there was one (the hook input's {@code session_id})
     */
    void removing(Path directory, Path worktree, Optional<String> sessionId);

    /** No hooks: git makes and removes every worktree. */
    WorktreeHooks NONE = new WorktreeHooks() {
        @Override public boolean creates(Path directory) { return false; }

        @Override public Path create(Path directory, String name, Optional<String> sessionId) {
            throw new IllegalStateException("no WorktreeCreate hook");
        }

        @Override public void removing(Path directory, Path worktree, Optional<String> sessionId) {}
    };
}
