package dev.lathe.tui.view;

import dev.lathe.protocol.session.SessionWorktree;

/**
 * How every terminal listing names the worktree a session runs in (DESIGN §19): its branch, or for a folder a
 * {@code WorktreeCreate} hook made (no branch of Lathe's) its name; "removed" once Lathe removed it (the session's next
 * prompt makes it again).
 */
public final class WorktreeLabel {
    private WorktreeLabel() {}

    public static String of(SessionWorktree tree) {
        String what = tree.branch().isEmpty() ? "worktree " + tree.name() : tree.branch();
        return tree.removedAt().isPresent() ? what + " (removed)" : what;
    }
}
