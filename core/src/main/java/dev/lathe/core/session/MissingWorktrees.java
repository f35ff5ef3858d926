package dev.lathe.core.session;

import dev.lathe.core.session.context.LiveProject;
import dev.lathe.core.session.journal.Journal;
import dev.lathe.core.store.SessionStore;
import dev.lathe.core.worktree.WorktreeLocation;
import dev.lathe.core.worktree.Worktrees;
import dev.lathe.protocol.ProjectId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.SessionWorktree;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sessions whose folder is gone (issue 53): a session's worktree is removed when it ends unchanged, by {@code lathe
 * worktree remove}, or by hand, and the session can still be resumed. Its next prompt makes a worktree for it again
 * ({@link Worktrees#revive}) and moves the session there; what cannot be made again (a folder that was no worktree, one
 * a {@code WorktreeCreate} hook made, a repository that is gone) is refused in one line. No tool ever runs in a folder
 * that does not exist. Also the other way round: a removed worktree's sessions are marked so ({@link #removed}), so a new
 * worktree of the same name is not theirs.
 */
final class MissingWorktrees {
    private static final System.Logger LOG = System.getLogger(MissingWorktrees.class.getName());

    private final SessionStore store;
    private final Journal journal;
    private final Worktrees worktrees;
    /** The id of the project at a folder (a session that moves to a new worktree belongs to it). */
    private final LiveProject.AtFolder projectAt;
    private final ConcurrentHashMap<SessionId, Object> locks = new ConcurrentHashMap<>();

    MissingWorktrees(SessionStore store, Journal journal, Worktrees worktrees, LiveProject.AtFolder projectAt) {
        this.store = store;
        this.journal = journal;
        this.worktrees = worktrees;
        this.projectAt = projectAt;
    }

    /** Whether session {@code s} cannot run where it is recorded: its worktree was removed, or its folder is gone. */
    static boolean lost(Session s) {
        return s.worktree().flatMap(SessionWorktree::removedAt).isPresent() || !Files.isDirectory(Path.of(s.directory()));
    }

    /**
     * Session {@code id} ready to run on this machine: as it is when its folder is there; moved to a worktree made again
     * when its own was removed.
     *
     * @throws LatheException.Conflict when its folder is gone and cannot be made again, saying what to do instead
     */
    Session ready(SessionId id) {
        Session session = get(id);
        if (!lost(session)) return session;
        synchronized (locks.computeIfAbsent(id, _ -> new Object())) {
            try {
                // two prompts at once: the second finds the first one's worktree
                session = get(id);
                if (!lost(session)) return session;
                return revive(session);
            } finally {
                locks.remove(id);
            }
        }
    }

    private Session revive(Session session) {
        String id = session.id().value();
        if (session.worktree().isEmpty()) {
            throw new LatheException.Conflict("session " + id + " cannot go on: its folder " + session.directory()
                    + " no longer exists; start a new session in another folder (lathe run --dir DIR MESSAGE)");
        }
        SessionWorktree tree = session.worktree().get();
        if (tree.branch().isEmpty()) {
            throw new LatheException.Conflict("session " + id + " cannot go on: its worktree " + tree.name() + " (made by a WorktreeCreate hook at "
                    + session.directory() + ") is gone, and only that hook can make it again; start a new session with lathe --worktree");
        }
        Path main = Path.of(tree.mainCheckout());
        // only a record that holds together is acted on: the folder the session ran in is that repository's worktree of
        // that name (an imported session's record comes from a file, and names no other repository to write in)
        if (!main.isAbsolute() || !main.resolve(WorktreeLocation.FOLDER).resolve(tree.name()).normalize().equals(Path.of(session.directory()).normalize())) {
            throw new LatheException.Conflict("session " + id + " cannot go on: its folder " + session.directory()
                    + " no longer exists, and it is not a worktree Lathe can make again; start a new session (lathe run --dir DIR MESSAGE)");
        }
        if (!Files.isDirectory(main)) {
            throw new LatheException.Conflict("session " + id + " cannot go on: it ran in worktree " + tree.name() + " of " + main
                    + ", and that repository no longer exists");
        }
        Worktrees.Revived revived;
        try {
            revived = worktrees.revive(main, tree.name());
        } catch (LatheException e) {
            throw new LatheException.Conflict("session " + id + " cannot go on: its worktree " + tree.name() + " was removed and cannot be made again: "
                    + e.getMessage());
        }
        String path = revived.tree().path();
        ProjectId project = projectAt.at(path).id();
        Optional<SessionWorktree> now = Optional.of(WorktreeLocation.recorded(revived.tree()));
        Session moved = journal.modify(session.id(), s -> new Session(s.id(), project, path, s.parentId(), s.title(), s.agent(), s.model(),
                s.createdAt(), System.currentTimeMillis(), s.revert(), s.usage(), s.cost(), s.archivedAt(), now, s.importedFrom()))
                .orElseThrow(() -> new LatheException.NotFound("no session " + id));
        LOG.log(System.Logger.Level.INFO, "session {0}: its worktree {1} was removed; made again at {2} {3}", id, tree.name(), path, revived.how());
        return moved;
    }

    /** Marks the sessions recorded in worktree folder {@code path} as no longer there (the worktree was removed). */
    static void removed(SessionStore store, Journal journal, Path path) {
        long now = System.currentTimeMillis();
        for (Session s : store.byDirectory(path.toString())) {
            Optional<SessionWorktree> tree = s.worktree().filter(t -> t.removedAt().isEmpty());
            if (tree.isEmpty()) continue;
            try {
                journal.modify(s.id(), current -> current.inWorktree(current.worktree().map(t -> t.removedAt().isPresent() ? t : t.removed(now))));
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot mark session " + s.id() + " as out of its removed worktree " + path + ": " + e.getMessage());
            }
        }
    }

    private Session get(SessionId id) {
        return store.find(id).orElseThrow(() -> new LatheException.NotFound("no session " + id));
    }
}
