package dev.lathe.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.wire.WireJson;
import dev.lathe.testkit.ChildProcesses;
import dev.lathe.testkit.RecordedRequest;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Background commands end to end (DESIGN §32) on the real core behind the real HTTP server, with the scripted model: a
 * dev server started with {@code monitor: "error|listening"} sends the model its matching lines and not the rest;
 * {@code GET /sessions/{id}/processes} lists it; its owner types into it and ends it, another user may only read; an
 * archived or deleted session's commands, a {@code sleep &} inside and a setsid'd one included, are gone by pid.
 */
class ProcessRoutesTest {
    @TempDir static Path tmp;
    static LiveServer live;
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static String alice;
    static String bob;

    @BeforeAll
    static void start() throws Exception {
        live = new LiveServer(tmp, ", \"permission\": {\"*\": \"allow\", \"bash\": \"allow\"}", true);
        alice = addUser("alice");
        bob = addUser("bob");
    }

    @AfterAll
    static void stop() {
        live.close();
    }

    /** The model starts {@code command} in the background as its first call, and answers "ok" to everything after. */
    static String startedByTheModel(String argsJson) throws Exception {
        var first = new AtomicBoolean(true);
        live.llm.reset();
        live.llm.respondWith(r -> first.getAndSet(false) ? Turn.of(Step.toolCall("call_bg", "bash", argsJson)) : Turn.of(Step.text("ok")));
        String session = createSession(alice);
        var sent = send(alice, "POST", "/sessions/" + session + "/prompt", "{\"parts\": [{\"type\": \"text\", \"text\": \"start the dev server\"}]}");
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(202);
        return session;
    }

    @Test
    void aDevServersMonitoredLinesReachTheModelAndTheRestDoNot() throws Exception {
        Path script = live.project.resolve("dev-server.sh");
        Files.writeString(script, """
                echo 'compiling 12 modules'
                sleep 0.4
                echo 'ready: listening on http://localhost:3000'
                echo 'GET / 200 in 3 ms'
                sleep 0.4
                echo 'error: Cannot find module ./missing'
                echo 'GET /favicon.ico 404'
                sleep 300
                """);
        String session = startedByTheModel("{\"command\": \"bash dev-server.sh\", \"background\": true, \"monitor\": \"error|listening\"}");
        awaitRequestWith("Cannot find module ./missing");
        String seen = allUserText();
        assertThat(seen).contains("ready: listening on http://localhost:3000", "error: Cannot find module ./missing", "<process-output id=\"bg_");
        assertThat(seen).doesNotContain("compiling 12 modules", "GET / 200 in 3 ms", "GET /favicon.ico 404");

        // the list: command, pid, start, state, exit code, last lines; bob reads it too (as he reads the messages)
        JsonNode listed = json(send(bob, "GET", "/sessions/" + session + "/processes", null));
        assertThat(listed).hasSize(1);
        JsonNode p = listed.get(0);
        assertThat(p.get("command").asString()).isEqualTo("bash dev-server.sh");
        assertThat(p.get("state").asString()).isEqualTo("running");
        assertThat(p.get("monitor").asString()).isEqualTo("error|listening");
        assertThat(p.get("startedAt").asLong()).isPositive();
        assertThat(p.has("exitCode")).isFalse();
        assertThat(p.get("lastLines").toString()).contains("GET /favicon.ico 404");
        long pid = p.get("pid").asLong();
        String id = p.get("id").asString();

        // bob may not type into alice's process nor end it; alice may
        String base = "/sessions/" + session + "/processes/" + id;
        assertThat(send(bob, "POST", base + "/input", "{\"text\": \"x\\n\"}").statusCode()).isEqualTo(403);
        assertThat(send(bob, "POST", base + "/kill", "").statusCode()).isEqualTo(403);
        assertThat(ChildProcesses.isRunning(pid)).isTrue();
        assertThat(send(alice, "GET", "/sessions/" + session + "/processes/bg_999999/output", null).statusCode()).isEqualTo(404);
        assertThat(send(alice, "GET", base + "/output?since=-1", null).statusCode()).isEqualTo(400);
        JsonNode out = json(send(alice, "GET", base + "/output?since=0", null));
        assertThat(out.get("text").asString()).contains("compiling 12 modules");
        assertThat(send(alice, "POST", base + "/kill", "").statusCode()).isEqualTo(200);
        assertThat(ChildProcesses.isRunning(pid)).isFalse();
        awaitRequestWith("The user ended background command " + id);
        assertThat(json(send(alice, "GET", "/sessions/" + session + "/processes", null)).get(0).get("state").asString()).isEqualTo("killed");
        assertThat(send(alice, "POST", base + "/input", "{\"text\": \"x\\n\"}").statusCode()).isEqualTo(409);
        awaitIdle(session);
    }

