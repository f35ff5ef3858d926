package dev.lathe.server.http;

import dev.lathe.protocol.api.ApiRoute;
import dev.lathe.protocol.api.LatheApi;
import dev.lathe.protocol.api.ScheduleInfo;
import dev.lathe.protocol.api.ScheduleRequest;
import dev.lathe.server.users.User;
import java.io.IOException;
import java.util.Map;

/**
 * The cron schedules' routes (DESIGN §18 "Schedules"): add, list, remove. A schedule belongs to the user who added it:
 * the list shows a user only their own (an admin every one), and only its owner or an admin removes it
 * ({@link Rights#SCHEDULE_OWNER}).
 */
final class ScheduleRoutes {
    private final LatheApi api;

    ScheduleRoutes(LatheApi api) {
        this.api = api;
    }

    Router addTo(Router r) {
        return r
                .add(ApiRoute.SCHEDULE_ADD, Rights.ANY_USER, RouteDoc.of("Add a cron schedule (five fields, read in zone, UTC when none): at each due "
                        + "time its message runs as a new session of the caller in directory (or a fleet task of repo), once across the nodes")
                        .body(ScheduleRequest.class).returns(201, new RouteDoc.Shape.One(ScheduleInfo.class)), this::add)
                .add(ApiRoute.SCHEDULES, Rights.ANY_USER, RouteDoc.of("The caller's schedules (an admin's: every one), with last and next run")
                        .returnsList(ScheduleInfo.class),
                        c -> c.json(200, api.schedules().stream().filter(s -> sees(c.caller(), s)).toList()))
                .add(ApiRoute.SCHEDULE_REMOVE, Rights.SCHEDULE_OWNER, RouteDoc.of("Remove a schedule; a run it started goes on"), c -> {
                    api.removeSchedule(c.param("id"));
                    c.json(200, Map.of());
                });
    }

    private void add(Call c) throws IOException {
        var request = Call.convert(c.jsonObject(), ScheduleRequest.class);
        // the caller's environment: the schedule keeps its LATHE_NETWORK and LATHE_CONFIG for its runs, never a key
        LatheApi client = ClientEnvironments.view(api, c);
        c.json(201, client.addSchedule(request.ownedBy(ownerName(c.caller()))));
    }

    /** What a schedule records as its owner: an account's name; {@code ""} for the node's own admin token. */
    static String ownerName(User user) {
        return user.account() ? user.name() : "";
    }

    private static boolean sees(User user, ScheduleInfo s) {
        return user.admin() || s.owner().equals(ownerName(user));
    }
}
