package dev.lathe.server.http;

import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.CreateSessionRequest;
import dev.lathe.protocol.api.HistoryImportResult;
import dev.lathe.protocol.api.SessionExport;
import dev.lathe.protocol.session.Session;
import dev.lathe.server.users.Users;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Records who made a session (the caller of the route that created, forked or imported it) and tells the owners to
 * the board. Only on a team server: without accounts there is one user and nothing is recorded.
 */
final class SessionOwners {
    private final Optional<Users> users;
    private final Optional<SessionAccess> access;

    SessionOwners(Optional<Users> users, Optional<SessionAccess> access) {
        this.users = users;
        this.access = access;
    }

    /** @throws dev.lathe.protocol.api.LatheException.Forbidden when the request would hang a session under another user's */
    CreateSessionRequest checkCreate(Call c, CreateSessionRequest request) {
        access.ifPresent(a -> a.checkParent(c.caller(), request.parentId()));
        return request;
    }

    /** @throws dev.lathe.protocol.api.LatheException.Forbidden when the import would replace or hang under another user's session */
    SessionExport checkImport(Call c, SessionExport export) {
        if (export.session() != null) access.ifPresent(a -> a.checkImport(c.caller(), export.session().id(), export.session().parentId()));
        return export;
    }

    /** {@code made} belongs to the caller of {@code c}; returns it for the route to answer. */
    Session own(Call c, Session made) {
        users.ifPresent(u -> u.own(made.id(), c.caller()));
        return made;
    }

    /** The sessions {@code result} imported anew belong to the caller of {@code c} (one imported before keeps its owner). */
    HistoryImportResult ownImported(Call c, HistoryImportResult result) {
        users.ifPresent(u -> result.sessions().stream().filter(e -> e.outcome().equals("imported"))
                .forEach(e -> e.sessionId().ifPresent(id -> u.own(new SessionId(id), c.caller()))));
        return result;
    }

    /** Every recorded owner by session id (empty without accounts). */
    Map<String, String> all() {
        var out = new TreeMap<String, String>();
        users.ifPresent(u -> u.owners().forEach((id, owner) -> out.put(id.value(), owner)));
        return out;
    }
}
