package dev.lathe.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.client.HttpLatheClient;
import dev.lathe.protocol.api.DiffQuery;
import dev.lathe.protocol.api.DiffScope;
import dev.lathe.protocol.api.FileDiff;
import dev.lathe.protocol.api.MessagePage;
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
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /sessions/{id}/diff} over HTTP on a team server (DESIGN §18, §32): the scopes and pages as a script meets
 * them, every refusal a 4xx that says what is wrong, and the same rights as the other reads of a session: no token is
 * refused, another user reads it as they read its messages.
 */
class SessionDiffRouteTest {
    @TempDir static Path tmp;
    static LiveServer live;
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static String alice;
    static String bob;
    static String session;

    @BeforeAll
    static void start() throws Exception {
        live = new LiveServer(tmp, "", true);
        alice = addUser("alice");
        bob = addUser("bob");
        Files.writeString(live.project.resolve("a.txt"), "one\n");
        git("init", "-q", "-b", "main");
        git("add", "-A");
        git("-c", "user.name=t", "-c", "user.email=t@lathe.invalid", "commit", "-q", "-m", "one");
        Files.writeString(live.project.resolve("a.txt"), "two\n");
        Files.writeString(live.project.resolve("b.txt"), "bee\n");
        Files.writeString(live.project.resolve("c.txt"), "sea\n");
        var made = send(alice, "/sessions", "POST", "{\"directory\": \"" + live.project + "\"}");
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        session = WireJson.mapper().readTree(made.body()).get("id").asString();
    }

    @AfterAll
    static void stop() {
        live.close();
    }

    @Test
    void scopesAndPagesAsAScriptReadsThem() throws Exception {
        var all = get(alice, "scope=uncommitted");
        assertThat(all.statusCode()).as(all.body()).isEqualTo(200);
        assertThat(all.headers().firstValue(MessagePage.MORE_HEADER)).contains("false");
        List<FileDiff> files = List.of(WireJson.read(all.body(), FileDiff[].class));
        assertThat(files).extracting(FileDiff::path).containsExactly("a.txt", "b.txt", "c.txt");
        assertThat(files.getFirst().patch()).contains("-one").contains("+two");
        assertThat(files.getFirst().additions()).isEqualTo(1);

        var page = get(alice, "scope=uncommitted&limit=2");
        assertThat(page.headers().firstValue(MessagePage.MORE_HEADER)).contains("true");
        assertThat(List.of(WireJson.read(page.body(), FileDiff[].class))).extracting(FileDiff::path).containsExactly("a.txt", "b.txt");
        var rest = get(alice, "scope=uncommitted&limit=2&after=" + URLEncoder.encode("b.txt", StandardCharsets.UTF_8));
        assertThat(rest.headers().firstValue(MessagePage.MORE_HEADER)).contains("false");
        assertThat(List.of(WireJson.read(rest.body(), FileDiff[].class))).extracting(FileDiff::path).containsExactly("c.txt");

        // without a scope: what the session changed (nothing yet), as before the scopes existed
        assertThat(get(alice, "").body()).isEqualTo("[]");

        // the Java client pages the same way
        try (var client = HttpLatheClient.connect(live.http.url(), alice, Optional.of(live.project.toString()))) {
            var query = new DiffQuery(DiffScope.UNCOMMITTED, OptionalInt.of(1), Optional.empty());
            var first = client.diff(new dev.lathe.protocol.SessionId(session), query);
            assertThat(first.more()).isTrue();
            assertThat(first.files()).extracting(FileDiff::path).containsExactly("a.txt");
            assertThat(client.diff(new dev.lathe.protocol.SessionId(session), query.next(first)).files()).extracting(FileDiff::path).containsExactly("b.txt");
        }
    }

    @Test
    void everyRefusalIsAFourHundredThatSaysWhy() throws Exception {
        var scope = get(alice, "scope=yesterday");
        assertThat(scope.statusCode()).isEqualTo(400);
        assertThat(scope.body()).contains("turn, session, uncommitted, branch").contains("yesterday").doesNotContain("Exception");
        for (String limit : List.of("0", "501", "many")) {
            var bad = get(alice, "scope=turn&limit=" + limit);
            assertThat(bad.statusCode()).as(limit).isEqualTo(400);
            assertThat(bad.body()).contains("must be a whole number from 1 to 500");
        }
        var unknown = send(alice, "/sessions/ses_00000000000000000000000000/diff?scope=turn", "GET", null);
        assertThat(unknown.statusCode()).as(unknown.body()).isEqualTo(404);
        var malformed = send(alice, "/sessions/..%2F..%2Fetc/diff", "GET", null);
        assertThat(malformed.statusCode()).as(malformed.body()).isBetween(400, 404);
    }

    @Test
    void readersAreThoseOfTheSessionsOtherReads() throws Exception {
        var none = HTTP.send(HttpRequest.newBuilder(URI.create(live.http.url() + "/sessions/" + session + "/diff?scope=uncommitted")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(none.statusCode()).isEqualTo(401);
        var forged = send("not-a-token", "/sessions/" + session + "/diff?scope=uncommitted", "GET", null);
        assertThat(forged.statusCode()).isEqualTo(401);
        // a team's users see every session (DESIGN §20): bob reads the diff exactly as he reads its messages
        var messages = send(bob, "/sessions/" + session + "/messages", "GET", null);
        var diff = get(bob, "scope=uncommitted");
        assertThat(diff.statusCode()).isEqualTo(messages.statusCode()).isEqualTo(200);
    }

    private static HttpResponse<String> get(String token, String query) throws Exception {
        return send(token, "/sessions/" + session + "/diff" + (query.isEmpty() ? "" : "?" + query), "GET", null);
    }

    private static String addUser(String name) throws Exception {
        var made = send(live.token, "/users", "POST", "{\"name\": \"" + name + "\", \"admin\": false}");
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        return WireJson.mapper().readTree(made.body()).get("token").asString();
    }

    static HttpResponse<String> send(String token, String path, String method, String body) throws Exception {
        var builder = HttpRequest.newBuilder(URI.create(live.http.url() + path)).timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token);
        if (body != null) builder.header("Content-Type", "application/json");
        builder.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void git(String... args) throws Exception {
        var command = new java.util.ArrayList<>(List.of("git", "-C", live.project.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) throw new AssertionError("git " + String.join(" ", args) + ": " + out);
    }
}
