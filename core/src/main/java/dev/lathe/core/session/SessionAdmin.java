package dev.lathe.core.session;

import dev.lathe.core.session.history.Reverts;
import dev.lathe.core.session.journal.Journal;
import dev.lathe.core.session.runner.Runners;
import dev.lathe.core.snapshot.Snapshots;
import dev.lathe.core.store.SessionStore;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.MessageUsage;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.api.SessionUsage;
import dev.lathe.protocol.api.UpdateSessionRequest;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Quota;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.tools.BackgroundCommands;
import dev.lathe.tools.builtin.FileReads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Renaming, archiving, deleting, children, statuses and usage of sessions. Deleting stops whatever runs in the
 * session and in every session below it first (bounded), then removes them all, for good, in one transaction.
 */
final class SessionAdmin {
    /** How long a delete waits for running turns to stop after aborting them; tools are killed within about 2 s. */
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final System.Logger LOG = System.getLogger(SessionAdmin.class.getName());

    private final SessionStore store;
    private final Journal journal;
    private final Runners runners;
    /** The commands sessions run in the background: a deleted session's are killed with it. */
    private final BackgroundCommands background;
    private final Function<Session, Snapshots> snapshots;
    private final SessionLocks locks;

    SessionAdmin(SessionStore store, Journal journal, Runners runners, Function<Session, Snapshots> snapshots, SessionLocks locks,
            BackgroundCommands background) {
        this.background = background;
        this.store = store;
        this.journal = journal;
        this.runners = runners;
        this.snapshots = snapshots;
        this.locks = locks;
    }

    /** Sessions of {@code directory} (normalised; empty: every folder) that are not idle. */
    Map<SessionId, SessionStatus> statuses(String directory) {
        Map<SessionId, SessionStatus> out = new LinkedHashMap<>();
        runners.active().forEach((id, status) -> store.find(id)
                .filter(s -> directory.isEmpty() || s.directory().equals(directory))
                .ifPresent(s -> out.put(id, status)));
        return out;
    }

    /**
     * A new title and/or archived state; the session moves to the top of its folder's list, like any change. The
     * request's shape (no {@code null}s, something to change, a title not blank) was checked where it entered.
     */
    Session update(SessionId id, UpdateSessionRequest request) {
        Optional<String> title = request.title().map(String::strip);
        long now = System.currentTimeMillis();
        Session updated = journal.modify(id, s -> {
            Session out = s;
            if (title.isPresent()) out = out.withTitle(title.get(), now);
            if (request.archived().isPresent()) {
                boolean archive = request.archived().get();
                // archiving twice keeps the first time
                if (archive && out.archivedAt().isEmpty()) out = out.archived(now);
                if (!archive && out.archivedAt().isPresent()) out = unarchived(out, now);
            }
            return out;
        }).orElseThrow(() -> new LatheException.NotFound("no session " + id));
        // an archived session runs nothing on: its background commands, and its children's, end with their whole trees
        if (request.archived().orElse(false)) store.tree(id).forEach(s -> background.killSession(s.id().value()));
        return updated;
    }

    /**
     * Stops and deletes {@code session} and every session below it. 409 (and nothing deleted) when a running turn does
     * not stop within {@link #STOP_TIMEOUT}.
     */
    void delete(Session session) {
        long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
        List<SessionId> stopped = new ArrayList<>();
        List<Session> tree;
        // a turn stopped here may have started a subagent's session meanwhile: read the tree again until nothing is new
        while (true) {
            tree = store.tree(session.id());
            List<Session> fresh = tree.stream().filter(s -> !stopped.contains(s.id())).toList();
            if (fresh.isEmpty()) break;
            for (Session s : fresh) {
                Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
                if (!runners.retire(s.id(), left)) {
                    stopped.forEach(runners::reopen);
                    throw new LatheException.Conflict("session " + s.id() + " did not stop within " + STOP_TIMEOUT.toSeconds()
                            + " s after the abort; nothing was deleted, try again");
                }
                stopped.add(s.id());
            }
        }
        // operations writing into these sessions finish first; later ones find them gone (404), never half-deleted rows
        List<Session> stoppedTree = tree;
        locks.writing(stoppedTree.stream().map(Session::id).toList(), () -> {
            for (Session s : stoppedTree) {
                background.killSession(s.id().value());
                FileReads.shared().forgetSession(s.id().value());
                if (s.revert().isPresent()) dropUnrevertRef(s);
            }
            store.delete(stoppedTree.stream().map(Session::id).toList());
            for (Session s : stoppedTree.reversed()) {
                runners.forget(s.id());
                journal.of(s).publish(new Event.SessionDeleted(s.id()));
            }
        });
    }

    List<Session> children(SessionId id) {
        return store.children(id);
    }

    /**
     * The session's recorded totals (every turn it ran, including turns a revert later dropped) and the share of each
     * stored assistant message, hidden ones included, oldest first; the latest rate-limit window of each name.
     */
    static SessionUsage usage(Session session, List<MessageWithParts> history) {
        List<MessageUsage> perMessage = history.stream()
                .filter(m -> m.info() instanceof AssistantMessage)
                .map(m -> (AssistantMessage) m.info())
                .map(a -> new MessageUsage(a.id(), a.model(), a.usage(), a.cost()))
                .toList();
        List<List<Quota>> reported = history.stream().flatMap(m -> m.parts().stream())
                .flatMap(p -> p instanceof Part.StepFinish f && !f.quota().isEmpty() ? Stream.of(f.quota()) : Stream.empty()).toList();
        return new SessionUsage(session.id(), session.usage(), session.cost(), perMessage, session.usage().hitRatio(), Quota.latestPerName(reported));
    }

    /** The tree a pending revert would come back to is garbage once the session is gone. */
    private void dropUnrevertRef(Session s) {
        try {
            snapshots.apply(s).keep(Reverts.refName(s), Optional.empty());
        } catch (RuntimeException e) {
            // a broken config or a folder that is gone must not keep a session from being deleted; gc copes with the ref
            LOG.log(System.Logger.Level.WARNING, "cannot drop the revert snapshot of " + s.id() + ": " + e.getMessage());
        }
    }

    private static Session unarchived(Session s, long now) {
        return new Session(s.id(), s.projectId(), s.directory(), s.parentId(), s.title(), s.agent(), s.model(), s.createdAt(), now, s.revert(),
                s.usage(), s.cost(), Optional.empty(), s.worktree(), s.importedFrom());
    }
}
