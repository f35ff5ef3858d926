package dev.lathe.server.http;

import dev.lathe.protocol.api.ApiRoute;
import dev.lathe.protocol.api.AddUserRequest;
import dev.lathe.protocol.api.CallerInfo;
import dev.lathe.protocol.api.IssuedToken;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.TeamUser;
import dev.lathe.server.users.Users;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * The team server's accounts (DESIGN §20 "Users", {@code lathe user}): admins add, list and remove users and give one a
 * new token; anyone asks who they are and who owns which session. A token is in the answer that makes it and nowhere
 * else. Without accounts ({@code lathe serve} without {@code --store}) the account routes answer 409.
 */
final class UserRoutes {
    private final Optional<Users> users;
    private final SessionOwners owners;

    UserRoutes(Optional<Users> users, SessionOwners owners) {
        this.users = users;
        this.owners = owners;
    }

    Router addTo(Router r) {
        return r
                .add(ApiRoute.ME, Rights.ANY_USER, RouteDoc.of("Who the server takes the caller for, and whether it has accounts (a team server)")
                        .returns(CallerInfo.class), c -> c.json(200, new CallerInfo(c.caller().name(), c.caller().admin(), users.isPresent(), !c.caller().account())))
                .add(ApiRoute.OWNERS, Rights.ANY_USER, RouteDoc.of("Each session's owner by session id (a team server's; empty without accounts). A "
                        + "session not listed belongs to its parent's owner").returns(200, new RouteDoc.Shape.MapOf(String.class)),
                        c -> c.json(200, owners.all()))
                .add(ApiRoute.USERS, Rights.ADMIN, RouteDoc.of("The team server's accounts, by name (never their tokens)")
                        .returnsList(TeamUser.class), c -> c.json(200, users().list().stream()
                                .map(u -> new TeamUser(u.name(), u.admin(), u.createdAt())).toList()))
                .add(ApiRoute.USER_ADD, Rights.ADMIN, RouteDoc.of("Add an account; the answer holds its token, shown only this once")
                        .body(AddUserRequest.class).returns(201, new RouteDoc.Shape.One(IssuedToken.class)), this::add)
                .add(ApiRoute.USER_REMOVE, Rights.ADMIN, RouteDoc.of("Remove an account: its token stops working at once on every "
                        + "node; its sessions keep their owner's name"), c -> {
                    users().remove(c.param("name"));
                    c.json(200, Map.of());
                })
                .add(ApiRoute.USER_TOKEN, Rights.ADMIN, RouteDoc.of("Give an account a new token (the old one stops working "
                        + "at once); the answer holds it, shown only this once").returns(IssuedToken.class), c -> {
                    var issued = users().rotate(c.param("name"));
                    c.json(200, new IssuedToken(issued.name(), issued.admin(), issued.token()));
                });
    }

    private void add(Call c) throws IOException {
        var request = Call.convert(c.jsonObject(), AddUserRequest.class);
        if (request.name() == null) throw new LatheException.InvalidInput("name is required");
        var issued = users().add(request.name(), request.admin().orElse(false));
        c.json(201, new IssuedToken(issued.name(), issued.admin(), issued.token()));
    }

    private Users users() {
        return users.orElseThrow(() -> new LatheException.Conflict(
                "this server has no accounts: users exist on a team server (lathe serve --store postgresql://…)"));
    }
}
