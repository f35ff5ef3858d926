package dev.lathe.server.http;

import dev.lathe.protocol.PermissionId;
import dev.lathe.protocol.QuestionId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.LatheApi;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.server.users.User;
import dev.lathe.server.users.Users;
import dev.lathe.protocol.api.WorktreeInfo;
import dev.lathe.protocol.session.Session;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Whether a user may call a route ({@link Rights}): everyone sees and watches every session; only its owner or an admin
 * changes it. A session's owner is the one recorded for it, else its parent's (a subagent's child session belongs to
 * whoever owns the parent); a session with none (made before accounts existed) is changed only by admins. An id
 * that names nothing passes, so the route answers its own 404.
 */
final class SessionAccess {
    private static final int MAX_DEPTH = 64;

    private final LatheApi api;
    private final Users users;

    SessionAccess(LatheApi api, Users users) {
        this.api = api;
        this.users = users;
    }

    /** @throws LatheException.Forbidden saying who may, when {@code user} may not */
    void check(Rights rights, User user, Call call) {
        if (rights == Rights.LOCAL_OWNER && user.account()) {
            throw new LatheException.Forbidden("only the node's own user (the token in its server.json) may do this; you are signed in as '"
                    + user.name() + "'");
        }
        if (user.admin() || !rights.needsCredential() || rights == Rights.ANY_USER) return;
        switch (rights) {
            case ADMIN -> throw new LatheException.Forbidden("only an admin of this team server may do this; you are signed in as '" + user.name() + "'");
            case SESSION_OWNER -> owned(Call.parseId(call.param("id"), SessionId::new), user);
            case ASK_OWNER -> {
                PermissionId id = Call.parseId(call.param("id"), PermissionId::new);
                api.permissions("").stream().filter(p -> p.id().equals(id)).findFirst().ifPresent(p -> owned(p.sessionId(), user));
            }
            case QUESTION_OWNER -> {
                QuestionId id = Call.parseId(call.param("id"), QuestionId::new);
                api.questions("").stream().filter(q -> q.id().equals(id)).findFirst().ifPresent(q -> owned(q.sessionId(), user));
            }
            case EDITOR_OWNER -> {
                Optional<SessionId> session;
                try {
                    session = Optional.of(api.editorRequest(call.param("requestId")).sessionId());
                } catch (LatheException.NotFound e) {
                    session = Optional.empty();
                }
                session.ifPresent(s -> owned(s, user));
            }
            case WORKTREE_OWNER -> worktreeOwned(call.directory(), call.param("name"), user);
            case SCHEDULE_OWNER -> scheduleOwned(call.param("id"), user);
            case TEAM_OWNER -> teamOwned(call.param("id"), user);
            case PUBLIC, ANY_USER, LOCAL_OWNER -> { }
        }
    }

    /**
     * A session a caller makes or imports may hang under {@code parent} only when the parent is the caller's (or the caller
     * is an admin): a child's owner is its parent's, and its usage counts toward the parent's limits (issue 52).
     *
     * @throws LatheException.Forbidden when the parent is another user's
     */
    void checkParent(User user, Optional<SessionId> parent) {
        if (user.admin() || parent.isEmpty()) return;
        owned(parent.get(), user);
    }

    /**
     * An import stores a session under the id its file names: when that id is a session already, it is replaced, so it
     * must be the caller's; and it may name a parent only of the caller's ({@link #checkParent}).
     */
    void checkImport(User user, SessionId imported, Optional<SessionId> parent) {
        if (user.admin()) return;
        owned(imported, user);
        checkParent(user, parent);
    }

    /**
     * The worktree {@code name} of the repository holding {@code directory} is the caller's when every session that ran in
     * it is; one that no session ran in is an admin's (no session records whose it is).
     */
    private void worktreeOwned(Optional<String> directory, String name, User user) {
        if (directory.isEmpty()) return;  // the route answers its own 400
        List<WorktreeInfo> trees;
        try {
            trees = api.worktrees(directory.get());
        } catch (LatheException e) {
            return;  // not a repository, or unknown: the route answers the same error
        }
        Optional<WorktreeInfo> tree = trees.stream().filter(w -> w.name().equals(name)).findFirst();
        if (tree.isEmpty()) return;  // the route answers its own 404
        Path root = Path.of(tree.get().path()).normalize();
        List<Session> inside = api.sessions("").stream().filter(s -> Path.of(s.directory()).normalize().startsWith(root)).toList();
        if (inside.isEmpty()) {
            throw new LatheException.Forbidden("no session ran in worktree '" + name + "': only an admin may end it; you are signed in as '"
                    + user.name() + "'");
        }
        for (Session s : inside) owned(s.id(), user);
    }

    /** A team is its lead session's owner's: another user's is refused, one that does not exist passes (the route answers 404). */
    private void teamOwned(String id, User user) {
        SessionId lead;
        try {
            lead = api.team(id).lead();
        } catch (LatheException.NotFound e) {
            return;
        }
        owned(lead, user);
    }

    /** A schedule is its adder's: another user's is refused, one that does not exist passes (the route answers 404). */
    private void scheduleOwned(String id, User user) {
        var schedule = api.schedules().stream().filter(s -> s.id().equals(id)).findFirst();
        if (schedule.isEmpty() || schedule.get().owner().equals(ScheduleRoutes.ownerName(user))) return;
        throw new LatheException.Forbidden("schedule " + id + " is another user's: only its owner or an admin may remove it; you are signed in as '"
                + user.name() + "'");
    }

    /** The owner of {@code session} (its own, else its nearest ancestor's), or empty when none is recorded or it is unknown. */
    Optional<String> ownerOf(SessionId session) {
        SessionId at = session;
        for (int depth = 0; depth < MAX_DEPTH; depth++) {
            Optional<String> owner = users.ownerOf(at);
            if (owner.isPresent()) return owner;
            Optional<SessionId> parent;
            try {
                parent = api.session(at).parentId();
            } catch (LatheException.NotFound e) {
                return Optional.empty();
            }
            if (parent.isEmpty()) return Optional.empty();
            at = parent.get();
        }
        return Optional.empty();
    }

    private void owned(SessionId session, User user) {
        Optional<String> owner = ownerOf(session);
        if (owner.isPresent() && owner.get().equals(user.name())) return;
        try {
            api.session(session);
        } catch (LatheException.NotFound e) {
            return;  // nothing to protect: the route answers 404
        }
        throw new LatheException.Forbidden("session " + session.value() + (owner.map(o -> " belongs to '" + o + "'").orElse(" has no owner"))
                + ": only its owner or an admin may change it; you are signed in as '" + user.name() + "' (you can still watch it)");
    }
}
