package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.client.HttpLatheClient;
import dev.lathe.client.ServerEndpoint;
import dev.lathe.protocol.api.CreateSessionRequest;
import dev.lathe.protocol.api.EventFilter;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.run.console.ExitCode;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.TempWorkspace;
import dev.lathe.testkit.Turn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The per-user daemon (DESIGN §3) with real processes: bare {@code lathe} starts it detached, it outlives its client,
 * racing starters share one, a stale server.json is replaced, {@code lathe stop} stops it, it exits when idle, and a
 * second server is refused at once. Every test stops its daemon.
 */
class DaemonLifecycleIT {
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final Pattern SERVER_URL = Pattern.compile("\\((http://127\\.0\\.0\\.1:\\d+)");

    @TempDir Path home;
    FakeLlm llm;
    TempWorkspace ws;
    Lathe lathe;

    @BeforeEach
    void setUp() {
        llm = FakeLlm.start();
        ws = TempWorkspace.create().write("a.txt", "x\n").initGitRepo();
        lathe = new Lathe(home, Lathe.providerConfig("openai-chat", llm.baseUrl(), "sk-daemon"));
    }

    @AfterEach
    void tearDown() {
        lathe.stopDaemon();
        ws.close();
        llm.close();
    }

    @Test
    void bareLatheStartsADaemonThatOutlivesItsClient() throws Exception {
        llm.enqueue(Turn.of(Step.text("The answer is 42. " + "More words follow. ".repeat(36))).delayBetweenEvents(Duration.ofMillis(50)));
        var client = lathe.start(ws.path()).type("what is the answer?");
        assertThat(llm.awaitRequests(1, Duration.ofSeconds(60))).as("the model was asked").isTrue();
        ServerEndpoint server = lathe.server().orElseThrow();
        assertThat(server.pid()).isNotEqualTo(client.process().pid());
        // detached: a session of its own, so the terminal's Ctrl-C and hang-up never reach it
        assertThat(LocalDaemonProcs.sessionId(server.pid())).isNotEqualTo(LocalDaemonProcs.sessionId(client.process().pid()));
        assertThat(Files.readString(lathe.serverLog())).contains("started by pid " + client.process().pid()).contains("listening on");
        // the server's JIT (decisions 56, 62, 371), whatever the client that started it ran with
        assertThat(ProcessHandle.of(server.pid()).flatMap(p -> p.info().arguments()).map(List::of).orElseThrow())
                .contains("-XX:TieredStopAtLevel=1", "-XX:CompileThresholdScaling=0.3", "-XX:ReservedCodeCacheSize=240m").contains("serve");

        client.process().destroyForcibly();
        assertThat(client.process().waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ProcessHandle.of(server.pid()).map(ProcessHandle::isAlive)).contains(true);

        JsonNode session = awaitIdle();
        assertThat(session.get("directory").asString()).isEqualTo(ws.path().toString());
        try (var api = HttpLatheClient.connect(server, Optional.of(ws.path().toString()))) {
            var history = api.messages(new dev.lathe.protocol.SessionId(session.get("id").asString()));
            assertThat(history).hasSize(2);
            var answer = (AssistantMessage) history.getLast().info();
            assertThat(answer.completedAt()).isPresent();
            assertThat(answer.error()).isEmpty();
            assertThat(history.getLast().parts()).anySatisfy(p -> assertThat(p).isInstanceOfSatisfying(Part.Text.class,
                    t -> assertThat(t.text()).startsWith("The answer is 42.").endsWith("More words follow. ")));
        }

        // a later client attaches to the same session by URL (token from server.json) and waits for its turn at end of input
        llm.enqueue(Turn.of(Step.text("Still 42.")));
        var attach = lathe.runIn(ws.path(), "and now?\n", "attach", server.url());
        assertThat(attach.exit()).as(attach.stderr()).isZero();
        assertThat(attach.stderr()).contains("attached to " + session.get("id").asString());
        assertThat(attach.stdout()).contains("The answer is 42.").contains("Still 42.");
        assertThat(llm.requests().getLast().messages().toString()).contains("what is the answer?").contains("The answer is 42.").contains("and now?");
    }

