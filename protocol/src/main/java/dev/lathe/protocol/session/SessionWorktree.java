package dev.lathe.protocol.session;

import java.util.Optional;

/**
 * The git worktree a session runs in (DESIGN §19): its {@code name} (the folder under
 * {@code MAIN/.lathe/worktrees/}), its {@code branch} ({@code lathe/NAME}) and the {@code mainCheckout} it belongs to,
 * the repository folder whose session list shows it. {@code removedAt} (epoch millis) is set when Lathe removed the
 * worktree (unchanged at the session's end, or {@code lathe worktree remove}): the session is no longer "there", a new
 * worktree of the same name is not its, and its next prompt makes a worktree for it again.
 */
public record SessionWorktree(String name, String branch, String mainCheckout, Optional<Long> removedAt) {

    /** A worktree that is there. */
    public SessionWorktree(String name, String branch, String mainCheckout) {
        this(name, branch, mainCheckout, Optional.empty());
    }

    /** This worktree as removed at {@code at}. */
    public SessionWorktree removed(long at) {
        return new SessionWorktree(name, branch, mainCheckout, Optional.of(at));
    }
}
