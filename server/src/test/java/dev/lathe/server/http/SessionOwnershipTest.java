package dev.lathe.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.wire.WireJson;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The team server's ownership rules (DESIGN §20 "Users") over the real core and the route table (which right each route
 * names is RouteRightsTest's): each session-changing route refuses another user with a 403 that says
 * whose the session is, while its owner and an admin pass.
 */
class SessionOwnershipTest {
    @TempDir static Path tmp;
    static LiveServer live;
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static String alice;
    static String bob;
    static String root;

    @BeforeAll
    static void start() throws Exception {
        live = new LiveServer(tmp, ", \"permission\": {\"*\": \"allow\", \"bash\": \"ask\"}", true);
        alice = addUser("alice", false);
        bob = addUser("bob", false);
        root = addUser("root", true);
    }

    @AfterAll
    static void stop() {
        live.close();
    }

    @Test
    void anotherUserIsRefusedOnEverySessionRouteAndTheOwnerAndAnAdminAreNot() throws Exception {
        String session = createSession(alice);
        List<Router.Route> owned = live.http.routes().stream().filter(r -> r.rights() == Rights.SESSION_OWNER).toList();
        assertThat(owned).hasSizeGreaterThan(12);
        for (Router.Route route : owned) {
            var refused = send(bob, route.method(), route.template().replace("{id}", session).replace("{processId}", "bg_1"), "{}");
            assertThat(refused.statusCode()).as(route.method() + " " + route.template() + " by bob: " + refused.body()).isEqualTo(403);
            assertThat(refused.body()).contains("belongs to 'alice'").contains("signed in as 'bob'").contains("watch");
        }
        // watching stays open to everyone
        assertThat(send(bob, "GET", "/sessions/" + session + "/messages", null).statusCode()).isEqualTo(200);
        assertThat(send(bob, "GET", "/board", null).body()).contains(session);
        // the owner renames it, an admin renames it again
        assertThat(send(alice, "PATCH", "/sessions/" + session, "{\"title\": \"alice's\"}").statusCode()).isEqualTo(200);
        assertThat(send(root, "PATCH", "/sessions/" + session, "{\"title\": \"root's\"}").statusCode()).isEqualTo(200);
        assertThat(send(live.token, "PATCH", "/sessions/" + session, "{\"title\": \"node's\"}").statusCode()).as("the node's own token is its admin").isEqualTo(200);
        // a fork is the forker's: the admin's fork is not alice's to change
        var fork = send(root, "POST", "/sessions/" + session + "/fork", "");
        assertThat(fork.statusCode()).as(fork.body()).isEqualTo(201);
        String forked = WireJson.mapper().readTree(fork.body()).get("id").asString();
        assertThat(send(alice, "DELETE", "/sessions/" + forked, null).statusCode()).isEqualTo(403);
        assertThat(send(bob, "GET", "/owners", null).body()).contains("\"" + session + "\":\"alice\"").contains("\"" + forked + "\":\"root\"");
        assertThat(send(alice, "DELETE", "/sessions/" + session, null).statusCode()).isEqualTo(200);
    }

    @Test
    void onlyTheOwnerAnswersAPermissionAskAndTheAuditNamesWho() throws Exception {
        String session = createSession(alice);
        live.llm.enqueue(Turn.of(Step.toolCall("call_1", "bash", "{\"command\": \"echo asked\"}")));
        live.llm.enqueue(Turn.of(Step.text("done")));
        assertThat(send(alice, "POST", "/sessions/" + session + "/prompt", "{\"parts\": [{\"type\": \"text\", \"text\": \"run it\"}]}").statusCode())
                .isEqualTo(202);
        String ask = awaitAsk(session);
        var refused = send(bob, "POST", "/permissions/" + ask + "/reply", "{\"reply\": \"once\"}");
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
        assertThat(refused.body()).contains("belongs to 'alice'");
        var answered = send(alice, "POST", "/permissions/" + ask + "/reply", "{\"reply\": \"once\", \"by\": \"mallory\"}");
        assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Path audit;
        String log = "";
        while (System.nanoTime() < deadline) {
            audit = live.paths().audit();
            if (java.nio.file.Files.isDirectory(audit)) {
                try (var files = java.nio.file.Files.walk(audit)) {
                    log = files.filter(java.nio.file.Files::isRegularFile).map(SessionOwnershipTest::read).reduce("", String::concat);
                } catch (java.io.UncheckedIOException e) {
                    // a chain head's temporary file renamed while the walk passed it: read the folder again
                    log = "";
                }
                if (log.contains("\"kind\":\"answer\"")) break;
            }
            Thread.sleep(50);
        }
        assertThat(log).contains("\"by\":\"user:alice\"").doesNotContain("mallory");
        try (var client = live.client()) {
            live.awaitIdle(client, new SessionId(session));
        }
    }

