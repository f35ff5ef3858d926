package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.client.HttpLatheClient;
import dev.lathe.protocol.api.McpServerInfo;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.NpmServers;
import dev.lathe.testkit.RecordedRequest;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.TempWorkspace;
import dev.lathe.testkit.Turn;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MCP servers as a user meets them (issue 26), on the packaged jar: one {@code lathe serve} for the whole class, each
 * test in a folder of its own whose {@code lathe.json} (or {@code .mcp.json}) configures its servers, turns run by
 * {@code lathe run} as a client of that server, the model scripted. The servers are the real npm ones
 * (server-everything over stdio and Streamable HTTP, server-filesystem) and small shell commands that misbehave.
 */
class McpServersIT {
    private static final Duration CONNECT = Duration.ofSeconds(60);
    @TempDir static Path home;
    private static FakeLlm llm;
    private static Lathe lathe;
    private static ServeProcess serve;
    private static HttpLatheClient api;
    private static final String EVERYTHING = NpmServers.bin("mcp-server-everything").toString();

    @BeforeAll
    static void startServer() throws Exception {
        llm = FakeLlm.start();
        lathe = new Lathe(home, Lathe.providerConfig("anthropic-messages", llm.baseUrl(), RunIT.KEY)).daemonFirst();
        serve = ServeProcess.start(lathe);
        api = HttpLatheClient.connect(serve.awaitReady(Duration.ofSeconds(60)).endpoint(), Optional.empty());
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (serve != null) serve.stop(Duration.ofSeconds(20));
        if (llm != null) llm.close();
    }

    @Test
    void toolsOfStdioStreamableHttpAndFilesystemServersRunAndTheirResultsReachTheNextRequest() throws Exception {
        Path shared = Files.createTempDirectory(home, "shared").toRealPath();
        Files.writeString(shared.resolve("notes.txt"), "the filesystem server read this: marker-4711\n");
        int port = freePort();
        Process http = startStreamableHttpEverything(port);
        try (var ws = RunIT.project()) {
            configure(ws, """
                    {"mcp": {"ev": {"type": "local", "command": ["%s"]},
                             "web": {"type": "remote", "url": "http://127.0.0.1:%d/mcp", "oauth": false},
                             "fs": {"type": "local", "command": ["%s", "%s"]}}}
                    """.formatted(EVERYTHING, port, NpmServers.bin("mcp-server-filesystem"), shared));
            String dir = ws.path().toString();
            for (String name : List.of("ev", "web", "fs")) awaitServer(dir, name, s -> s.status().equals("connected"));

            int before = llm.requests().size();
            llm.enqueue(Turn.of(Step.toolCall("call_stdio", "ev_echo", "{\"message\":\"over stdio\"}"),
                    Step.toolCall("call_http", "web_echo", "{\"message\":\"over streamable http\"}"),
                    Step.toolCall("call_fs", "fs_read_text_file", "{\"path\":\"" + shared.resolve("notes.txt") + "\"}")));
            llm.enqueue(Turn.of(Step.text("All three answered.")));
            var run = lathe.run("run", "--dir", dir, "--allow-all", "use the three servers");

            assertThat(run.exit()).as(run.stderr()).isZero();
            assertThat(run.stdout()).contains("All three answered.");
            List<RecordedRequest> requests = llm.requests().subList(before, llm.requests().size());
            assertThat(requests).hasSize(2);
            // three servers' tools exceed the first request's allowance: they are behind tool_search, called by name
            assertThat(requests.getFirst().toolNames()).contains("tool_search").doesNotContain("ev_echo", "web_echo", "fs_read_text_file");
            RecordedRequest next = requests.get(1);
            assertThat(next.toolResult("call_stdio")).hasValueSatisfying(t -> assertThat(t).contains("Echo: over stdio"));
            assertThat(next.toolResult("call_http")).hasValueSatisfying(t -> assertThat(t).contains("Echo: over streamable http"));
            assertThat(next.toolResult("call_fs")).hasValueSatisfying(t -> assertThat(t).contains("marker-4711"));
            assertThat(List.of("call_stdio", "call_http", "call_fs")).noneMatch(next::toolResultIsError);
        } finally {
            http.descendants().forEach(ProcessHandle::destroyForcibly);
            http.destroyForcibly();
        }
    }

