package dev.lathe.server.http;

import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.ApiRoute;
import dev.lathe.protocol.api.LatheApi;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.ProcessChunk;
import dev.lathe.protocol.api.ProcessInfo;
import dev.lathe.protocol.api.ProcessInput;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A session's background commands (DESIGN §18 "Processes and diffs", §32): listed and read by any user who may read the
 * session (as its messages, which hold the same output), typed into and ended by its owner or an admin only
 * ({@link Rights#SESSION_OWNER}): a terminal into the owner's process is the owner's.
 */
final class ProcessRoutes {
    private static final Pattern PROCESS_ID = Pattern.compile("bg_[0-9]{1,18}");
    private final LatheApi api;

    ProcessRoutes(LatheApi api) {
        this.api = api;
    }

    Router addTo(Router r) {
        return r
                .add(ApiRoute.SESSION_PROCESSES, Rights.ANY_USER, RouteDoc.of("The session's background commands, running and recently ended, oldest first: "
                        + "command, pid, start, state (running, exited, killed, timeout), exit code, monitor and last lines")
                        .returnsList(ProcessInfo.class), c -> c.json(200, api.processes().list(id(c))))
                .add(ApiRoute.SESSION_PROCESS_OUTPUT, Rights.ANY_USER, RouteDoc.of("A background command's output from byte since (0 when absent), "
                        + "without consuming what the model reads").query("since").returns(ProcessChunk.class),
                        c -> c.json(200, api.processes().output(id(c), processId(c), since(c))))
                .add(ApiRoute.SESSION_PROCESS_INPUT, Rights.SESSION_OWNER, RouteDoc.of("Type text into a background command's standard input "
                        + "(409 once it ended)").body(ProcessInput.class), c -> {
                    // the body's shape first, as every route with a body: a wrong content type is 415 whatever the id names
                    ProcessInput input = Call.convert(c.jsonObject(), ProcessInput.class);
                    api.processes().input(id(c), processId(c), input);
                    c.json(200, Map.of());
                })
                .add(ApiRoute.SESSION_PROCESS_KILL, Rights.SESSION_OWNER, RouteDoc.of("End a background command and everything it started; "
                        + "the model is told"), c -> {
                    api.processes().kill(id(c), processId(c));
                    c.json(200, Map.of());
                });
    }

    private static SessionId id(Call c) {
        return c.id("id", SessionId::new);
    }

    private static String processId(Call c) {
        String id = c.param("processId");
        if (!PROCESS_ID.matcher(id).matches()) throw new LatheException.NotFound("no process " + id);
        return id;
    }

    private static long since(Call c) {
        String raw = c.query("since").map(String::strip).orElse("0");
        try {
            long since = Long.parseLong(raw);
            if (since < 0) throw new NumberFormatException();
            return since;
        } catch (NumberFormatException e) {
            throw new LatheException.InvalidInput("query parameter 'since' must be a non-negative whole number, not '" + raw + "'");
        }
    }
}
