package dev.lathe.core.session.background;

import dev.lathe.core.session.context.LiveProject;
import dev.lathe.core.cluster.TaskStore;
import dev.lathe.core.session.journal.Journal;
import dev.lathe.core.worktree.TaskCheckouts;
import dev.lathe.core.worktree.Worktrees;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.CreateSessionRequest;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.EventEnvelope;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.SessionWorktree;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/**
 * Fleet tasks (DESIGN §20, {@code lathe run --attach URL --repo GIT_URL}): a session in a worktree of a repository that
 * each node of a team server clones for itself. The node the task is sent to fetches the repository and makes the
 * session in a new worktree of its copy (so a bad URL or base is refused at once, before anything is queued) and records
 * the task; whichever node takes the session's prompts then checks the branch out in its own copy ({@link #prepare}) and
 * pushes it after each turn ({@link #turnEnded}), so any node can continue the session.
 */
public final class FleetTasks implements TaskTurns {
    private static final System.Logger LOG = System.getLogger(FleetTasks.class.getName());
    private final TaskStore store;
    private final TaskCheckouts checkouts;
    /** The id of the project at a folder (a session that moves to this node's copy belongs to it here). */
    private final LiveProject.AtFolder projectAt;
    private final Journal journal;

    public FleetTasks(TaskStore store, TaskCheckouts checkouts, LiveProject.AtFolder projectAt, Journal journal) {
        this.store = store;
        this.checkouts = checkouts;
        this.projectAt = projectAt;
        this.journal = journal;
    }

    public static boolean isTask(CreateSessionRequest request) {
        return request.worktree().flatMap(CreateSessionRequest.NewWorktree::repo).isPresent();
    }

    /** A new task's session, made by {@code create} as a session in a new worktree of this node's copy of the repository. */
    public Session create(CreateSessionRequest request, Function<CreateSessionRequest, Session> create) {
        var tree = request.worktree().orElseThrow();
        String repo = tree.repo().orElseThrow();
        if (!store.fleet()) throw new LatheException.InvalidInput("a task in a repository (--repo) needs a team server: this server keeps "
                + "its sessions in SQLite on one machine; start the nodes with lathe serve --store postgresql://USER:PASSWORD@HOST:PORT/DATABASE");
        if (request.parentId().isPresent()) throw new LatheException.InvalidInput("a subagent's session cannot be a task in a repository");
        return checkouts.startNew(repo, tree.base(), tree.name(), start -> {
            Session session = create.apply(request.inDirectory(start.copy().toString())
                    .withWorktree(new CreateSessionRequest.NewWorktree(Optional.of(start.name()))));
            store.record(session.id(), new TaskStore.Task(repo, start.baseCommit(), start.name()));
            return session;
        });
    }

    @Override
    public Session prepare(Session session) {
        Optional<TaskStore.Task> task = store.of(session.id());
        if (task.isEmpty()) return session;
        Path here;
        try {
            here = checkouts.checkout(task.get().repo(), task.get().baseCommit(), task.get().name());
        } catch (LatheException e) {
            throw new WorkspaceFailed(e);
        }
        if (here.toString().equals(session.directory())) return session;
        // another node ran it last (or made it): from now on it runs in this node's copy, and is listed there
        var tree = new SessionWorktree(task.get().name(), Worktrees.BRANCH_PREFIX + task.get().name(), Worktrees.mainCheckout(here).toString());
        var moved = new Session(session.id(), projectAt.at(here.toString()).id(), here.toString(), session.parentId(), session.title(), session.agent(),
                session.model(), session.createdAt(), System.currentTimeMillis(), session.revert(), session.usage(), session.cost(), session.archivedAt(),
                Optional.of(tree), session.importedFrom());
        journal.session(moved);
        return moved;
    }

    @Override
    public void turnEnded(Session session) {
        Optional<TaskStore.Task> task = store.of(session.id());
        if (task.isEmpty()) return;
        try {
            checkouts.push(Path.of(session.directory()), task.get().name(), "Lathe task " + task.get().name() + ": a turn of session " + session.id().value());
        } catch (LatheException e) {
            throw new WorkspaceFailed(e);
        }
    }

    /**
     * A session deleted through any node (the event crosses nodes): this node's copies of tasks that no longer exist leave
     * now rather than at its next start. Not only the copy the event names (where the session ran last): the node a task
     * was sent to made a worktree for it too, and so did every node that ran a turn of it, and the event names none of
     * those, so each node compares its copies with the tasks the store still lists. The node that deleted it has removed
     * its own already; a node without copies reads nothing.
     */
    public void deleted(EventEnvelope envelope) {
        if (!store.fleet() || !(envelope.event() instanceof Event.SessionDeleted)) return;
        prune(envelope.directory().map(Path::of).filter(checkouts::holds));
    }

    /**
     * At the node's start, and when a session that ran here was deleted through another node: removes this node's copies
     * (worktrees and local branches) of tasks whose sessions no longer exist. The store unreadable: nothing is removed.
     */
    public void pruneCopies() { prune(Optional.empty()); }

    /**
     * As {@link #pruneCopies}; the worktree at {@code gone} (a deleted session's) goes even while the store still lists
     * its task: the event that says so may come before this node reads the delete.
     */
    private void prune(Optional<Path> gone) {
        if (!store.fleet()) return;
        try {
            var removed = checkouts.prune(() -> store.all().stream().map(t -> new TaskCheckouts.Task(t.repo(), t.name()))
                    .filter(t -> gone.map(g -> !checkouts.worktreeOf(t).toAbsolutePath().normalize().equals(g.toAbsolutePath().normalize())).orElse(true)).toList());
            if (!removed.isEmpty()) LOG.log(System.Logger.Level.INFO, "removed {0} task worktree(s) of deleted sessions: {1}", removed.size(), removed);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot prune the task copies of deleted sessions: " + e.getMessage());
        }
    }

    /**
     * What removes this node's copy of {@code id}'s task once the session is deleted (nothing for a session that is no
     * task): read before the delete, which takes the task's row with it. A failure is logged; the session is gone anyway.
     */
    public Runnable removalOf(SessionId id) {
        Optional<TaskStore.Task> task = store.of(id);
        if (task.isEmpty()) return () -> {};
        return () -> {
            try {
                checkouts.remove(task.get().repo(), task.get().name());
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot remove the task copy of deleted session " + id + ": " + e.getMessage());
            }
        };
    }
}