    @Test
    void serversThatExitHangOrAreKilledMidCallLeaveTheTurnWorkingAndAreReported() throws Exception {
        // a copy of server-everything's launcher under a name of its own, so pgrep finds this server and no other
        Path victim = Files.createSymbolicLink(home.resolve("victim-everything-" + System.nanoTime()), Path.of(EVERYTHING));
        try (var ws = RunIT.project()) {
            configure(ws, """
                    {"mcp": {"dead": {"type": "local", "command": ["sh", "-c", "echo about to exit >&2; exit 3"]},
                             "hang": {"type": "local", "command": ["sleep", "600"], "timeout": 1500},
                             "victim": {"type": "local", "command": ["%s"]}}}
                    """.formatted(victim));
            String dir = ws.path().toString();
            var dead = awaitServer(dir, "dead", s -> s.status().equals("failed"));
            assertThat(dead.error()).hasValueSatisfying(e -> assertThat(e).contains("exited before it answered initialize"));
            // the log is written as the server's stderr is read, which can end a moment after its status says failed
            long logDeadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!serverLog("dead").contains("about to exit") && System.nanoTime() < logDeadline) Thread.sleep(100);
            assertThat(serverLog("dead")).as("its stderr, in its log").contains("about to exit");
            var hang = awaitServer(dir, "hang", s -> s.status().equals("failed"));
            assertThat(hang.error()).hasValueSatisfying(e -> assertThat(e).containsIgnoringCase("initialize"));
            awaitServer(dir, "victim", s -> s.status().equals("connected"));

            int before = llm.requests().size();
            // the long-running operation takes 30 s unless its server dies under it
            llm.enqueue(Turn.of(Step.toolCall("call_long", "victim_trigger-long-running-operation", "{\"duration\":30,\"steps\":30}"),
                    Step.toolCall("call_dead", "dead_echo", "{\"message\":\"anyone?\"}"),
                    Step.toolCall("call_hang", "hang_echo", "{\"message\":\"anyone?\"}")));
            llm.enqueue(Turn.of(Step.text("Still here.")));
            var run = lathe.start(ws.path(), "run", "--dir", dir, "--allow-all", "run the long operation");
            assertThat(llm.awaitRequests(before + 1, Duration.ofSeconds(60))).as("the first request").isTrue();
            long pid = victimPid(victim, run);
            awaitToolRunning(dir, "victim_trigger-long-running-operation");
            Thread.sleep(1000); // the part is marked running just before the call goes out
            new ProcessBuilder("kill", "-9", Long.toString(pid)).inheritIO().start().waitFor();

            assertThat(run.awaitExit()).as(run.stderr()).isZero();
            assertThat(run.stdout()).contains("Still here.");
            List<RecordedRequest> requests = llm.requests().subList(before, llm.requests().size());
            assertThat(requests).hasSize(2);
            RecordedRequest next = requests.get(1);
            // the call ended with the server, long before the operation's 30 s, as an error the model reads
            assertThat(next.receivedAtNanos() - requests.getFirst().receivedAtNanos()).isLessThan(TimeUnit.SECONDS.toNanos(25));
            assertThat(next.toolResultIsError("call_long")).isTrue();
            assertThat(next.toolResult("call_long")).hasValueSatisfying(t -> assertThat(t)
                    .contains("MCP server victim failed on trigger-long-running-operation"));
            for (String call : List.of("call_dead", "call_hang")) {
                assertThat(next.toolResultIsError(call)).isTrue();
                assertThat(next.toolResult(call)).hasValueSatisfying(t -> assertThat(t).contains("Unknown tool"));
            }

            // reported, then restarted with backoff (1 s after the first failure)
            var restarted = awaitServer(dir, "victim", s -> s.status().equals("connected") && s.restarts() >= 1);
            assertThat(restarted.error()).hasValueSatisfying(e -> assertThat(e).contains("exited"));
            assertThat(api.mcp(dir)).filteredOn(s -> !s.name().equals("victim")).extracting(McpServerInfo::status)
                    .doesNotContain("connected");
            // and as lathe mcp list shows it (NAME, TYPE, STATE, TARGET, LAST ERROR); the two broken ones are retried
            // with backoff, so either phase of the cycle may be seen
            var listed = lathe.run("mcp", "list", "--dir", dir);
            assertThat(listed.exit()).as(listed.stderr()).isZero();
            assertThat(listed.stdout().lines().toList())
                    .anySatisfy(l -> assertThat(l).matches("dead\tlocal\t(failed|starting)\t.*\texited before it answered initialize.*"))
                    .anySatisfy(l -> assertThat(l).matches("hang\tlocal\t(failed|starting)\t.*\tdid not answer initialize within 1 s"))
                    .anySatisfy(l -> assertThat(l).matches("victim\tlocal\tconnected\t.*\trestarted \\d+× by Lathe; before: the server exited.*"));
        }
    }

    @Test
    void aLongCallsProgressIsShownLiveAndKeepsItFromTimingOut() throws Exception {
        try (var ws = RunIT.project()) {
            // 12 s without a word times a call out (and bounds the server's start, slow on a loaded machine); the
            // operation takes 16 s, longer than that, and reports every second (24 s every 2 s waited 8 s more for
            // the same proof: without progress resetting the timeout the call ends at 12 s)
            configure(ws, """
                    {"mcp": {"slow": {"type": "local", "command": ["%s"], "timeout": 12000}}}
                    """.formatted(EVERYTHING));
            String dir = ws.path().toString();
            awaitServer(dir, "slow", s -> s.status().equals("connected"));

            int before = llm.requests().size();
            llm.enqueue(Turn.of(Step.toolCall("call_long", "slow_trigger-long-running-operation", "{\"duration\":16,\"steps\":16}")));
            llm.enqueue(Turn.of(Step.text("Done waiting.")));
            var run = lathe.start(ws.path(), "run", "--dir", dir, "--allow-all", "run the long operation");
            awaitToolRunning(dir, "slow_trigger-long-running-operation");
            // the running part carries how far the call has got, growing while it runs (as events and snapshots)
            var seen = new java.util.TreeSet<String>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline && seen.size() < 3) {
                for (var session : api.sessions(dir)) {
                    api.messages(session.id()).stream().flatMap(m -> m.parts().stream())
                            .filter(p -> p instanceof Part.Tool t && t.state() instanceof ToolState.Running)
                            .map(p -> ((ToolState.Running) ((Part.Tool) p).state()).progress())
                            .flatMap(Optional::stream).forEach(progress -> seen.add(progress.text()));
                }
                Thread.sleep(100);
            }
            assertThat(seen).as("progress seen on the running call").hasSizeGreaterThanOrEqualTo(3)
                    .allSatisfy(text -> assertThat(text).matches("([1-9]|1[0-6])/16"));

            assertThat(run.awaitExit()).as(run.stderr()).isZero();
            assertThat(run.stdout()).contains("Done waiting.");
            RecordedRequest next = llm.requests().subList(before, llm.requests().size()).get(1);
            assertThat(next.toolResultIsError("call_long")).as(next.toolResult("call_long").orElse("")).isFalse();
            assertThat(next.toolResult("call_long")).hasValueSatisfying(t -> assertThat(t).contains("Long running operation completed"));
        }
    }

    @Test
    void aProjectsMcpJsonServerStartsOnlyAfterTheFolderIsTrusted() throws Exception {
        try (var ws = RunIT.project()) {
            ws.write(".mcp.json", """
                    {"mcpServers": {"proj": {"command": "%s", "args": ["stdio"]}}}
                    """.formatted(EVERYTHING));
            String dir = ws.path().toString();

            int before = llm.requests().size();
            llm.enqueue(Turn.of(Step.text("Untrusted, no MCP.")));
            var untrusted = lathe.run("run", "--dir", dir, "hello");
            assertThat(untrusted.exit()).as(untrusted.stderr()).isZero();
            assertThat(untrusted.stderr()).contains("untrusted folder").contains("MCP server").contains("lathe trust");
            assertThat(api.mcp(dir)).isEmpty();
            assertThat(llm.requests().get(before).toolNames()).doesNotContain("tool_search");
            var listed = lathe.run("mcp", "list", "--dir", dir);
            assertThat(listed.stdout()).contains("proj\t-\tuntrusted (run lathe trust)\t");

            var trust = lathe.run("trust", "--dir", dir);
            assertThat(trust.exit()).as(trust.stderr()).isZero();
            awaitServer(dir, "proj", s -> s.status().equals("connected"));
            llm.enqueue(Turn.of(Step.toolCall("call_proj", "proj_echo", "{\"message\":\"trusted now\"}")));
            llm.enqueue(Turn.of(Step.text("It ran.")));
            var trusted = lathe.run("run", "--dir", dir, "--allow-all", "echo through the project's server");
            assertThat(trusted.exit()).as(trusted.stderr()).isZero();
            assertThat(trusted.stderr()).doesNotContain("untrusted folder");
            assertThat(llm.requests().getLast().toolResult("call_proj")).hasValueSatisfying(t -> assertThat(t).contains("Echo: trusted now"));
        }
    }

    @Test
    void aProjectsOpencodeJsonServerIsTrustGatedLikeLatheJsonAndItsOtherKeysAreNamed() throws Exception {
        try (var ws = RunIT.project()) {
            // OpenCode's own shape: command and arguments in one array, "environment"; "theme" and an agent's "color"
            // are OpenCode's alone
            ws.write("opencode.json", """
                    {"$schema": "https://opencode.ai/config.json", "theme": "opencode",
                     "mcp": {"oc": {"type": "local", "command": ["%s", "stdio"], "environment": {"OC_TEST": "1"}, "enabled": true}},
                     "agent": {"reviewer": {"description": "Reviews", "mode": "subagent", "color": "#ff0000"}}}
                    """.formatted(EVERYTHING));
            String dir = ws.path().toString();

            int before = llm.requests().size();
            llm.enqueue(Turn.of(Step.text("Untrusted, no MCP.")));
            var untrusted = lathe.run("run", "--dir", dir, "hello");
            assertThat(untrusted.exit()).as(untrusted.stderr()).isZero();
            assertThat(untrusted.stderr()).contains("untrusted folder").contains("1 MCP server from opencode.json");
            assertThat(api.mcp(dir)).isEmpty();
            assertThat(llm.requests().get(before).toolNames()).doesNotContain("tool_search");

            var doctor = lathe.run("doctor", "--dir", dir);
            assertThat(doctor.stdout() + doctor.stderr()).contains("opencode.json (OpenCode's; the keys Lathe reads)")
                    .contains("keys Lathe does not read: theme, agent.reviewer.color");

            var trust = lathe.run("trust", "--dir", dir);
            assertThat(trust.exit()).as(trust.stderr()).isZero();
            assertThat(lathe.run("trust", "--show", "--dir", dir).stdout()).contains("oc");
            awaitServer(dir, "oc", s -> s.status().equals("connected"));
            llm.enqueue(Turn.of(Step.toolCall("call_oc", "oc_echo", "{\"message\":\"from opencode.json\"}")));
            llm.enqueue(Turn.of(Step.text("It ran.")));
            var trusted = lathe.run("run", "--dir", dir, "--allow-all", "echo through OpenCode's server");
            assertThat(trusted.exit()).as(trusted.stderr()).isZero();
            assertThat(trusted.stderr()).doesNotContain("untrusted folder");
            assertThat(llm.requests().getLast().toolResult("call_oc")).hasValueSatisfying(t -> assertThat(t).contains("Echo: from opencode.json"));
        }
    }

    @Test
    void tenServersDoNotDelayTheFirstRequestAndStayBehindToolSearchOnceConnected() throws Exception {
        Path gate = home.resolve("gate-" + System.nanoTime());
        try (var ws = RunIT.project()) {
            // seven servers cannot start before the gate opens, which happens only after the first request arrived: a
            // first request that waited for them would never come before they time out (60 s)
            var servers = new StringBuilder();
            for (int i = 1; i <= 10; i++) {
                String command = i <= 7
                        ? "[\"sh\", \"-c\", \"while [ ! -e '" + gate + "' ]; do sleep 0.1; done; exec \\\"$0\\\"\", \"" + EVERYTHING + "\"]"
                        : "[\"" + EVERYTHING + "\"]";
                servers.append(i == 1 ? "" : ", ").append("\"s").append(i).append("\": {\"type\": \"local\", \"command\": ")
                        .append(command).append(", \"timeout\": 60000}");
            }
            configure(ws, "{\"mcp\": {" + servers + "}}");
            String dir = ws.path().toString();

            int before = llm.requests().size();
            llm.enqueue(Turn.of(Step.text("First answer.")));
            var first = lathe.run("run", "--dir", dir, "hello");
            assertThat(first.exit()).as(first.stderr()).isZero();
            assertThat(llm.requests()).hasSize(before + 1);
            List<McpServerInfo> atFirstRequest = api.mcp(dir);
            assertThat(atFirstRequest).hasSize(10);
            assertThat(atFirstRequest.subList(0, 7)).as("the gated servers, still starting after the first request")
                    .allSatisfy(s -> assertThat(s.status()).isEqualTo("starting"));
            assertThat(atFirstRequest).allSatisfy(s -> assertThat(s.restarts()).isZero());

            Files.writeString(gate, "open\n");
            for (int i = 1; i <= 10; i++) awaitServer(dir, "s" + i, s -> s.status().equals("connected"));
            // each server's tools are listed on a background thread once it is connected (a few ms each; no API shows
            // them): the next turn sees them behind tool_search
            Thread.sleep(3000);
            llm.enqueue(Turn.of(Step.toolCall("call_search", "tool_search", "{\"query\":\"s7 echo\"}")));
            llm.enqueue(Turn.of(Step.toolCall("call_echo", "s7_echo", "{\"message\":\"ten\"}")));
            llm.enqueue(Turn.of(Step.text("Found and used it.")));
            int second = llm.requests().size();
            var found = lathe.run("run", "--dir", dir, "--allow-all", "find the echo tool");
            assertThat(found.exit()).as(found.stderr()).isZero();
            List<RecordedRequest> turn = llm.requests().subList(second, llm.requests().size());
            assertThat(turn).hasSize(3);
            List<String> offered = turn.getFirst().toolNames();
            assertThat(offered.getLast()).isEqualTo("tool_search");
            assertThat(offered).noneMatch(n -> n.matches("s\\d+_.*"));
            assertThat(turn.getFirst().toolResult("call_search")).isEmpty();
            assertThat(turn.get(1).toolResult("call_search")).hasValueSatisfying(t -> assertThat(t).contains("s7_echo"));
            // the found tool joins at the end: the tools before it, and the system prompt, are sent unchanged
            assertThat(turn.get(1).toolNames()).startsWith(offered.toArray(String[]::new)).contains("s7_echo");
            assertThat(turn.get(1).json().path("tools").toString()).startsWith(withoutClosingBracket(turn.getFirst().json().path("tools").toString()));
            assertThat(turn.get(1).json().path("system").toString()).isEqualTo(turn.getFirst().json().path("system").toString());
            assertThat(turn.get(2).toolResult("call_echo")).hasValueSatisfying(t -> assertThat(t).contains("Echo: ten"));
        } finally {
            Files.deleteIfExists(gate);
        }
    }

    private static String withoutClosingBracket(String array) {
        return array.substring(0, array.length() - 1);
    }

    /** Writes the folder's {@code lathe.json} and trusts the folder, so its servers run. */
    private static void configure(TempWorkspace ws, String config) throws Exception {
        ws.write("lathe.json", config);
        var trust = lathe.run("trust", "--dir", ws.path().toString());
        assertThat(trust.exit()).as(trust.stderr()).isZero();
    }

    /** The log of local server {@code name} (STATE/mcp/ROOT-HASH/NAME.log), once it holds something (up to 5 s). */
    private static String serverLog(String name) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (true) {
            try (var found = Files.find(home.resolve("state/lathe/mcp"), 2, (p, a) -> p.getFileName().toString().equals(name + ".log"))) {
                var log = found.findFirst();
                if (log.isPresent() && Files.size(log.get()) > 0) return Files.readString(log.get());
            }
            if (System.nanoTime() > deadline) return "";
            Thread.sleep(50);
        }
    }

    /** Polls {@code GET /mcp} until the server {@code name} matches; its status then. */
    private static McpServerInfo awaitServer(String dir, String name, Predicate<McpServerInfo> matching) throws Exception {
        long deadline = System.nanoTime() + CONNECT.toNanos();
        List<McpServerInfo> seen = List.of();
        while (System.nanoTime() < deadline) {
            seen = api.mcp(dir);
            var server = seen.stream().filter(s -> s.name().equals(name)).findFirst();
            if (server.isPresent() && matching.test(server.get())) return server.get();
            Thread.sleep(100);
        }
        throw new AssertionError("MCP server " + name + " did not reach the expected state: " + seen);
    }

    /** The pid of the victim's node process, the one process whose command line names its launcher's link. */
    private static long victimPid(Path victim, Lathe.Started run) throws Exception {
        var pgrep = new ProcessBuilder("pgrep", "-f", victim.getFileName().toString()).start();
        String out = new String(pgrep.getInputStream().readAllBytes()).strip();
        pgrep.waitFor();
        List<Long> pids = out.lines().map(String::strip).filter(l -> !l.isEmpty()).map(Long::parseLong).toList();
        if (pids.size() != 1) throw new AssertionError("expected one victim process, found " + pids + "; " + run.stderr());
        return pids.getFirst();
    }

    /** Waits until a session of {@code dir} has a call of {@code tool} in the running state. */
    private static void awaitToolRunning(String dir, String tool) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            for (var session : api.sessions(dir)) {
                boolean running = api.messages(session.id()).stream().flatMap(m -> m.parts().stream())
                        .anyMatch(p -> p instanceof Part.Tool t && t.tool().equals(tool) && t.state() instanceof ToolState.Running);
                if (running) return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no call of " + tool + " was seen running");
    }

    private static Process startStreamableHttpEverything(int port) throws IOException, InterruptedException {
        var pb = new ProcessBuilder(EVERYTHING, "streamableHttp").redirectErrorStream(true)
                .redirectOutput(home.resolve("everything-http.log").toFile());
        pb.environment().put("PORT", Integer.toString(port));
        Process p = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.readString(home.resolve("everything-http.log")).contains("listening on port")) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("server-everything streamableHttp did not start: " + Files.readString(home.resolve("everything-http.log")));
            }
            Thread.sleep(50);
        }
        return p;
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