    @Test
    void whatTheOwnerTypesReachesTheProcessTheModelReads() throws Exception {
        String session = startedByTheModel("{\"command\": \"while read -r l; do echo typed:$l; done\", \"background\": true}");
        String id = awaitProcess(session);
        String base = "/sessions/" + session + "/processes/" + id;
        assertThat(send(alice, "POST", base + "/input", "{\"text\": \"hello from the user\\n\"}").statusCode()).isEqualTo(200);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        String text = "";
        while (System.nanoTime() < deadline && !text.contains("typed:hello from the user")) {
            text = json(send(bob, "GET", base + "/output", null)).get("text").asString();
            Thread.sleep(50);
        }
        assertThat(text).contains("typed:hello from the user");
        assertThat(send(alice, "POST", base + "/input", "{\"text\": \"" + "y".repeat(70_000) + "\"}").statusCode()).isEqualTo(400);
        awaitIdle(session);
        assertThat(send(alice, "DELETE", "/sessions/" + session, null).statusCode()).isEqualTo(200);
    }

    @Test
    void archivingEndsTheTreeASleepAndASetsiddedOneIncluded() throws Exception {
        String amp = "sleep " + (20000 + System.nanoTime() % 10000);
        String sid = "sleep " + (30000 + System.nanoTime() % 10000);
        String session = startedByTheModel("{\"command\": \"" + amp + " & setsid " + sid + " >/dev/null 2>&1 < /dev/null & echo up; wait\", \"background\": true}");
        List<Long> pids = List.of(ChildProcesses.awaitAnywhere(amp), ChildProcesses.awaitAnywhere(sid));
        awaitIdle(session);
        assertThat(send(alice, "PATCH", "/sessions/" + session, "{\"archived\": true}").statusCode()).isEqualTo(200);
        for (long pid : pids) assertThat(ChildProcesses.isRunning(pid)).as("pid " + pid + " after the archive").isFalse();
        assertThat(json(send(alice, "GET", "/sessions/" + session + "/processes", null))).isEmpty();
    }

    @Test
    void deletingTheSessionEndsItsTree() throws Exception {
        String amp = "sleep " + (40000 + System.nanoTime() % 10000);
        String session = startedByTheModel("{\"command\": \"" + amp + " & wait\", \"background\": true}");
        long pid = ChildProcesses.awaitAnywhere(amp);
        awaitIdle(session);
        assertThat(send(alice, "DELETE", "/sessions/" + session, null).statusCode()).isEqualTo(200);
        assertThat(ChildProcesses.isRunning(pid)).isFalse();
        assertThat(send(alice, "GET", "/sessions/" + session + "/processes", null).statusCode()).isEqualTo(404);
    }

    static String awaitProcess(String session) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode listed = json(send(alice, "GET", "/sessions/" + session + "/processes", null));
            if (!listed.isEmpty()) return listed.get(0).get("id").asString();
            Thread.sleep(50);
        }
        throw new AssertionError("no process in " + session);
    }

    static void awaitRequestWith(String text) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline && !allUserText().contains(text)) Thread.sleep(50);
        assertThat(allUserText()).as("what the model was sent: " + live.llm.requests().stream().map(r -> r.toolResult("call_bg").orElse("-")).toList())
                .contains(text);
    }

    /** Every user-role text the model was sent, in every request. */
    static String allUserText() {
        var out = new StringBuilder();
        for (RecordedRequest r : live.llm.requests()) {
            for (JsonNode m : r.messages()) if (m.path("role").asString().equals("user")) out.append(m.path("content").toString()).append('\n');
        }
        return out.toString().replace("\\\"", "\"").replace("\\n", "\n");
    }

    static void awaitIdle(String session) throws InterruptedException {
        try (var client = live.client()) {
            live.awaitIdle(client, new SessionId(session));
        }
    }

    static JsonNode json(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return WireJson.mapper().readTree(r.body());
    }

    static String addUser(String name) throws Exception {
        var made = send(live.token, "POST", "/users", "{\"name\": \"" + name + "\", \"admin\": false}");
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        return WireJson.mapper().readTree(made.body()).get("token").asString();
    }

    static String createSession(String token) throws Exception {
        var made = send(token, "POST", "/sessions", "{\"directory\": \"" + live.project + "\"}");
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        return WireJson.mapper().readTree(made.body()).get("id").asString();
    }

    static HttpResponse<String> send(String token, String method, String path, String body) throws Exception {
        var builder = HttpRequest.newBuilder(URI.create(live.http.url() + path)).timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token);
        if (body != null && !body.isEmpty()) builder.header("Content-Type", "application/json");
        builder.method(method, body == null || body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }
}
