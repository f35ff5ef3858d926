package dev.lathe.server.http;

import dev.lathe.protocol.PermissionId;
import dev.lathe.protocol.QuestionId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.LatheApi;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.server.users.User;
import dev.lathe.server.users.Users;
import java.util.Map;
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
    void check(Rights rights, User user, Map<String, String> params) {
        if (user.admin() || rights == Rights.ANYONE) return;
        switch (rights) {
            case ADMIN -> throw new LatheException.Forbidden("only an admin of this team server may do this; you are signed in as '" + user.name() + "'");
            case SESSION_OWNER -> owned(Call.parseId(params.get("id"), SessionId::new), user);
            case ASK_OWNER -> {
                PermissionId id = Call.parseId(params.get("id"), PermissionId::new);
                api.permissions("").stream().filter(p -> p.id().equals(id)).findFirst().ifPresent(p -> owned(p.sessionId(), user));
            }
            case QUESTION_OWNER -> {
                QuestionId id = Call.parseId(params.get("id"), QuestionId::new);
                api.questions("").stream().filter(q -> q.id().equals(id)).findFirst().ifPresent(q -> owned(q.sessionId(), user));
            }
            case EDITOR_OWNER -> {
                Optional<SessionId> session;
                try {
                    session = Optional.of(api.editorRequest(params.get("requestId")).sessionId());
                } catch (LatheException.NotFound e) {
                    session = Optional.empty();
                }
                session.ifPresent(s -> owned(s, user));
            }
            case ANYONE -> { }
        }
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
