package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.client.HttpLatheClient;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.CreateSessionRequest;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.protocol.session.UserMessage;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.PostgresCluster;
import dev.lathe.testkit.RecordedRequest;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.TempWorkspace;
import dev.lathe.testkit.Turn;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A team node drains (DESIGN §34, §18 "Runners"), the way Kubernetes stops a pod: two real {@code lathe serve} nodes on
 * one PostgreSQL, SIGTERM ({@code Process.destroy}) to the node running a scripted turn. A turn that ends within
 * {@code drain.seconds} ends there with its answer; a prompt queued behind it and a prompt sent through the draining
 * node during the drain are answered once each by the other node; {@code /health} says draining; the node exits 0
 * within the drain + 5 s. A turn stuck in a tool past the drain is stopped, its answer (with the call) kept, and the
 * prompt behind it continues on the other node. Only an admin's token drains a node through {@code POST /admin/drain}.
 */
class DrainIT {
    @TempDir Path tmp;

    /** The model: a slow call (sleep 4), a hanging one (sleep 600), else one answer naming what it answers. */
    private static Turn respond(RecordedRequest r) {
        String last = r.lastUserText();
        if (last.contains("SLOW")) {
            return r.toolResult("call_slow").isPresent() ? Turn.of(Step.text("SLOW-DONE"))
                    : Turn.of(Step.toolCall("call_slow", "bash", "{\"command\":\"sleep 4\"}"));
        }
        if (last.contains("HANG")) {
            return r.toolResult("call_hang").isPresent() ? Turn.of(Step.text("HANG-AFTER"))
                    : Turn.of(Step.toolCall("call_hang", "bash", "{\"command\":\"sleep 600\"}"));
        }
        if (last.contains("NEXT")) return Turn.of(Step.text("NEXT-DONE"));
        if (last.contains("NEW")) return Turn.of(Step.text("NEW-DONE"));
        return Turn.of(Step.text("OTHER"));
    }

    private static String config(FakeLlm llm, int drainSeconds) {
        String provider = Lathe.providerConfig("anthropic-messages", llm.baseUrl(), "sk-x");
        return provider.substring(0, provider.length() - 1) + ", \"permission\": {\"bash\": \"allow\"}, \"drain\": {\"seconds\": " + drainSeconds + "}}";
    }

