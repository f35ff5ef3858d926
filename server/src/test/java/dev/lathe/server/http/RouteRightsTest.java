package dev.lathe.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.protocol.api.ApiRoute;
import dev.lathe.protocol.wire.WireJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * DESIGN §24 "Every route declared once": the {@link Router} is the one table of routes, each naming who may call it,
 * and nothing answers HTTP around it. The rule half of the guard; the sweep of every route with other users' tokens is
 * {@code RouteRightsSweepIT} (a real team node over PostgreSQL).
 */
class RouteRightsTest {
    /** The routes that answer without a credential: each holds no data or is the login's own exchange of a code. */
    private static final Set<String> PUBLIC = Set.of(
            "GET /health",   // liveness and version, no data
            "GET /login",    // the page with the button that posts a one-time code
            "POST /login");  // trades a one-time code for the web login

    /** Routes that change something and that any signed-in user may call: each makes something of the caller's own. */
    private static final Set<String> ANY_USER_CHANGES = Set.of(
            "POST /sessions",         // a session of the caller's (a parent must be the caller's too: SessionAccess.checkParent)
            "POST /sessions/import",  // the same, and it may not replace another user's session (SessionAccess.checkImport)
            "POST /login/code",       // a login of the caller's own, bound to the caller's token
            "POST /worktrees",        // a new worktree; ending it is its sessions' owners' (WORKTREE_OWNER)
            "POST /schedules");       // a schedule of the caller's; removing it is its owner's (SCHEDULE_OWNER)
    /** What reads this host's own files on the caller's word: the node's own user's alone, never a team account's (DESIGN §26). */
    private static final Set<String> LOCAL_OWNER_ONLY = Set.of(
            "POST /import/history",  // another harness's history under the node user's home (or any folder the body names)
            "POST /sessions/{id}/export/harness");  // a session written into another harness's storage there

    /** Reads that only an owner makes: a team's board holds its members' messages, so only its lead's user reads it (issue 57). */
    /** Reads that are the owner's: a team's board, and the status line, which runs the folder's command (DESIGN §27). */
    private static final Set<String> OWNER_READS = Set.of("GET /teams/{id}", "GET /sessions/{id}/team", "GET /sessions/{id}/status-line");

    private final ServerHarness h = new ServerHarness();

    @AfterEach
    void tearDown() {
        h.close();
    }

    @Test
    void theRoutesThatNeedNoCredentialAreTheFewThatHoldNoData() {
        var open = h.server.routes().stream().filter(r -> !r.rights().needsCredential()).map(RouteRightsTest::name).toList();
        assertThat(open).containsExactlyInAnyOrderElementsOf(PUBLIC);
    }

    @Test
    void everyRouteThatChangesSomethingNamesTheOwnerOfWhatItChanges() {
        for (Router.Route route : h.server.routes()) {
            String what = name(route);
            if (PUBLIC.contains(what)) continue;
            if (OWNER_READS.contains(what)) {
                assertThat(route.rights()).as(what).isEqualTo(expectedFor(route.template()));
                continue;
            }
            if (route.method().equals("GET")) {
                // reading and watching are everyone's on a team server (DESIGN §20); reads of the node's secrets are admin's
                assertThat(route.rights()).as(what).isIn(Rights.ANY_USER, Rights.ADMIN);
                continue;
            }
            Rights expected = expectedFor(route.template());
            if (LOCAL_OWNER_ONLY.contains(what)) {
                assertThat(route.rights()).as(what + " reads or writes the node user's own files").isEqualTo(Rights.LOCAL_OWNER);
            } else if (ANY_USER_CHANGES.contains(what)) {
                assertThat(route.rights()).as(what + " makes something of the caller's own").isEqualTo(Rights.ANY_USER);
            } else if (expected == Rights.ADMIN) {
                assertThat(route.rights()).as(what + " changes what is nobody's own: an admin's").isEqualTo(Rights.ADMIN);
            } else {
                assertThat(route.rights()).as(what + " changes something with an owner").isIn(expected, Rights.ADMIN);
            }
        }
    }