    @Test
    void twoSimultaneousStartsEndOnOneServer() throws Exception {
        var first = lathe.start(ws.path()).endInput();
        var second = lathe.start(ws.path()).endInput();
        assertThat(first.awaitExit()).as(first.stderr()).isZero();
        assertThat(second.awaitExit()).as(second.stderr()).isZero();
        String url = serverUrl(first.stderr());
        assertThat(serverUrl(second.stderr())).isEqualTo(url);
        assertThat(lathe.server()).hasValueSatisfying(s -> assertThat(s.url()).isEqualTo(url));
        assertThat(Files.readAllLines(lathe.serverLog())).filteredOn(l -> l.contains("listening on")).hasSize(1);
    }

    @Test
    void aStaleServerJsonIsReplaced() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Process notAServer = new ProcessBuilder("sleep", "60").start();
        try {
            for (long stalePid : new long[] {gone.pid(), notAServer.pid()}) {
                Files.createDirectories(lathe.serverJson().getParent());
                Files.writeString(lathe.serverJson(), "{\"url\":\"http://127.0.0.1:9\",\"token\":\"old\",\"pid\":" + stalePid + ",\"version\":\"0.0.1\"}");
                var r = lathe.runIn(ws.path(), "");
                assertThat(r.exit()).as(r.stderr()).isZero();
                ServerEndpoint fresh = lathe.server().orElseThrow();
                assertThat(fresh.pid()).isNotEqualTo(stalePid);
                assertThat(fresh.token()).isNotEqualTo("old");
                lathe.stopDaemon();
            }
            assertThat(notAServer.isAlive()).as("an unrelated process named by a stale file is left alone").isTrue();
        } finally {
            notAServer.destroy();
        }
    }

    /**
     * {@code lathe stop} says what it stopped, which sessions it interrupted (a turn in a long command here) and how to go
     * on (issue 71, minor 15: it said "stopped the server" alone, and nothing of the turn it cut off).
     */
    @Test
    void stopStopsTheDaemonAndSaysSoWhenNoneRuns() throws Exception {
        assertThat(lathe.runIn(ws.path(), "").exit()).isZero();
        ServerEndpoint server = lathe.server().orElseThrow();
        long pid = server.pid();
        llm.enqueue(Turn.of(Step.toolCall("call_long", "bash", "{\"command\": \"sleep 60\"}")));
        // a daemon-first run (DESIGN §3), the daemon this test's terminal UI started
        var run = lathe.daemonFirst().start(ws.path(), "run", "--allow-all", "a long command");
        assertThat(llm.awaitRequests(1, Duration.ofSeconds(60))).isTrue();
        String session;
        try (var api = HttpLatheClient.connect(server, Optional.of(ws.path().toString()))) {
            session = api.sessions(ws.path().toString()).getFirst().id().value();
        }

        var stop = lathe.run("stop");
        assertThat(stop.exit()).isZero();
        assertThat(stop.stderr().lines().toList()).as(stop.stderr()).hasSize(4).satisfies(lines -> {
            assertThat(lines.get(0)).isEqualTo("lathe: stopped the background server (pid " + pid + ")");
            assertThat(lines.get(1)).isEqualTo("lathe: 1 working session was interrupted (continue one with lathe run --session ID MESSAGE,"
                    + " or open it in lathe; prompts queued in it run when the server starts again):");
            assertThat(lines.get(2)).startsWith("  " + session + "  ").endsWith(ws.path().getFileName() + ")");
            assertThat(lines.get(3)).isEqualTo("lathe: the next lathe, lathe run or lathe web starts it again; an open terminal UI does when you"
                    + " press Enter in it");
        });
        // ended: gone, or a zombie its parent (the terminal UI that started it) has not reaped yet, as lathe stop counts it
        assertThat(ended(pid)).isTrue();
        assertThat(lathe.serverJson()).doesNotExist();
        // issue 70: the run said a bare "Connection refused"; now what happened, what is kept and how to go on
        assertThat(run.awaitExit()).as(run.stderr()).isEqualTo(ExitCode.MODEL_ERROR);
        assertThat(run.stderr().lines().filter(l -> l.contains("server")).toList()).as(run.stderr()).containsExactly("lathe: the background server was"
                + " stopped (lathe stop) during this run's turn; the session " + session + " is kept up to its last finished step: continue it with"
                + " lathe run --session " + session + " MESSAGE (which starts the server again)");

        var again = lathe.run("stop");
        assertThat(again.exit()).isZero();
        assertThat(again.stderr()).isEqualTo("lathe: no background server is running: nothing to stop\n");

        // the command it named goes on in a new daemon; that one killed mid-stream is said as a stop nobody asked for
        llm.enqueue(Turn.of(Step.text("slow words ".repeat(40))).delayBetweenEvents(Duration.ofMillis(100)));
        var resumed = lathe.start(ws.path(), "run", "--session", session, "go on");
        assertThat(llm.awaitRequests(2, Duration.ofSeconds(60))).as("the continued session's request").isTrue();
        ProcessHandle.of(lathe.server().orElseThrow().pid()).orElseThrow().destroyForcibly();
        assertThat(resumed.awaitExit()).as(resumed.stderr()).isEqualTo(ExitCode.MODEL_ERROR);
        // the reason is the failed call's own: refused, or reset when a call was under way
        assertThat(resumed.stderr()).containsPattern("lathe: the background server stopped during this run's turn \\([^;]+; its log: "
                + Pattern.quote(lathe.serverLog().toString()) + "\\); the session " + session + " is kept up to its last finished step: continue it with"
                + " lathe run --session " + session + " MESSAGE").doesNotContain("cannot reach");

        // a server that refuses the first call: nothing was made there, and the run says so (not a bare reason)
        var refused = lathe.withEnv("LATHE_SERVER_TOKEN", "t0k3n").run("run", "--dir", ws.path().toString(), "--attach", server.url(), "hello");
        assertThat(refused.exit()).as(refused.stderr()).isEqualTo(ExitCode.MODEL_ERROR);
        assertThat(refused.stderr().strip()).isEqualTo("lathe: cannot reach the Lathe server at " + server.url() + " (Connection refused); nothing was sent");
    }

    @Test
    void anIdleDaemonExitsAfterItsTimeoutButNotWhileAClientOrATurnIsThere() throws Exception {
        Process serve = lathe.command("serve", "--daemon", "--idle-timeout", "2s")
                .redirectOutput(home.resolve("serve.out").toFile()).redirectError(home.resolve("serve.err").toFile()).start();
        ServerEndpoint server = DaemonIT.awaitServer(lathe.serverJson(), serve);
        llm.enqueue(Turn.of(Step.text("slow answer ".repeat(40))).delayBetweenEvents(Duration.ofMillis(75)));
        long promptedAt;
        try (var api = HttpLatheClient.connect(server, Optional.of(ws.path().toString()))) {
            var session = api.createSession(CreateSessionRequest.in(ws.path().toString()));
            try (var _ = api.subscribe(EventFilter.session(session.id()), 0, e -> { })) {
                Thread.sleep(3_000);
                assertThat(serve.isAlive()).as("an open event stream is a client").isTrue();
                api.prompt(session.id(), PromptRequest.text("take your time"));
                promptedAt = System.nanoTime();
            }
        }
        assertThat(serve.waitFor(30, TimeUnit.SECONDS)).as("the idle daemon exits").isTrue();
        Duration afterPrompt = Duration.ofNanos(System.nanoTime() - promptedAt);
        // the ~3 s turn kept it alive with no client; then 2 s of idleness
        assertThat(afterPrompt).isGreaterThan(Duration.ofMillis(4_500));
        assertThat(serve.exitValue()).isZero();
        assertThat(lathe.serverJson()).doesNotExist();
        assertThat(Files.readString(home.resolve("serve.err"))).contains("no client and no running session for 2s; exiting");
        // the lock went with it: a new server starts at once
        assertThat(lathe.runIn(ws.path(), "").exit()).isZero();
    }

    @Test
    void aSecondServerIsRefusedWithinASecond() throws Exception {
        assertThat(lathe.runIn(ws.path(), "").exit()).isZero();
        long pid = lathe.server().orElseThrow().pid();
        // the JVM's own start is not Lathe's to speed up (and is slow on a loaded machine): compare with --version
        long baseline = Long.MAX_VALUE;
        long refused = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long t0 = System.nanoTime();
            assertThat(lathe.run("--version").exit()).isZero();
            baseline = Math.min(baseline, System.nanoTime() - t0);
            long t1 = System.nanoTime();
            var second = lathe.run("serve");
            refused = Math.min(refused, System.nanoTime() - t1);
            assertThat(second.exit()).isEqualTo(ExitCode.USAGE);
            assertThat(second.stderr()).contains("another Lathe server is running").contains("pid " + pid).contains("lathe stop");
        }
        assertThat(Duration.ofNanos(refused - baseline)).as("refusal beyond JVM start (baseline %d ms)", baseline / 1_000_000)
                .isLessThan(Duration.ofSeconds(1));
        assertThat(lathe.server()).hasValueSatisfying(s -> assertThat(s.pid()).isEqualTo(pid));
    }

    /**
     * The folder's one session once it is idle, as {@code lathe sessions} prints it. Polled over the daemon's API
     * (decision 407): a {@code lathe sessions} process every 200 ms cost a JVM start each.
     */
    private JsonNode awaitIdle() throws Exception {
        String dir = ws.path().toString();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try (var api = HttpLatheClient.connect(lathe.server().orElseThrow(), Optional.of(dir))) {
            var sessions = api.sessions(dir);
            while (!(sessions.size() == 1 && api.status(sessions.getFirst().id()) instanceof SessionStatus.Idle)) {
                if (System.nanoTime() > deadline) throw new AssertionError("the session never became idle: " + sessions);
                Thread.sleep(200);
                sessions = api.sessions(dir);
            }
        }
        var r = lathe.run("sessions", "--dir", dir, "--format", "json");
        assertThat(r.exit()).as(r.stderr()).isZero();
        JsonNode list = JSON.readTree(r.stdout());
        assertThat(list).hasSize(1);
        assertThat(list.get(0).get("status").asString()).as("lathe sessions' status").isEqualTo("idle");
        return list.get(0);
    }

    private static String serverUrl(String stderr) {
        var m = SERVER_URL.matcher(stderr);
        assertThat(m.find()).as(stderr).isTrue();
        return m.group(1);
    }

    /** Process facts the JDK does not expose. */
    static final class LocalDaemonProcs {
        /** Field 6 of /proc/PID/stat: the session id. */
        static String sessionId(long pid) throws Exception {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).split(" ")[3];
        }
    }

    /** Whether the process {@code pid} ended: gone, or a zombie (Java counts one as alive; its state in /proc is Z). */
    private static boolean ended(long pid) throws java.io.IOException {
        if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) return true;
        java.nio.file.Path stat = java.nio.file.Path.of("/proc/" + pid + "/stat");
        if (!java.nio.file.Files.exists(stat)) return true;
        String text = java.nio.file.Files.readString(stat);
        return text.substring(text.lastIndexOf(')') + 2).startsWith("Z");
    }
}
