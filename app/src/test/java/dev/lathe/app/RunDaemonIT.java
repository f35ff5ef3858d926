package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.TempWorkspace;
import dev.lathe.testkit.Turn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code lathe run} daemon-first (DESIGN §3): it starts the user's daemon when none runs and uses it from then on; a
 * closed terminal (SIGHUP) leaves the turn to the daemon, Ctrl-C (SIGINT) aborts it; {@code --standalone} and {@code CI}
 * run in process and leave nothing behind. Also the headless contract scripts rely on: the {@code result} line, the
 * summary on stderr, piped stdin, an unknown command.
 */
class RunDaemonIT {
    @TempDir Path home;

    @Test
    void theFirstRunStartsTheDaemonTheNextOneUsesItAndEachEndsWithItsResult() throws Exception {
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create()) {
            ws.write("a.txt", "alpha\n").initGitRepo();
            var lathe = new Lathe(home, Lathe.providerConfig("openai-chat", llm.baseUrl(), "sk-daemon-first")).daemonFirst();
            try {
                llm.enqueue(Turn.of(Step.text("first answer")).usage(1000, 50, 0, 0));
                var first = lathe.run("run", "--dir", ws.path().toString(), "hello");
                assertThat(first.exit()).as(first.stderr()).isZero();
                assertThat(first.stdout().strip()).isEqualTo("first answer");
                // text mode ends with one summary line on stderr
                assertThat(first.stderr().lines().toList().getLast()).matches("lathe: 1 step, 1,050 tokens, price unknown, \\d+\\.\\d s, session ses_\\w+");
                long daemon = lathe.server().orElseThrow(() -> new AssertionError("no daemon after the first run")).pid();

                llm.enqueue(Turn.of(Step.toolCall("r1", "read", "{\"path\":\"a.txt\"}")).finish("tool_calls"));
                // issue 82: a request the provider turned away and that was sent again is no step of its own
                llm.enqueue(Turn.httpError(503, "{\"error\":{\"message\":\"overloaded\"}}", Map.of("retry-after", "0.1")));
                llm.enqueue(Turn.of(Step.text("Let me "), Step.text("answer: alpha.")));
                var second = lathe.run("run", "--dir", ws.path().toString(), "--continue", "--format", "json", "what is in a.txt?");
                assertThat(second.exit()).as(second.stderr()).isZero();
                assertThat(lathe.server().orElseThrow().pid()).as("the same daemon served the second run").isEqualTo(daemon);
                List<String> lines = second.stdout().lines().toList();
                JsonNode result = RunIT.JSON.readTree(lines.getLast());
                assertThat(result.path("type").asString()).isEqualTo("result");
                assertThat(result.path("text").asString()).isEqualTo("Let me answer: alpha.");
                assertThat(result.path("steps").asInt()).isEqualTo(2);
                assertThat(result.path("reason").asString()).isEqualTo("stop");
                assertThat(result.path("exitCode").asInt()).isZero();
                assertThat(result.path("tokens").path("input").asLong()).isEqualTo(200);
                assertThat(result.has("cost")).isTrue();
                assertThat(result.path("durationMs").asLong()).isPositive();
                // --continue: the same session as the first run's, which the events name too
                String sessionId = result.path("sessionId").asString();
                assertThat(lines.subList(0, lines.size() - 1)).allSatisfy(l -> assertThat(RunIT.JSON.readTree(l).has("seq")).isTrue());
                assertThat(lines).anySatisfy(l -> assertThat(l).contains(sessionId).contains("\"message.updated\""));
                assertThat(second.stderr()).doesNotContain(" tokens, ");
            } finally {
                lathe.stopDaemon();
            }
            assertThat(lathe.server()).isEmpty();
        }
    }

    @Test
    void standaloneAndCiRunInProcessAndLeaveNothingBehind() throws Exception {
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create()) {
            ws.write("a.txt", "alpha\n").initGitRepo();
            var lathe = new Lathe(home, Lathe.providerConfig("openai-chat", llm.baseUrl(), "sk-standalone"));

            llm.enqueue(Turn.of(Step.text("in process")));
            var ci = lathe.run("run", "--dir", ws.path().toString(), "hello");  // the harness sets CI
            assertThat(ci.exit()).as(ci.stderr()).isZero();
            assertThat(ci.stdout().strip()).isEqualTo("in process");
            assertThat(lathe.serverJson()).doesNotExist();

            // piped standard input follows the message, after a blank line
            lathe.daemonFirst();
            llm.enqueue(Turn.of(Step.text("a diff of one line")));
            var piped = lathe.runWithInput("--- a/x\n+++ b/x\n", "run", "--standalone", "--dir", ws.path().toString(), "review this:");
            assertThat(piped.exit()).as(piped.stderr()).isZero();
            assertThat(lathe.serverJson()).as("--standalone starts no daemon").doesNotExist();
            assertThat(llm.requests().getLast().lastUserText()).startsWith("review this:\n\n--- a/x\n+++ b/x");

            // only piped text: the prompt is the input itself
            llm.enqueue(Turn.of(Step.text("ok")));
            var onlyInput = lathe.runWithInput("explain a.txt\n", "run", "--standalone", "--dir", ws.path().toString());
            assertThat(onlyInput.exit()).as(onlyInput.stderr()).isZero();
            assertThat(llm.requests().getLast().lastUserText()).startsWith("explain a.txt");

            // a mistyped command is bad usage, not text for the model
            int before = llm.requests().size();
            var unknown = lathe.run("run", "--standalone", "--dir", ws.path().toString(), "/nosuch", "arg");
            assertThat(unknown.exit()).isEqualTo(2);
            assertThat(unknown.stderr()).contains("unknown command /nosuch");
            assertThat(llm.requests()).hasSize(before);
            assertThat(lathe.serverJson()).doesNotExist();

            // a daemon that cannot be started (its state folder cannot be made): the run says so and goes on in process
            Path blocked = Files.writeString(home.resolve("a-file"), "not a folder");
            Files.createDirectories(home.resolve("fallback"));
            var fallback = new Lathe(home.resolve("fallback"), Lathe.providerConfig("openai-chat", llm.baseUrl(), "sk-standalone"))
                    .daemonFirst().withEnv("XDG_STATE_HOME", blocked.resolve("state").toString());
            llm.enqueue(Turn.of(Step.text("in process after all")));
            var inProcess = fallback.run("run", "--dir", ws.path().toString(), "hello");
            assertThat(inProcess.exit()).as(inProcess.stderr()).isZero();
            assertThat(inProcess.stdout().strip()).isEqualTo("in process after all");
            assertThat(inProcess.stderr()).contains("lathe: could not start the background server, so this run is in this process:");
        }
    }

    @Test
    void aBrokenConfigIsSaidOnceAndFirstAndATakenPortsReasonIsOnTheTerminal() throws Exception {
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create()) {
            ws.write("a.txt", "alpha\n").initGitRepo();
            // issue 53: "could not start the background server" came before the config's own error
            var broken = new Lathe(home.resolve("broken"), "{\"model\": \"fake/fake-model\",\n \"sandbx\": \"on\"}").daemonFirst();
            Files.createDirectories(home.resolve("broken"));
            var r = broken.run("run", "--dir", ws.path().toString(), "hello");
            assertThat(r.exit()).as(r.stderr()).isEqualTo(2);
            assertThat(said(r.stderr()).getFirst()).startsWith("lathe: LATHE_CONFIG_CONTENT:2: sandbx: unknown key");
            assertThat(r.stderr()).doesNotContain("background server");
            assertThat(r.stderr().split("sandbx: unknown key", -1)).as("said once").hasSize(2);
            assertThat(broken.server()).isEmpty();

            // issue 53: a taken port's reason was only in server.log
            try (var taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                int port = taken.getLocalPort();
                String config = Lathe.providerConfig("openai-chat", llm.baseUrl(), "sk-port");
                var lathe = new Lathe(home.resolve("port"), config.substring(0, config.length() - 1) + ", \"server\": {\"port\": " + port + "}}")
                        .daemonFirst();
                Files.createDirectories(home.resolve("port"));
                llm.enqueue(Turn.of(Step.text("in process")));
                var run = lathe.run("run", "--dir", ws.path().toString(), "hello");
                assertThat(run.exit()).as(run.stderr()).isZero();
                assertThat(run.stdout().strip()).isEqualTo("in process");
                String first = said(run.stderr()).getFirst();
                assertThat(first).startsWith("lathe: could not start the background server").contains(String.valueOf(port));
                assertThat(lathe.server()).isEmpty();
            }
        }
    }

    /** The lines of {@code stderr} but the note of a slow daemon start (a busy machine), which may come first. */
    private static List<String> said(String stderr) {
        List<String> lines = stderr.lines().filter(l -> !l.contains(" is still starting; waiting up to ")).toList();
        return lines.isEmpty() ? List.of("") : lines;
    }

    @Test
    void aRunThatFailsBeforeItsSessionBeginsStopsTheDaemonItStartedButNotOneThatRan() throws Exception {
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create(); var other = TempWorkspace.create()) {
            ws.write("a.txt", "alpha\n").initGitRepo();
            // a project config the daemon reads only when the session is made: the daemon itself starts fine
            other.write("lathe.json", "{\n  \"permission\": {\"edit\": \"alow\"}\n}\n").initGitRepo();
            var lathe = new Lathe(home, Lathe.providerConfig("openai-chat", llm.baseUrl(), "sk-vain")).daemonFirst();
            try {
                var failed = lathe.run("run", "--dir", other.path().toString(), "hello");
                assertThat(failed.exit()).as(failed.stderr()).isEqualTo(2);
                assertThat(failed.stderr()).contains("permission.edit").contains("did you mean \"allow\"");
                assertThat(lathe.server()).as("issue 53: a failed run left the daemon it started").isEmpty();
                assertThat(lathe.home().resolve("state/lathe/server.stopped")).as("not the user's lathe stop").doesNotExist();

                llm.enqueue(Turn.of(Step.text("warm")));
                assertThat(lathe.run("run", "--dir", ws.path().toString(), "hello").exit()).isZero();
                long daemon = lathe.server().orElseThrow().pid();
                var again = lathe.run("run", "--dir", other.path().toString(), "hello");
                assertThat(again.exit()).isEqualTo(2);
                assertThat(lathe.server().map(e -> e.pid())).as("a daemon that ran before stays").contains(daemon);
            } finally {
                lathe.stopDaemon();
            }
        }
    }

    @Test
    void aClosedTerminalLeavesTheTurnToTheDaemonAndCtrlCAbortsIt() throws Exception {
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create()) {
            ws.write("a.txt", "alpha\n").initGitRepo();
            // notices of finished turns (notify.when away, the default): one a line in a file, as a user's script keeps them
            Path notices = home.resolve("notices.jsonl");
            String config = Lathe.providerConfig("openai-chat", llm.baseUrl(), "sk-signals");
            config = config.substring(0, config.length() - 1) + ", \"notify\": {\"command\": [\"/bin/sh\", \"-c\", \"cat >> '" + notices
                    + "'; echo >> '" + notices + "'\"], \"on\": [\"done\"]}}";
            var lathe = new Lathe(home, config).daemonFirst();
            try {
                // watched: a run that stays for its turn's end is told nothing by a notice (issue 71, minor 10)
                llm.enqueue(Turn.of(Step.text("seen as it happened")));
                var watched = lathe.run("run", "--dir", ws.path().toString(), "quick work");
                assertThat(watched.exit()).as(watched.stderr()).isZero();
                String watchedSession = watched.stderr().replaceAll("(?s).*session (ses_\\w+).*", "$1");

                // SIGHUP mid-turn: this client goes, the turn finishes in the daemon (the bash call, then the answer)
                llm.enqueue(Turn.of(Step.toolCall("b1", "bash", "{\"command\":\"sleep 2 && echo survived > hup.txt\"}")).finish("tool_calls"));
                llm.enqueue(Turn.of(Step.text("finished without you")));
                var hup = lathe.start(ws.path(), "run", "--allow-all", "slow work");
                assertThat(llm.awaitRequests(2, Duration.ofSeconds(60))).as("first request").isTrue();
                signal("HUP", hup.process());
                assertThat(hup.process().waitFor(10, TimeUnit.SECONDS)).as("the client exits on SIGHUP").isTrue();
                assertThat(llm.awaitRequests(3, Duration.ofSeconds(30))).as("the turn went on in the daemon").isTrue();
                assertThat(ws.read("hup.txt")).isEqualTo("survived\n");
                assertThat(lathe.server()).isPresent();
                // away: nobody watched the turn's end, so its notice was sent; the watched run's never was
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (!Files.exists(notices) && System.nanoTime() < deadline) Thread.sleep(100);
                Thread.sleep(500);
                assertThat(Files.readString(notices).lines().filter(l -> !l.isBlank()).toList()).as("one notice, the away turn's").singleElement()
                        .satisfies(n -> assertThat(n).contains("\"event\":\"done\"").doesNotContain(watchedSession));

                // SIGINT mid-turn: the turn is aborted, its bash is stopped, no further request is made
                llm.enqueue(Turn.of(Step.toolCall("b2", "bash", "{\"command\":\"sleep 3 && echo ran-on > int.txt\"}")).finish("tool_calls"));
                llm.enqueue(Turn.of(Step.text("must not be asked for")));
                var interrupted = lathe.start(ws.path(), "run", "--allow-all", "--format", "json", "more slow work");
                assertThat(llm.awaitRequests(4, Duration.ofSeconds(60))).isTrue();
                Thread.sleep(500);  // the bash call has started
                signal("INT", interrupted.process());
                assertThat(interrupted.awaitExit()).as(interrupted.stderr()).isEqualTo(130);
                JsonNode result = RunIT.JSON.readTree(interrupted.stdout().lines().toList().getLast());
                assertThat(result.path("type").asString()).isEqualTo("result");
                assertThat(result.path("reason").asString()).isEqualTo("aborted");
                Thread.sleep(4000);
                assertThat(llm.requests()).hasSize(4);
                assertThat(ws.path().resolve("int.txt")).doesNotExist();
            } finally {
                lathe.stopDaemon();
            }
        }
    }

    @Test
    void failuresExplainThemselves() throws Exception {
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create()) {
            ws.write("a.txt", "alpha\n").initGitRepo();
            Files.createDirectories(home.resolve("refused"));
            Files.createDirectories(home.resolve("remote"));
            int closedPort;
            try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                closedPort = socket.getLocalPort();
            }
            String nobody = "http://127.0.0.1:" + closedPort + "/v1";
            long start = System.nanoTime();
            var refused = new Lathe(home.resolve("refused"), Lathe.providerConfig("openai-chat", nobody, "sk-refused"))
                    .run("run", "--dir", ws.path().toString(), "hello");
            assertThat(refused.exit()).isEqualTo(1);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("no retries for a local server that is not running")
                    .isLessThan(Duration.ofSeconds(20));
            assertThat(refused.stderr()).contains("connection refused to " + nobody).contains("is the server at http://127.0.0.1:" + closedPort + " running?")
                    .doesNotContain("retrying");

            var lathe = new Lathe(home.resolve("remote"), Lathe.providerConfig("openai-chat", llm.baseUrl(), "sk-secret-4f1d"));
            llm.enqueue(Turn.httpError(503, "{\"error\":{\"message\":\"overloaded\"}}", Map.of("retry-after", "1")));
            llm.enqueue(Turn.of(Step.text("second try")));
            var retried = lathe.run("run", "--dir", ws.path().toString(), "hello");
            assertThat(retried.exit()).as(retried.stderr()).isZero();
            assertThat(retried.stderr()).containsPattern("lathe: retrying in 1 s \\(attempt 2/\\d+\\): overloaded");

            llm.enqueue(Turn.httpError(401, "{\"error\":{\"message\":\"invalid api key\",\"type\":\"invalid_request_error\"}}", Map.of()));
            var refusedKey = lathe.run("run", "--dir", ws.path().toString(), "hello");
            assertThat(refusedKey.exit()).isEqualTo(1);
            assertThat(refusedKey.stderr()).contains("the key from config (provider.fake.apiKey) was refused").doesNotContain("sk-secret-4f1d");
        }
    }

    private static void signal(String name, Process process) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        assertThat(kill.waitFor()).isZero();
    }

}
