package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.CreateSessionRequest;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.api.Delivery;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.protocol.session.UserMessage;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.PostgresCluster;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.TempWorkspace;
import dev.lathe.testkit.Turn;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Take-over after kill -9 (DESIGN §20, §18 "Team server"): three real {@code lathe serve} nodes on one PostgreSQL, the
 * default lease (15 s). The node running a turn (a tool call that sleeps) is killed with SIGKILL while two more prompts
 * wait, sent through the other nodes. Another node takes the lease after its expiry, closes the interrupted call as
 * failed and the cut answer as interrupted, and answers the waiting prompts, within 30 s of the kill; nothing is
 * answered twice (the model is asked exactly once more, and the killed turn's prompt gets no second answer).
 */
class TeamServerTakeoverIT {
    @TempDir Path tmp;

    @Test
    void anotherNodeFinishesTheQueuedWorkWithin30SecondsOfAKill9AndAnswersNothingTwice() throws Exception {
        var db = PostgresCluster.shared().newDatabase("team_takeover");
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create()) {
            ws.write("notes.txt", "remember the milk\n").initGitRepo();
            String provider = Lathe.providerConfig("anthropic-messages", llm.baseUrl(), "sk-x");
            String config = provider.substring(0, provider.length() - 1) + ", \"permission\": {\"bash\": \"allow\"}}";
            List<TeamNode> nodes = new ArrayList<>();
            try {
                nodes.addAll(TeamNode.startAll(List.of(tmp.resolve("node-a"), tmp.resolve("node-b"), tmp.resolve("node-c")), config, db.url()));
                var first = nodes.getFirst();
                SessionId id;
                try (var client = first.client(ws.path())) {
                    id = client.createSession(CreateSessionRequest.in(ws.path().toString())).id();
                    llm.enqueue(Turn.of(Step.toolCall("call_wait", "bash", "{\"command\":\"sleep 120\"}")));
                    client.prompt(id, PromptRequest.text("wait for a while"));
                    assertThat(llm.awaitRequests(1, Duration.ofSeconds(120))).isTrue();
                }
                TeamNode holder = awaitHolder(db.jdbcUrl(), db.user(), id, nodes);
                String holderNode = nodeId(holder);
                var others = nodes.stream().filter(n -> n != holder).toList();
                // the call is running on the holder; two prompts wait, sent through the two other nodes
                try (var c0 = others.get(0).client(ws.path()); var c1 = others.get(1).client(ws.path())) {
                    awaitRunningCall(c0, id);
                    // steered: they wait for the running turn's next step, which the node that takes over answers in one
                    // turn (queued prompts, the default since decision 408, run one turn each)
                    c0.prompt(id, PromptRequest.text("then check the notes").delivered(Delivery.steer));
                    c1.prompt(id, PromptRequest.text("and say what they hold").delivered(Delivery.steer));
                }
                llm.enqueue(Turn.of(Step.text("The notes say to remember the milk.")));
                Thread.sleep(1_500);  // the holder has seen the waiting prompts: it took their queue rows
                assertThat(llm.requests()).hasSize(1);

                long killedAt = System.nanoTime();
                holder.kill();
                try (var client = others.getFirst().client(ws.path())) {
                    while (true) {
                        List<MessageWithParts> history = client.messages(id);
                        if (history.getLast().info() instanceof AssistantMessage a && a.completedAt().isPresent()) break;
                        assertThat(Duration.ofNanos(System.nanoTime() - killedAt)).as("the queued work finished within 30 s of the kill")
                                .isLessThan(Duration.ofSeconds(30));
                        Thread.sleep(200);
                    }
                    Duration took = Duration.ofNanos(System.nanoTime() - killedAt);
                    System.out.println("take-over: queued work answered " + took.toMillis() + " ms after the kill");
                    Thread.sleep(2_000);  // nothing more comes
                    List<MessageWithParts> history = client.messages(id);
                    assertThat(history).extracting(m -> m.info().getClass().getSimpleName())
                            .containsExactly("UserMessage", "AssistantMessage", "UserMessage", "UserMessage", "AssistantMessage");
                    var cut = (AssistantMessage) history.get(1).info();
                    assertThat(cut.error()).hasValueSatisfying(e -> assertThat(e.kind()).isEqualTo("interrupted"));
                    assertThat(history.get(1).parts()).anySatisfy(p -> assertThat(p).isInstanceOfSatisfying(Part.Tool.class,
                            t -> assertThat(t.state()).isInstanceOf(ToolState.Failed.class)));
                    var answer = (AssistantMessage) history.get(4).info();
                    assertThat(answer.error()).isEmpty();
                    assertThat(answer.parentId()).isEqualTo(((UserMessage) history.get(3).info()).id());
                    assertThat(history.get(4).parts()).anySatisfy(p -> assertThat(p).isInstanceOfSatisfying(Part.Text.class,
                            t -> assertThat(t.text()).isEqualTo("The notes say to remember the milk.")));
                    // the model was asked once more, not twice; the lease is a live node's
                    assertThat(llm.requests()).hasSize(2);
                    String after = holderId(db.jdbcUrl(), db.user(), id).orElse("");
                    assertThat(after).isNotEqualTo(holderNode);
                }
                assertThat(holder.log()).doesNotContain("Exception in thread");
            } finally {
                for (TeamNode n : nodes) n.close();
            }
        }
    }

    private static TeamNode awaitHolder(String jdbcUrl, String user, SessionId id, List<TeamNode> nodes) throws Exception {
        for (int i = 0; i < 600; i++) {
            Optional<String> node = holderId(jdbcUrl, user, id);
            if (node.isPresent()) {
                for (TeamNode n : nodes) if (nodeId(n).equals(node.get())) return n;
                throw new AssertionError("the lease names no running node: " + node.get());
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no node took the session's lease");
    }

    private static Optional<String> holderId(String jdbcUrl, String user, SessionId id) throws Exception {
        try (var c = DriverManager.getConnection(jdbcUrl, user, ""); var ps = c.prepareStatement("SELECT node FROM session_lease WHERE session_id = ?")) {
            ps.setString(1, id.value());
            try (var rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    private static String nodeId(TeamNode node) throws Exception {
        var response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(node.endpoint().url() + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.body().replace(" ", "").replaceAll(".*\"node\":\"(node_[0-9a-f]+)\".*", "$1");
    }

    private static void awaitRunningCall(dev.lathe.client.HttpLatheClient client, SessionId id) throws InterruptedException {
        for (int i = 0; i < 1200; i++) {
            List<MessageWithParts> history = client.messages(id);
            boolean running = history.stream().flatMap(m -> m.parts().stream())
                    .anyMatch(p -> p instanceof Part.Tool t && t.state() instanceof ToolState.Running);
            if (running) return;
            Thread.sleep(100);
        }
        throw new AssertionError("the call never ran");
    }
}
