package dev.lathe.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.api.ApiRoute;
import dev.lathe.protocol.api.ClientEnvironment;
import dev.lathe.protocol.wire.WireJson;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DESIGN §26 "no header from a team user changes configuration", on the real core behind the real HTTP server with
 * accounts: a team account sends {@code X-Lathe-Environment} carrying a config whose {@code SessionStart} and
 * {@code UserPromptSubmit} hooks would write a marker on this host, on every route the table declares as reading it.
 * No hook runs, every request goes on under the node's own config, and the folder's audit log names the account. The
 * same header from the node's own token does run them: the check that the marker would appear.
 */
class ClientEnvironmentOwnerTest {
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir static Path tmp;
    static LiveServer live;
    static Path marker;

    @BeforeAll
    static void start() throws Exception {
        live = new LiveServer(tmp, "", true);
        live.llm.respondWith(r -> dev.lathe.testkit.Turn.of(dev.lathe.testkit.Step.text("Noted.")));
        marker = tmp.resolve("markers");
        Files.createDirectories(marker);
    }

    @AfterAll
    static void stop() {
        if (live != null) live.close();
    }

    /** The node's own config, plus hooks that write {@code markers/NAME-EVENT} when they run. */
    private static String hostile(String name) {
        String hook = "[{\"hooks\": [{\"type\": \"command\", \"command\": \"touch " + marker + "/" + name + "-%s\"}]}]";
        String config = live.env.get("LATHE_CONFIG_CONTENT");
        return config.substring(0, config.length() - 1) + ", \"hooks\": {\"SessionStart\": " + hook.formatted("start")
                + ", \"UserPromptSubmit\": " + hook.formatted("prompt") + "}}";
    }

    private static String header(String name) {
        return new ClientEnvironment(Map.of("LATHE_CONFIG_CONTENT", hostile(name), "ANTHROPIC_API_KEY", "sk-ant-" + name)).encode();
    }

    @Test
    void aTeamAccountsEnvironmentIsIgnoredOnEveryRouteThatReadsOneAndAudited() throws Exception {
        String alice = addUser("alice", false);
        String root = addUser("root", true);
        for (var who : Map.of("alice", alice, "root", root).entrySet()) {
            String env = header(who.getKey());
            var made = send(who.getValue(), env, "POST", "/sessions", "{\"directory\": " + WireJson.write(live.project.toString()) + "}");
            assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
            String session = WireJson.mapper().readTree(made.body()).get("id").asString();
            var prompted = send(who.getValue(), env, "POST", "/sessions/" + session + "/prompt", "{\"parts\": [{\"type\": \"text\", \"text\": \"hi\"}]}");
            assertThat(prompted.statusCode()).as(prompted.body()).isEqualTo(202);
            live.awaitIdle(live.client(), new dev.lathe.protocol.SessionId(session));

            // every other route that reads a client environment, with the account's header: whatever each answers, none runs a hook
            List<String> swept = new ArrayList<>();
            for (ApiRoute route : ApiRoute.values()) {
                if (route.environment() != ApiRoute.Environment.READ) continue;
                String path = route.template().replace("{id}", session).replace("{name}", "nothing").replace("{provider}", "anthropic");
                String body = route.method().equals("GET") ? null : route == ApiRoute.SCHEDULE_ADD
                        ? "{\"cron\": \"@daily\", \"directory\": " + WireJson.write(live.project.toString()) + ", \"message\": \"x\"}"
                        : route == ApiRoute.SESSION_SHELL ? "{\"command\": \"true\"}"
                        : route == ApiRoute.SESSION_COMMAND ? "{\"name\": \"init\", \"arguments\": \"\"}"
                        : "{\"parts\": [{\"type\": \"text\", \"text\": \"again\"}]}";
                var answer = send(who.getValue(), env, route.method(), path + "?directory=" + URLEncoder.encode(live.project.toString(), StandardCharsets.UTF_8), body);
                assertThat(answer.statusCode()).as(route + ": " + answer.body()).isLessThan(500);
                swept.add(route.name());
            }
            assertThat(swept).hasSizeGreaterThan(15);
            live.awaitIdle(live.client(), new dev.lathe.protocol.SessionId(session));
        }
        try (var markers = Files.list(marker)) {
            assertThat(markers.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith("owner-")).toList())
                    .as("hooks a team account's header brought").isEmpty();
        }
        // the folder's audit log says whose environment was ignored, and where; names only, never a value
        String audit = auditText();
        assertThat(audit).contains("\"kind\":\"environment\"").contains("\"by\":\"user:alice\"").contains("\"by\":\"user:root\"")
                .contains("POST /sessions/{id}/prompt").contains("LATHE_CONFIG_CONTENT").doesNotContain("sk-ant-alice").doesNotContain("markers/alice-").doesNotContain("markers/root-");
    }

    @Test
    void theNodesOwnUserStillBringsItsEnvironment() throws Exception {
        String env = header("owner");
        var made = send(live.token, env, "POST", "/sessions", "{\"directory\": " + WireJson.write(live.project.toString()) + "}");
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        String session = WireJson.mapper().readTree(made.body()).get("id").asString();
        assertThat(send(live.token, env, "POST", "/sessions/" + session + "/prompt", "{\"parts\": [{\"type\": \"text\", \"text\": \"hi\"}]}")
                .statusCode()).isEqualTo(202);
        live.awaitIdle(live.client(), new dev.lathe.protocol.SessionId(session));
        assertThat(marker.resolve("owner-prompt")).as("the owner's own UserPromptSubmit hook").exists();
    }

    @Test
    void anotherHarnesssHistoryOnThisHostIsTheNodeUsersOnly() throws Exception {
        String bob = addUser("bob", true);
        String body = "{\"source\": \"claude-code\", \"all\": false, \"locations\": {\"home\": \"/root\"}}";
        var refused = send(bob, null, "POST", "/import/history", body);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
        assertThat(refused.body()).contains("node's own user");
        assertThat(send(live.token, null, "POST", "/import/history?directory=" + URLEncoder.encode(live.project.toString(), StandardCharsets.UTF_8),
                body).statusCode()).isLessThan(300);
    }

    private static String auditText() throws Exception {
        try (var files = Files.walk(live.paths().audit())) {
            var sb = new StringBuilder();
            for (Path f : files.filter(Files::isRegularFile).toList()) sb.append(Files.readString(f));
            return sb.toString();
        }
    }

    private static HttpResponse<String> send(String token, String env, String method, String path, String body) throws Exception {
        var builder = HttpRequest.newBuilder(URI.create(live.http.url() + path)).timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token)
                .header(Call.DIRECTORY_HEADER, live.project.toString());
        if (env != null) builder.header(ClientEnvironment.HEADER, env);
        if (body != null) builder.header("Content-Type", "application/json");
        builder.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String addUser(String name, boolean admin) throws Exception {
        var made = send(live.token, null, "POST", "/users", "{\"name\": \"" + name + "\", \"admin\": " + admin + "}");
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        return WireJson.mapper().readTree(made.body()).get("token").asString();
    }
}
