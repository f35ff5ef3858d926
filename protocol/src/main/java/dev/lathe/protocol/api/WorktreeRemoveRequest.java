package dev.lathe.protocol.api;

/**
 * {@code DELETE /worktrees/{name}}: removes the worktree and its branch; a worktree with uncommitted changes or commits
 * no other branch holds is refused unless {@code force} says {@link Force#force}.
 */
public record WorktreeRemoveRequest(String directory, String name, Force force) {
    public enum Force { safe, force }
}