    @Test
    void sigtermLetsTheTurnFinishSendsNewWorkToTheOtherNodeAndExitsZero() throws Exception {
        var db = PostgresCluster.shared().newDatabase("drain_finish");
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create()) {
            ws.write("notes.txt", "x\n").initGitRepo();
            llm.respondWith(DrainIT::respond);
            List<TeamNode> nodes = new ArrayList<>();
            try {
                nodes.addAll(TeamNode.startAll(List.of(tmp.resolve("node-a"), tmp.resolve("node-b")), config(llm, 30), db.url()));
                SessionId id;
                try (var client = nodes.getFirst().client(ws.path())) {
                    id = client.createSession(CreateSessionRequest.in(ws.path().toString())).id();
                    client.prompt(id, PromptRequest.text("SLOW work please"));
                }
                TeamNode draining = TeamNode.awaitHolder(db, id, nodes);
                TeamNode other = nodes.stream().filter(n -> n != draining).findFirst().orElseThrow();
                SessionId fresh;
                try (var client = draining.client(ws.path())) {
                    awaitRunningCall(client, id);
                    // queued behind the running turn: the draining node starts no further turn, the other node answers it
                    client.prompt(id, PromptRequest.text("NEXT thing"));
                    fresh = client.createSession(CreateSessionRequest.in(ws.path().toString())).id();
                }

                long signalled = System.nanoTime();
                draining.process().destroy();  // SIGTERM, as the kubelet sends it
                await(() -> health(draining).contains("\"draining\":true"), Duration.ofSeconds(10));
                try (var client = draining.client(ws.path())) {
                    // a prompt sent through the draining node is accepted and waits in the store for the other node
                    client.prompt(fresh, PromptRequest.text("NEW question"));
                }
                assertThat(draining.process().waitFor(35, TimeUnit.SECONDS)).as("exited within the drain + 5 s").isTrue();
                Duration took = Duration.ofNanos(System.nanoTime() - signalled);
                assertThat(draining.process().exitValue()).as(draining.log()).isZero();
                assertThat(draining.log()).contains("drained; exiting").doesNotContain("Exception in thread");

                try (var client = other.client(ws.path())) {
                    await(() -> completedTexts(client, id).contains("NEXT-DONE") && completedTexts(client, fresh).contains("NEW-DONE"), Duration.ofSeconds(60));
                    Thread.sleep(1_500);  // nothing more comes
                    // the turn that ran during the drain finished there, with its tool call and its answer
                    List<MessageWithParts> history = client.messages(id);
                    assertThat(history).extracting(m -> m.info().getClass().getSimpleName())
                            .containsExactly("UserMessage", "AssistantMessage", "UserMessage", "AssistantMessage");
                    var first = (AssistantMessage) history.get(1).info();
                    assertThat(first.error()).isEmpty();
                    assertThat(first.parentId()).isEqualTo(((UserMessage) history.get(0).info()).id());
                    assertThat(history.get(1).parts()).anySatisfy(p -> assertThat(p).isInstanceOfSatisfying(Part.Tool.class,
                            t -> assertThat(t.state()).isInstanceOf(ToolState.Completed.class)));
                    assertThat(texts(history.get(1))).contains("SLOW-DONE");
                    assertThat(texts(history.get(3))).isEqualTo("NEXT-DONE");
                    assertThat(client.messages(fresh)).hasSize(2);
                    // every prompt answered once: the slow turn's two requests, then one each
                    assertThat(llm.requests()).hasSize(4);
                    // and the other node ran both: the draining node started no turn after its running one
                    var metrics = send(HttpRequest.newBuilder(URI.create(other.endpoint().url() + "/metrics"))
                            .header("Authorization", "Bearer " + other.endpoint().token()).GET()).body();
                    assertThat(metrics).containsPattern("(?m)^lathe_turn_duration_seconds_count 2$");
                }
                System.out.println("drain: the node exited " + took.toMillis() + " ms after SIGTERM (its turn needed ~4 s)");
            } finally {
                for (TeamNode n : nodes) n.close();
            }
        }
    }

    @Test
    void aTurnStuckInAToolPastTheDrainIsStoppedKeptAndItsSessionGoesOnElsewhere() throws Exception {
        var db = PostgresCluster.shared().newDatabase("drain_stuck");
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create()) {
            ws.write("notes.txt", "x\n").initGitRepo();
            llm.respondWith(DrainIT::respond);
            List<TeamNode> nodes = new ArrayList<>();
            try {
                nodes.addAll(TeamNode.startAll(List.of(tmp.resolve("node-a"), tmp.resolve("node-b")), config(llm, 3), db.url()));
                SessionId id;
                try (var client = nodes.getFirst().client(ws.path())) {
                    id = client.createSession(CreateSessionRequest.in(ws.path().toString())).id();
                    client.prompt(id, PromptRequest.text("HANG on"));
                }
                TeamNode draining = TeamNode.awaitHolder(db, id, nodes);
                TeamNode other = nodes.stream().filter(n -> n != draining).findFirst().orElseThrow();
                try (var client = draining.client(ws.path())) {
                    awaitRunningCall(client, id);
                    client.prompt(id, PromptRequest.text("NEXT after the hang"));
                }
                long signalled = System.nanoTime();
                draining.process().destroy();
                draining.process().destroy();  // a second SIGTERM changes nothing: one drain
                assertThat(draining.process().waitFor(3 + 5, TimeUnit.SECONDS)).as("exited within the drain + 5 s").isTrue();
                long exitedAt = System.nanoTime();
                assertThat(draining.process().exitValue()).as(draining.log()).isZero();
                assertThat(Duration.ofNanos(exitedAt - signalled)).isGreaterThanOrEqualTo(Duration.ofSeconds(3));

                try (var client = other.client(ws.path())) {
                    // its lease was let go, not left to expire (15 s): the other node goes on within 5 s of the exit
                    await(() -> completedTexts(client, id).contains("NEXT-DONE"), Duration.ofSeconds(5));
                    System.out.println("drain: the released session was answered elsewhere " + Duration.ofNanos(System.nanoTime() - exitedAt).toMillis()
                            + " ms after the node exited");
                    Thread.sleep(1_500);
                    List<MessageWithParts> history = client.messages(id);
                    assertThat(history).extracting(m -> m.info().getClass().getSimpleName())
                            .containsExactly("UserMessage", "AssistantMessage", "UserMessage", "AssistantMessage");
                    // the stopped answer is kept, closed, with the call it was in
                    var stopped = (AssistantMessage) history.get(1).info();
                    assertThat(stopped.completedAt()).isPresent();
                    assertThat(history.get(1).parts()).anySatisfy(p -> assertThat(p).isInstanceOfSatisfying(Part.Tool.class,
                            t -> assertThat(t.callId()).isEqualTo("call_hang")));
                    assertThat(texts(history.get(1))).doesNotContain("HANG-AFTER");
                    assertThat(texts(history.get(3))).isEqualTo("NEXT-DONE");
                    // the hanging prompt was not asked again: its call, then the next prompt
                    assertThat(llm.requests()).hasSize(2);
                }
            } finally {
                for (TeamNode n : nodes) n.close();
            }
        }
    }

    @Test
    void onlyAnAdminDrainsANodeOnceAndASqliteServerSaysItIsNoTeamNode() throws Exception {
        var db = PostgresCluster.shared().newDatabase("drain_rights");
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create()) {
            ws.write("notes.txt", "x\n").initGitRepo();
            llm.respondWith(DrainIT::respond);
            try (var node = TeamNode.start(tmp.resolve("node"), config(llm, 60), db.url()); var client = node.client(ws.path())) {
                String admin = node.endpoint().token();
                String nodeId = node.nodeId();
                String bob = node.addUser("bob");
                assertThat(drain(node.endpoint().url(), null, null).statusCode()).isEqualTo(401);
                assertThat(drain(node.endpoint().url(), "lathe_not_a_token", null).statusCode()).isEqualTo(401);
                var member = drain(node.endpoint().url(), bob, null);
                assertThat(member.statusCode()).isEqualTo(403);
                assertThat(member.body()).contains("\"error\"");
                // a web page elsewhere cannot drain it with the admin's browser: the one filter refuses the origin first
                assertThat(drain(node.endpoint().url(), admin, "http://evil.example").statusCode()).isEqualTo(403);
                assertThat(send(HttpRequest.newBuilder(URI.create(node.endpoint().url() + "/admin/drain")).header("Authorization", "Bearer " + admin)
                        .GET()).statusCode()).isEqualTo(405);
                assertThat(health(node)).contains("\"draining\":false");

                // a turn runs (a 4 s call), so the node is still there for the second request
                SessionId id = client.createSession(CreateSessionRequest.in(ws.path().toString())).id();
                client.prompt(id, PromptRequest.text("SLOW work please"));
                awaitRunningCall(client, id);
                var first = drain(node.endpoint().url(), admin, null);
                assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
                assertThat(first.body()).contains("\"draining\":true", "\"seconds\":60", "\"running\":1", nodeId);
                // asked again (the preStop hook, then SIGTERM): the same answer, one drain
                var again = drain(node.endpoint().url(), admin, null);
                assertThat(again.statusCode()).isEqualTo(202);
                assertThat(again.body()).isEqualTo(first.body());
                assertThat(health(node)).contains("\"draining\":true");
                // its turn ends (the call's 4 s), then it exits 0; the answer is there for the next node
                assertThat(node.process().waitFor(60 + 5, TimeUnit.SECONDS)).isTrue();
                assertThat(node.process().exitValue()).as(node.log()).isZero();
                assertThat(node.log()).contains("drained; exiting");
            }
            // one process, SQLite: no other node would take its sessions
            var lathe = new Lathe(tmp.resolve("solo"), Lathe.providerConfig("anthropic-messages", llm.baseUrl(), "sk-x"));
            var serve = ServeProcess.start(lathe);
            try {
                var ready = serve.awaitReady(Duration.ofSeconds(120));
                var refused = drain(ready.endpoint().url(), ready.endpoint().token(), null);
                assertThat(refused.statusCode()).isEqualTo(409);
                assertThat(refused.body()).contains("not a team-server node");
                assertThat(serve.isAlive()).isTrue();
            } finally {
                serve.kill();
            }
        }
    }

    @Test
    void lathesServeDrainDrainsTheNodeOfItsFoldersAndWaitsForItsExit() throws Exception {
        var db = PostgresCluster.shared().newDatabase("drain_command");
        try (var llm = FakeLlm.start(); var node = TeamNode.start(tmp.resolve("node"), config(llm, 60), db.url())) {
            String nodeId = node.nodeId();
            var result = node.run("serve", "--drain");
            assertThat(result.exit()).as(result.stderr()).isZero();
            assertThat(result.stderr()).contains("node " + nodeId + " drains: 0 running turns have 60 s to end", "node " + nodeId + " drained and exited");
            // it waited for the exit: the process is gone, with 0
            assertThat(node.process().isAlive()).isFalse();
            assertThat(node.process().exitValue()).as(node.log()).isZero();
            // no server left: nothing to drain, said
            var none = node.run("serve", "--drain");
            assertThat(none.exit()).isEqualTo(2);
            assertThat(none.stderr()).contains("nothing to drain");
        }
    }

    private static HttpResponse<String> drain(String url, String token, String origin) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(url + "/admin/drain")).POST(HttpRequest.BodyPublishers.noBody());
        if (token != null) request.header("Authorization", "Bearer " + token);
        if (origin != null) request.header("Origin", origin);
        return send(request);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String health(TeamNode node) {
        try {
            return send(HttpRequest.newBuilder(URI.create(node.endpoint().url() + "/health")).GET()).body().replace(" ", "");
        } catch (Exception e) {
            return "";
        }
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    private static void await(Check check, Duration within) throws Exception {
        long end = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < end) {
            if (check.holds()) return;
            Thread.sleep(100);
        }
        throw new AssertionError("not within " + within.toSeconds() + " s");
    }

    /** The text of the session's completed answers, joined. */
    private static String completedTexts(HttpLatheClient client, SessionId id) {
        StringBuilder out = new StringBuilder();
        for (MessageWithParts m : client.messages(id)) {
            if (m.info() instanceof AssistantMessage a && a.completedAt().isPresent()) out.append(texts(m)).append('\n');
        }
        return out.toString();
    }

    private static String texts(MessageWithParts m) {
        StringBuilder out = new StringBuilder();
        for (Part p : m.parts()) if (p instanceof Part.Text t) out.append(t.text());
        return out.toString();
    }

    private static void awaitRunningCall(HttpLatheClient client, SessionId id) throws Exception {
        await(() -> client.messages(id).stream().flatMap(m -> m.parts().stream())
                .anyMatch(p -> p instanceof Part.Tool t && t.state() instanceof ToolState.Running), Duration.ofSeconds(120));
    }
}
