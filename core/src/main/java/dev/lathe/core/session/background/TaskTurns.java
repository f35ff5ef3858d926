package dev.lathe.core.session.background;

import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.session.Session;

/**
 * What a session's runner does around its turns for a fleet task (DESIGN §20, {@code lathe run --repo}): before them,
 * the node checks the task's branch out in its own copy of the repository; after each, it pushes the branch. Sessions
 * that are no tasks pass through unchanged.
 */
public interface TaskTurns {
    /**
     * A task's repository could not be fetched, checked out, committed or pushed (the message says what git said). Its
     * own type: any other failure of a run (a session deleted meanwhile, a conflict) is not the workspace's, and a
     * prompt waiting after it must still be answered.
     */
    public final class WorkspaceFailed extends RuntimeException {
        public WorkspaceFailed(LatheException cause) {
            super(cause.getMessage(), cause);
        }
    }

    TaskTurns NONE = new TaskTurns() {
        @Override public Session prepare(Session session) { return session; }

        @Override public void turnEnded(Session session) { }
    };

    /**
     * The session ready to run on this node: for a task, in this node's worktree of its branch as last pushed (the session
     * moved there when it ran elsewhere before).
     *
     * @throws WorkspaceFailed when the repository cannot be fetched or checked out
     */
    Session prepare(Session session);

    /**
     * After each turn: a task's changes committed and its branch pushed.
     *
     * @throws WorkspaceFailed when the commit or the push fails
     */
    void turnEnded(Session session);
}
