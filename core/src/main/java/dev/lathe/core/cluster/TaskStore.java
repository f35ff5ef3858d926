package dev.lathe.core.cluster;

import dev.lathe.protocol.SessionId;
import java.util.Optional;

/**
 * The fleet tasks of a team server (DESIGN §20, {@code lathe run --repo}), the tasks part of the {@link Cluster} port:
 * which sessions run in a worktree of a git repository every node clones for itself, so that whichever node takes such
 * a session checks its branch out in its own copy. One process has no fleet ({@link NoFleet}).
 */
public interface TaskStore {
    /**
     * Whether this cluster has a fleet that takes tasks: one process has none, keeps no tasks and has no task copies to
     * look after, and a new task is refused there before anything is fetched.
     */
    boolean fleet();

    /**
     * A session's task: the repository's URL as the user gave it, the commit its branch started from (so a node that
     * runs the first turn starts where the node that made the session did), and the worktree's name (branch
     * {@code lathe/NAME}).
     */
    record Task(String repo, String baseCommit, String name) {}

    /** Records {@code session}'s task; the session is stored already. */
    void record(SessionId session, Task task);

    /** The task {@code session} runs, if it is one. */
    Optional<Task> of(SessionId session);

    /** The tasks of every stored session (a deleted session's task goes with it). */
    java.util.List<Task> all();
}
