package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.client.HttpLatheClient;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.run.console.ExitCode;
import dev.lathe.term.AskArming;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.TempWorkspace;
import dev.lathe.testkit.Turn;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console client of bare {@code lathe} / {@code lathe attach}: permission asks on the console, Ctrl-C, tokens. */
class ConsoleIT {
    @TempDir Path home;
    FakeLlm llm;
    TempWorkspace ws;
    Lathe lathe;

    @BeforeEach
    void setUp() {
        llm = FakeLlm.start();
        ws = TempWorkspace.create().write("a.txt", "x\n").initGitRepo();
        lathe = new Lathe(home, Lathe.providerConfig("anthropic-messages", llm.baseUrl(), "sk-console"));
    }

    @AfterEach
    void tearDown() {
        lathe.stopDaemon();
        ws.close();
        llm.close();
    }

    @Test
    void permissionAsksAreAnsweredOnTheConsole() throws Exception {
        llm.enqueue(Turn.of(Step.toolCall("c1", "bash", "{\"command\":\"echo made > made.txt\"}")));
        llm.enqueue(Turn.of(Step.toolCall("c2", "bash", "{\"command\":\"rm a.txt\"}")));
        llm.enqueue(Turn.of(Step.text("Kept a.txt.")));
        var client = lathe.start(ws.path()).type("make a file, then delete a.txt");

        awaitOutput(client, err -> err.contains("permission: bash"));
        // issue 42: an answer in the ask's first moment is held back with a note, then taken once it has been read
        client.type("o");
        awaitOutput(client, err -> err.contains("it just appeared"));
        Thread.sleep(AskArming.MILLIS);
        client.type("o");
        awaitOutput(client, err -> err.indexOf("permission: bash") != err.lastIndexOf("permission: bash"));
        Thread.sleep(AskArming.MILLIS);
        client.type("r please keep a.txt");
        client.endInput();

        assertThat(client.awaitExit()).as(client.stderr()).isZero();
        assertThat(ws.read("made.txt")).isEqualTo("made\n");
        assertThat(ws.resolve("a.txt")).exists();
        // (the tool lines' ✓ and ✗ print as ? here: the test's child has no UTF-8 locale)
        assertThat(client.stderr()).contains("bash echo made > made.txt").contains("[o]nce  [a]lways")
                .contains("bash rejected by you: please keep a.txt").doesNotContain("permission_rejected");
        // the message went to the model as the call's result and the turn went on
        assertThat(llm.requests()).hasSize(3);
        assertThat(llm.requests().get(2).toolResult("c2")).hasValueSatisfying(r -> assertThat(r).contains("please keep a.txt"));
        assertThat(client.stdout()).contains("Kept a.txt.");
    }

    @Test
    void aPipeThatEndedBeforeAnAskOpensDetachesInsteadOfWaitingForever() throws Exception {
        // the prompt and the end of input both come before the model asks to run anything (a piped lathe)
        llm.enqueue(Turn.of(Step.toolCall("c1", "bash", "{\"command\":\"rm a.txt\"}")).delayBetweenEvents(Duration.ofMillis(300)));
        var client = lathe.start(ws.path()).type("delete a.txt");
        client.endInput();

        assertThat(client.process().waitFor(60, TimeUnit.SECONDS)).as("exited: " + client.stderr()).isTrue();
        assertThat(client.awaitExit()).as(client.stderr()).isZero();
        assertThat(client.stderr()).contains("permission: bash").contains("end of input with a question open; detaching");
        assertThat(ws.resolve("a.txt")).as("nobody approved it").exists();
    }

    @Test
    void ctrlCAbortsTheTurnAndASecondOneExitsLeavingTheDaemon() throws Exception {
        llm.enqueue(Turn.of(Step.text("A long story. " + "And then... ".repeat(200))).delayBetweenEvents(Duration.ofMillis(50)));
        var client = lathe.start(ws.path()).type("tell me a long story");
        assertThat(llm.awaitRequests(1, Duration.ofSeconds(60))).isTrue();
        awaitOutput(client, Predicate.not(String::isEmpty), Lathe.Started::stdout);

        signal(client, "INT");
        awaitOutput(client, err -> err.contains("aborting the turn"));
        var server = lathe.server().orElseThrow();
        try (var api = HttpLatheClient.connect(server, Optional.of(ws.path().toString()))) {
            SessionId id = api.sessions(ws.path().toString()).getFirst().id();
            for (int i = 0; i < 100 && !(api.status(id) instanceof SessionStatus.Idle); i++) Thread.sleep(100);
            assertThat(api.status(id)).isInstanceOf(SessionStatus.Idle.class);
            var last = (AssistantMessage) api.messages(id).getLast().info();
            assertThat(last.error()).hasValueSatisfying(e -> assertThat(e.kind()).isEqualTo("aborted"));
            assertThat(client.process().isAlive()).as("the first Ctrl-C only aborts").isTrue();

            signal(client, "INT");
            assertThat(client.process().waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(client.process().exitValue()).isZero();
            assertThat(api.health().healthy()).as("the daemon stays").isTrue();
        }
    }

    @Test
    void attachingToAForeignUrlNeedsAToken() throws Exception {
        var r = lathe.runIn(ws.path(), "", "attach", "http://127.0.0.1:9");
        assertThat(r.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(r.stderr()).contains("no token for http://127.0.0.1:9").contains("LATHE_SERVER_TOKEN");
        assertThat(lathe.serverJson()).as("an explicit URL never starts the daemon").doesNotExist();
    }

    @Test
    void attachSessionResumesThatSessionInTheDaemon() throws Exception {
        llm.enqueue(Turn.of(Step.text("first answer")));
        var first = lathe.runIn(ws.path(), "hello\n");
        assertThat(first.exit()).as(first.stderr()).isZero();
        String id;
        try (var api = HttpLatheClient.connect(lathe.server().orElseThrow(), Optional.empty())) {
            id = api.sessions(ws.path().toString()).getFirst().id().value();
        }
        llm.enqueue(Turn.of(Step.text("second answer")));
        var again = lathe.runIn(home, "/new\nfresh start\n", "attach", "--session", id, "--dir", ws.path().toString());
        assertThat(again.exit()).as(again.stderr()).isZero();
        assertThat(again.stderr()).contains("attached to " + id).contains("new session in " + ws.path());
        assertThat(again.stdout()).contains("first answer").contains("second answer");
        try (var api = HttpLatheClient.connect(lathe.server().orElseThrow(), Optional.empty())) {
            assertThat(api.sessions(ws.path().toString())).hasSize(2);
        }
    }

    private static void signal(Lathe.Started client, String signal) throws Exception {
        assertThat(new ProcessBuilder("kill", "-" + signal, Long.toString(client.process().pid())).start().waitFor()).isZero();
    }

    private static void awaitOutput(Lathe.Started client, Predicate<String> done) throws Exception {
        awaitOutput(client, done, Lathe.Started::stderr);
    }

    private interface Output {
        String of(Lathe.Started s) throws IOException;
    }

    private static void awaitOutput(Lathe.Started client, Predicate<String> done, Output which) throws Exception {
        for (int i = 0; i < 600; i++) {
            if (done.test(which.of(client))) return;
            if (!client.process().isAlive()) throw new AssertionError("the client exited: " + client.stderr());
            Thread.sleep(100);
        }
        throw new AssertionError("never seen; stderr so far: " + client.stderr());
    }
}
