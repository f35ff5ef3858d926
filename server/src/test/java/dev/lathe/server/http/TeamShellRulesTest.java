package dev.lathe.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.wire.WireJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DESIGN §30 "paths a person uses obey the node's rules" (issue 79), the way a team account meets it: the real core
 * behind the real HTTP server with accounts, a node whose config denies {@code rm} and {@code touch}, and an account that
 * types {@code !touch …} and {@code !rm …} ({@code POST /sessions/{id}/shell}). Both are refused with 403 and nothing
 * changes on the node; a command the node's rules leave to ask runs, answered by the account's own typing (decision 555).
 */
class TeamShellRulesTest {
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir static Path tmp;
    static LiveServer live;

    @BeforeAll
    static void start() throws Exception {
        live = new LiveServer(tmp, ", \"permission\": {\"bash\": {\"*\": \"ask\", \"touch *\": \"deny\", \"rm *\": \"deny\"}}", true);
    }

    @AfterAll
    static void stop() {
        if (live != null) live.close();
    }

    @Test
    void aTeamAccountsShellCommandIsHeldToTheNodesDenyRules() throws Exception {
        String alice = addUser("alice");
        String session = newSession(alice);
        Path victim = Files.writeString(live.project.resolve("victim.txt"), "keep me");
        Path planted = live.project.resolve("planted");

        var touched = send(alice, "POST", "/sessions/" + session + "/shell", "{\"command\": " + WireJson.write("touch " + planted) + "}");
        assertThat(touched.statusCode()).as(touched.body()).isEqualTo(403);
        assertThat(touched.body()).contains("permission_denied").contains("touch *");
        assertThat(planted).doesNotExist();

        // hidden behind a wrapper the analyser unwraps: still the same deny rule
        var removed = send(alice, "POST", "/sessions/" + session + "/shell", "{\"command\": \"sh -c 'rm victim.txt'\"}");
        assertThat(removed.statusCode()).as(removed.body()).isEqualTo(403);
        assertThat(victim).hasContent("keep me");

        // what the node's rules leave to ask, the account answered by typing it: it runs, as the account's
        var asked = send(alice, "POST", "/sessions/" + session + "/shell", "{\"command\": \"echo hello from alice\"}");
        assertThat(asked.statusCode()).as(asked.body()).isEqualTo(200);
        assertThat(asked.body()).contains("hello from alice");
    }

    private static String newSession(String token) throws Exception {
        var made = send(token, "POST", "/sessions", "{\"directory\": " + WireJson.write(live.project.toString()) + "}");
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        return WireJson.mapper().readTree(made.body()).get("id").asString();
    }

    private static HttpResponse<String> send(String token, String method, String path, String body) throws Exception {
        var builder = HttpRequest.newBuilder(URI.create(live.http.url() + path)).timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + token)
                .header(Call.DIRECTORY_HEADER, live.project.toString()).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String addUser(String name) throws Exception {
        var made = send(live.token, "POST", "/users", "{\"name\": \"" + name + "\", \"admin\": false}");
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        return WireJson.mapper().readTree(made.body()).get("token").asString();
    }
}
