package dev.lathe.app;

import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.ApiRoute;
import dev.lathe.protocol.session.Session;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The owner of each listed session, when this machine's server is a team node (DESIGN §20 "Users"); empty otherwise, so
 * {@code lathe sessions} without {@code --store} prints exactly what it did. A subagent's child session is its parent's.
 */
final class SessionOwnerColumn {
    private SessionOwnerColumn() {}

    static Optional<Map<SessionId, String>> owners(List<Session> sessions) {
        Optional<TeamClient> team = TeamClient.local();
        if (team.isEmpty()) return Optional.empty();
        Map<String, String> recorded;
        try {
            if (!team.get().call(ApiRoute.ME).path("team").asBoolean(false)) return Optional.empty();
            recorded = team.get().owners();
        } catch (TeamClient.Refused e) {
            return Optional.empty();  // an older server, or one that went away: list without owners
        }
        Map<SessionId, Session> byId = new HashMap<>();
        sessions.forEach(s -> byId.put(s.id(), s));
        Map<SessionId, String> out = new HashMap<>();
        for (Session s : sessions) {
            Session at = s;
            for (int depth = 0; depth < 64 && at != null; depth++) {
                String owner = recorded.get(at.id().value());
                if (owner != null) {
                    out.put(s.id(), owner);
                    break;
                }
                at = at.parentId().map(byId::get).orElse(null);
            }
        }
        return Optional.of(out);
    }
}