    @Test
    void aRouteCannotBeDeclaredTwiceOrWithoutItsRights() {
        var router = new Router().add(ApiRoute.USER_REMOVE, Rights.ADMIN, RouteDoc.of("x"), c -> { });
        assertThatThrownBy(() -> router.add(ApiRoute.USER_REMOVE, Rights.ANY_USER, RouteDoc.of("again"), c -> { }))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("declared twice");
        assertThatThrownBy(() -> router.add(ApiRoute.USERS, null, RouteDoc.of("y"), c -> { })).isInstanceOf(NullPointerException.class);
    }

    @Test
    void theOpenApiDocumentSaysEachRoutesRightsFromTheTable() throws Exception {
        JsonNode doc = WireJson.mapper().readTree(h.send(h.request("/doc")).body());
        for (Router.Route route : h.server.routes()) {
            String openApiPath = route.template();
            JsonNode op = doc.path("paths").path(openApiPath).path(route.method().toLowerCase(Locale.ROOT));
            assertThat(op.path("x-lathe-rights").asString()).as(name(route))
                    .isEqualTo(route.rights().name().toLowerCase(Locale.ROOT).replace('_', '-'));
            assertThat(op.path("security").isEmpty()).as(name(route) + " needs no credential in the document").isEqualTo(!route.rights().needsCredential());
        }
    }

    /**
     * Nothing answers HTTP around the table: the only {@code HttpHandler} is the {@link Dispatcher} (which enforces each
     * route's rights in one place), and the only {@code Router} is {@link ApiRoutes}'s.
     */
    @Test
    void noCodeAnswersHttpAroundTheRouteTable() throws IOException {
        Path main = Path.of("src/main/java");
        Map<Pattern, Set<String>> allowed = Map.of(
                Pattern.compile("implements\\s+(com\\.sun\\.net\\.httpserver\\.)?HttpHandler"), Set.of("dev/lathe/server/http/Dispatcher.java"),
                Pattern.compile("new\\s+Router\\s*\\("), Set.of("dev/lathe/server/http/ApiRoutes.java"),
                Pattern.compile("HttpListener\\.start\\s*\\("), Set.of("dev/lathe/server/http/HttpApiServer.java"),
                Pattern.compile("\\.check\\s*\\(\\s*match\\.route\\(\\)\\.rights\\(\\)"), Set.of("dev/lathe/server/http/Dispatcher.java"));
        List<String> offenders = new ArrayList<>();
        try (Stream<Path> files = Files.walk(main)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String text = Files.readString(file);
                String rel = main.relativize(file).toString().replace('\\', '/');
                allowed.forEach((pattern, where) -> {
                    if (pattern.matcher(text).find() && !where.contains(rel)) offenders.add(rel + ": " + pattern.pattern());
                });
            }
        }
        assertThat(offenders).as("HTTP answered around the route table (DESIGN §24)").isEmpty();
    }

    /** Who owns what a changing route's path names. */
    private static Rights expectedFor(String template) {
        if (template.startsWith("/sessions/{id}")) return Rights.SESSION_OWNER;
        if (template.startsWith("/permissions/{id}")) return Rights.ASK_OWNER;
        if (template.startsWith("/questions/{id}")) return Rights.QUESTION_OWNER;
        if (template.startsWith("/editor/{requestId}")) return Rights.EDITOR_OWNER;
        if (template.equals("/worktrees/{name}/end")) return Rights.WORKTREE_OWNER;
        if (template.startsWith("/schedules/{id}")) return Rights.SCHEDULE_OWNER;
        if (template.startsWith("/teams/{id}")) return Rights.TEAM_OWNER;
        return Rights.ADMIN;
    }

    private static String name(Router.Route route) {
        return route.method() + " " + route.template();
    }
}
