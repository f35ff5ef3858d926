package dev.lathe.server.http;

import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.ApiRoute;
import dev.lathe.protocol.api.LatheApi;
import dev.lathe.protocol.api.TeamInfo;

/**
 * The agent teams' route (DESIGN §18 "Agent teams"): {@code GET /teams/{id}}, for the owner of the team's lead session
 * (or an admin) only ({@link Rights#TEAM_OWNER}): the board shows the members' work and messages; and {@code GET
 * /sessions/{id}/team}, the same board found from its lead or a member, for that session's owner.
 */
final class TeamRoutes {
    private final LatheApi api;

    TeamRoutes(LatheApi api) {
        this.api = api;
    }

    Router addTo(Router r) {
        return r.add(ApiRoute.TEAM, Rights.TEAM_OWNER, RouteDoc.of("An agent team: its lead, members with their session ids and statuses, the shared "
                + "task list and the newest messages").returns(200, new RouteDoc.Shape.One(TeamInfo.class)), c -> c.json(200, api.team(c.param("id"))))
                // the same board found from a session of the team: a member's owner is its lead's (a child's is its parent's)
                .add(ApiRoute.SESSION_TEAM, Rights.SESSION_OWNER, RouteDoc.of("The agent team the session leads or is a member of, as GET "
                        + "/teams/{id} answers it; 404 when it is in none").returns(200, new RouteDoc.Shape.One(TeamInfo.class)),
                        c -> c.json(200, api.sessionTeam(Call.parseId(c.param("id"), SessionId::new))));
    }
}
