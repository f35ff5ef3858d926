package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.client.HttpLatheClient;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.CreateSessionRequest;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Part;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.PostgresCluster;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.TempWorkspace;
import dev.lathe.testkit.Turn;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lathe serve --store postgresql://…} from the packaged jar against the tests' throwaway PostgreSQL (DESIGN §20,
 * §18 "Team server"): a session and its completed parts survive a kill -9 and are served by a node started on other
 * folders; a wrong password fails at once without printing it; the default SQLite path reports itself and never loads
 * the PostgreSQL driver or the pool.
 */
class ServeStoreIT {
    private static final String PASSWORD = "Tr0ub4dor-and-3";

    @TempDir Path tmp;

    @Test
    void aSessionAndItsCompletedPartsOutliveAKilledNodeInPostgres() throws Exception {
        var cluster = PostgresCluster.shared();
        var db = cluster.newDatabase("serve_e2e");
        cluster.createRole("lathe_node", PASSWORD);
        cluster.psql("ALTER DATABASE " + db.name() + " OWNER TO lathe_node");
        // the password from the environment ({env:…}), as a user keeps it off the command line
        String store = "postgresql://lathe_node:{env:TEAM_DB_PASSWORD}@127.0.0.1:" + db.port() + "/" + db.name();
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create()) {
            ws.write("notes.txt", "remember the milk\n").initGitRepo();
            String config = Lathe.providerConfig("anthropic-messages", llm.baseUrl(), "sk-x");
            var first = new Lathe(tmp.resolve("node-a"), config).withEnv("TEAM_DB_PASSWORD", PASSWORD);
            SessionId id;
            Process serve = serve(first, "--store", store);
            try {
                var endpoint = DaemonIT.awaitServer(first.serverJson(), serve);
                assertThat(health(endpoint.url())).contains("\"ok\":true").contains("\"store\":\"postgresql\"").contains("\"node\":\"node_");
                try (var client = HttpLatheClient.connect(endpoint, Optional.of(ws.path().toString()))) {
                    id = client.createSession(CreateSessionRequest.in(ws.path().toString())).id();
                    llm.enqueue(Turn.of(Step.text("The notes say to remember the milk.")));
                    client.prompt(id, PromptRequest.text("what do my notes say?"));
                    awaitAnswers(client, id, 1);
                    // a second answer streams slowly: the node is killed in the middle of it
                    llm.enqueue(Turn.of(Step.text("Thinking it over. " + "And over. ".repeat(200))).delayBetweenEvents(Duration.ofMillis(40)));
                    client.prompt(id, PromptRequest.text("and then?"));
                    assertThat(llm.awaitRequests(2, Duration.ofSeconds(60))).isTrue();
                    Thread.sleep(800);
                }
            } finally {
                serve.destroyForcibly();  // SIGKILL
                assertThat(serve.waitFor(15, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(serve.exitValue()).isEqualTo(ServeProcess.KILLED_BY_SIGKILL);
            assertThat(first.database()).as("nothing went to SQLite").doesNotExist();

            // another node, on folders of its own, finds everything in the database
            var second = new Lathe(tmp.resolve("node-b"), config).withEnv("LATHE_STORE", store).withEnv("TEAM_DB_PASSWORD", PASSWORD);
            Process again = serve(second);
            String secondNode;
            try {
                var endpoint = DaemonIT.awaitServer(second.serverJson(), again);
                String secondHealth = health(endpoint.url());
                assertThat(secondHealth).contains("\"store\":\"postgresql\"");
                secondNode = secondHealth.replaceAll(".*\"node\":\"(node_[0-9a-f]+)\".*", "$1");
                try (var client = HttpLatheClient.connect(endpoint, Optional.of(ws.path().toString()))) {
                    assertThat(client.sessions(ws.path().toString())).extracting(s -> s.id()).containsExactly(id);
                    List<MessageWithParts> history = client.messages(id);
                    assertThat(history).hasSize(4);
                    var answer = (AssistantMessage) history.get(1).info();
                    assertThat(answer.completedAt()).isPresent();
                    assertThat(answer.error()).isEmpty();
                    assertThat(history.get(1).parts()).anySatisfy(p -> assertThat(p).isInstanceOfSatisfying(Part.Text.class,
                            t -> assertThat(t.text()).isEqualTo("The notes say to remember the milk.")));
                    assertThat(history.get(1).parts()).anyMatch(Part.StepFinish.class::isInstance);
                    // the answer the kill cut is closed as interrupted (the node was alone on the database at its start)
                    var cut = (AssistantMessage) history.get(3).info();
                    assertThat(cut.completedAt()).isPresent();
                    assertThat(cut.error()).hasValueSatisfying(e -> assertThat(e.kind()).isEqualTo("interrupted"));

                    llm.enqueue(Turn.of(Step.text("Back again.")));
                    client.prompt(id, PromptRequest.text("are you there?"));
                    awaitAnswers(client, id, 3);
                    assertThat(client.messages(id).getLast().parts()).anySatisfy(p -> assertThat(p).isInstanceOfSatisfying(Part.Text.class,
                            t -> assertThat(t.text()).isEqualTo("Back again.")));
                }
            } finally {
                again.destroy();
                assertThat(again.waitFor(15, TimeUnit.SECONDS)).isTrue();
            }
            // a team node's log names the node in every line, its start-up and stop lines included (issue 45)
            assertThat(Files.readAllLines(second.home().resolve("serve.log"))).isNotEmpty()
                    .allSatisfy(line -> assertThat(line).startsWith("[" + secondNode + "] "));
            assertThat(everythingWritten(tmp)).doesNotContain(PASSWORD);
        }
    }

    @Test
    void aWrongPasswordFailsServeAtOnceNamingTheStoreButNotThePassword() throws Exception {
        var cluster = PostgresCluster.shared();
        var db = cluster.newDatabase("serve_wrong");
        cluster.createRole("lathe_wrong", PASSWORD);
        var lathe = new Lathe(Files.createDirectories(tmp.resolve("home")), "{}");
        String wrong = "Not-The-Password-42";
        var result = lathe.run("serve", "--store", "postgresql://lathe_wrong:" + wrong + "@127.0.0.1:" + db.port() + "/" + db.name());
        assertThat(result.exit()).isNotZero();
        assertThat(result.stderr()).contains("database " + db.name() + " on 127.0.0.1:" + db.port() + " as user lathe_wrong")
                .contains("password authentication failed");
        assertThat(result.stdout() + result.stderr()).doesNotContain(wrong);
        assertThat(everythingWritten(tmp)).doesNotContain(wrong);
        assertThat(lathe.serverJson()).doesNotExist();
    }

    @Test
    void theDefaultStoreIsSqliteWithAStableNodeAndNeverLoadsThePostgresDriver() throws Exception {
        var lathe = new Lathe(tmp.resolve("home"), Lathe.providerConfig("openai-chat", "http://127.0.0.1:9/v1", "sk-x"));
        Path classLog = tmp.resolve("classes.log");
        lathe.withJvmFlags(List.of("-Xlog:class+load=info:file=" + classLog));
        String node = null;
        for (int start = 0; start < 2; start++) {
            Process serve = serve(lathe);
            try {
                var endpoint = DaemonIT.awaitServer(lathe.serverJson(), serve);
                String health = health(endpoint.url());
                assertThat(health).contains("\"ok\":true").contains("\"store\":\"sqlite\"");
                String thisNode = health.replaceAll(".*\"node\":\"(node_[0-9a-f]+)\".*", "$1");
                if (node != null) assertThat(thisNode).as("the same folders, the same node").isEqualTo(node);
                node = thisNode;
                try (var client = HttpLatheClient.connect(endpoint, Optional.empty())) {
                    client.createSession(CreateSessionRequest.in(Files.createDirectories(tmp.resolve("project")).toString()));
                }
            } finally {
                serve.destroy();
                assertThat(serve.waitFor(15, TimeUnit.SECONDS)).isTrue();
            }
        }
        // the embedded default's log looks as it did: no node in its lines
        assertThat(Files.readAllLines(lathe.home().resolve("serve.log"))).isNotEmpty().noneSatisfy(line -> assertThat(line).startsWith("[node_"));
        String classes = Files.readString(classLog);
        assertThat(classes).contains("dev.lathe.core.store.sqlite.SqliteStorage");
        assertThat(classes).doesNotContain("org.postgresql").doesNotContain("com.zaxxer").doesNotContain("dev.lathe.core.store.postgresql");
    }

    private static Process serve(Lathe lathe, String... args) throws java.io.IOException {
        Files.createDirectories(lathe.home());
        var command = Stream.concat(Stream.of("serve"), Stream.of(args)).toArray(String[]::new);
        return lathe.command(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(lathe.home().resolve("serve.log").toFile())).start();
    }

    private static String health(String url) throws Exception {
        var response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + "/health")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body().replace(" ", "");
    }

    private static void awaitAnswers(HttpLatheClient client, SessionId id, int answers) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            var done = client.messages(id).stream().filter(m -> m.info() instanceof AssistantMessage a && a.completedAt().isPresent()).count();
            if (done >= answers) return;
            Thread.sleep(100);
        }
        throw new AssertionError("no answer");
    }

    /** Every text file the nodes wrote under {@code dir} (logs, server.json, state), concatenated. */
    private static String everythingWritten(Path dir) throws java.io.IOException {
        var out = new StringBuilder();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).filter(f -> !f.toString().endsWith(".db")).toList()) {
                try {
                    out.append(Files.readString(f)).append('\n');
                } catch (java.nio.charset.MalformedInputException e) {
                    // binary: not a log
                }
            }
        }
        return out.toString();
    }
}