    @Test
    void accountsAreAnAdminsAndTheirTokensAreShownOnce() throws Exception {
        assertThat(send(bob, "POST", "/users", "{\"name\": \"eve\"}").statusCode()).isEqualTo(403);
        assertThat(send(bob, "GET", "/users", null).statusCode()).isEqualTo(403);
        assertThat(send(bob, "PUT", "/trust?directory=" + live.project, "{\"trusted\": true}").statusCode()).isEqualTo(403);
        var listed = send(root, "GET", "/users", null);
        assertThat(listed.body()).contains("\"alice\"").contains("\"bob\"").doesNotContain(alice).doesNotContain(bob).doesNotContain("lathe_u_");
        assertThat(send(bob, "GET", "/me", null).body()).isEqualTo("{\"name\":\"bob\",\"admin\":false,\"team\":true,\"nodeUser\":false}");
        assertThat(send(root, "POST", "/users", "{\"name\": \"Not A Name\"}").statusCode()).isEqualTo(400);
        assertThat(send(root, "POST", "/users", "{\"name\": \"alice\"}").statusCode()).isEqualTo(409);
        // a removed user's token is refused at once; a replaced token too
        String carol = addUser("carol", false);
        assertThat(send(carol, "GET", "/me", null).statusCode()).isEqualTo(200);
        var rotated = send(root, "POST", "/users/carol/token", "");
        String carolAgain = WireJson.mapper().readTree(rotated.body()).get("token").asString();
        assertThat(send(carol, "GET", "/me", null).statusCode()).isEqualTo(401);
        assertThat(send(carolAgain, "GET", "/me", null).statusCode()).isEqualTo(200);
        assertThat(send(root, "DELETE", "/users/carol", null).statusCode()).isEqualTo(200);
        assertThat(send(carolAgain, "GET", "/me", null).statusCode()).isEqualTo(401);
        // a token of the right form with a wrong secret is refused
        assertThat(send(alice.substring(0, alice.length() - 4) + "AAAA", "GET", "/me", null).statusCode()).isEqualTo(401);
    }

    private static String read(Path p) {
        try {
            return java.nio.file.Files.readString(p);
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private static String awaitAsk(String session) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            var asks = WireJson.mapper().readTree(send(live.token, "GET", "/permissions", null).body());
            for (var a : asks) if (a.get("sessionId").asString().equals(session)) return a.get("id").asString();
            Thread.sleep(50);
        }
        throw new AssertionError("no permission ask in " + session);
    }

    private static String addUser(String name, boolean admin) throws Exception {
        var made = send(live.token, "POST", "/users", "{\"name\": \"" + name + "\", \"admin\": " + admin + "}");
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        return WireJson.mapper().readTree(made.body()).get("token").asString();
    }

    private static String createSession(String token) throws Exception {
        var made = send(token, "POST", "/sessions", "{\"directory\": \"" + live.project + "\"}");
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        return new SessionId(WireJson.mapper().readTree(made.body()).get("id").asString()).value();
    }

    static HttpResponse<String> send(String token, String method, String path, String body) throws Exception {
        var builder = HttpRequest.newBuilder(URI.create(live.http.url() + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token);
        if (body != null && !body.isEmpty()) builder.header("Content-Type", "application/json");
        builder.method(method, body == null || body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }
}
