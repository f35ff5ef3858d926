package dev.lathe.tui;

import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.LatheApi;
import dev.lathe.protocol.session.Session;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Who owns a session, for the session header and {@code /sessions} (DESIGN §20 "Users"): on a team server with
 * accounts, the owner recorded for it or for the session it was started from (a subagent's child is its parent's).
 * Without accounts the server lists no owner and the terminal UI shows none, as before.
 */
record SessionOwners(Map<SessionId, String> recorded) {
    static SessionOwners of(LatheApi api) {
        try {
            return new SessionOwners(Map.copyOf(api.owners()));
        } catch (RuntimeException e) {
            return new SessionOwners(Map.of());  // an older server without the route: no owners to show
        }
    }

    boolean none() {
        return recorded.isEmpty();
    }

    /** The owner of {@code s}, looking up its parents among {@code known} (and through {@code api} when not there). */
    Optional<String> of(Session s, Collection<Session> known, LatheApi api) {
        Map<SessionId, Session> byId = new HashMap<>();
        known.forEach(k -> byId.put(k.id(), k));
        Session at = s;
        for (int depth = 0; depth < 64 && at != null; depth++) {
            String owner = recorded.get(at.id());
            if (owner != null) return Optional.of(owner);
            if (at.parentId().isEmpty()) return Optional.empty();
            SessionId parent = at.parentId().get();
            at = byId.containsKey(parent) ? byId.get(parent) : parentOf(api, parent);
        }
        return Optional.empty();
    }

    /**
     * Whether this caller may prompt a session of {@code owner} and answer its asks: the owner or an admin (DESIGN §20
     * "Users"). Asked only for a session with an owner, which exists only on a team server; a server that cannot say
     * is left to answer each request as it may.
     */
    static boolean mayAct(LatheApi api, String owner) {
        try {
            return api.me().map(me -> !me.team() || me.admin() || me.name().equals(owner)).orElse(true);
        } catch (RuntimeException e) {
            return true;
        }
    }

    private static Session parentOf(LatheApi api, SessionId id) {
        try {
            return api.session(id);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
