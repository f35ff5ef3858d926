package dev.lathe.server.http;

import dev.lathe.protocol.api.ApiRoute;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.EventFilter;
import dev.lathe.protocol.api.DrainStarted;
import dev.lathe.protocol.api.Health;
import dev.lathe.protocol.api.LatheApi;
import java.io.IOException;
import java.util.Optional;

/**
 * The whole route table of DESIGN §6: the session and project routes plus health, events, the OpenAPI document and
 * the web login. Inputs are validated in the routes so the API only ever sees complete records and valid ids.
 */
final class ApiRoutes {
    /** What Prometheus's scraper expects of the text format. */
    static final String METRICS_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private final LatheApi api;
    private final ServerOptions options;
    private final EventStreams streams;
    private final WebLogin login;
    private final Callers callers;
    private final Optional<SessionAccess> access;

    ApiRoutes(LatheApi api, ServerOptions options, EventStreams streams, WebLogin login, Callers callers, Optional<SessionAccess> access) {
        this.api = api;
        this.options = options;
        this.streams = streams;
        this.login = login;
        this.callers = callers;
        this.access = access;
    }

    Router router() {
        var router = new Router()
                .add(ApiRoute.HEALTH, Rights.PUBLIC, RouteDoc.of("Liveness, version, node id and kind of store (no token needed)").returns(Health.class),
                        c -> c.json(200, new Health(true, options.version(), true, options.node(), options.store(), api.draining())))
                // an admin's: the queue and the node's load are the team's business, not every member's (decision 610)
                .add(ApiRoute.METRICS, Rights.ADMIN, RouteDoc.of("This node's metrics in Prometheus's text format 0.0.4: queue depth, running "
                        + "turns, leases held, turn and step latency, tokens, errors (an admin's token)").returns(200, new RouteDoc.Shape.Text(METRICS_TYPE)),
                        c -> c.text(200, METRICS_TYPE, api.metrics()))
                // an admin's, as /metrics: the Kubernetes preStop hook calls it with the lathe-admin token (decision 620)
                .add(ApiRoute.DRAIN, Rights.ADMIN, RouteDoc.of("Drain this team node (DESIGN §34): it takes no new turn (prompts sent through it wait"
                        + " for another node), running turns finish within drain.seconds or are stopped, their sessions are let go, and the"
                        + " server exits 0. Asked again, it answers the same; 409 on a server that is no team node (an admin's token)")
                        .returns(202, new RouteDoc.Shape.One(DrainStarted.class)), c -> c.json(202, api.drain()))
                .add(ApiRoute.EVENTS, Rights.ANY_USER, RouteDoc.of("Server-sent events; resume with Last-Event-ID. Answers 503 when server.maxEventStreams streams are open, 429 past server.maxEventStreamsPerToken for one credential").query("directory", "session")
                        .returns(200, new RouteDoc.Shape.Events()), this::events);
        var owners = new SessionOwners(callers.users(), access);
        new UserRoutes(callers.users(), owners).addTo(router);
        new SessionRoutes(api, owners).addTo(router);
        new ProcessRoutes(api).addTo(router);
        new ProjectRoutes(api, callers.users().isPresent()).addTo(router);
        new WorktreeRoutes(api).addTo(router);
        new ScheduleRoutes(api).addTo(router);
        new TeamRoutes(api).addTo(router);
        login.addTo(router);
        // last, so the document it serves lists every route above and itself
        return router.add(ApiRoute.DOC, Rights.ANY_USER, RouteDoc.of("This OpenAPI 3.1 document").returns(200, new RouteDoc.Shape.AnyObject()),
                c -> c.json(200, OpenApiDocument.of(router, options.version())));
    }

    private void events(Call c) throws IOException {
        Optional<SessionId> session = c.query("session").filter(s -> !s.isBlank()).map(s -> Call.parseId(s, SessionId::new));
        var filter = new EventFilter(c.directory(), session);
        // both may come: a browser's EventSource opened on a URL with ?lastEventId= sends the newer Last-Event-ID on
        // each reconnect, and resuming from the URL's would send again every event it already has
        long afterSeq = Math.max(resumePoint(c.query("lastEventId")), resumePoint(c.header("Last-Event-ID")));
        // the credential the Dispatcher accepted: the bearer token, else the web login's cookie
        String credential = c.header("Authorization").map(a -> "bearer " + a.strip()).or(() -> c.header("Cookie").map(k -> "cookie " + k))
                .orElse("");
        streams.serve(c, api, filter, afterSeq, credential);
    }

    private static long resumePoint(Optional<String> given) {
        return given.map(String::strip).filter(s -> !s.isEmpty()).map(ApiRoutes::seq).orElse(0L);
    }

    private static long seq(String raw) {
        try {
            long seq = Long.parseLong(raw);
            if (seq < 0) throw new NumberFormatException();
            return seq;
        } catch (NumberFormatException e) {
            throw new LatheException.InvalidInput("Last-Event-ID must be a non-negative integer, not '" + raw + "'");
        }
    }
}
