package dev.lathe.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.testkit.NpmServers;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** McpConnections against the real {@code mcp-server-everything} over stdio, and against commands that misbehave. */
class McpConnectionsTest {
    private static final McpOptions.Backoff FAST = new McpOptions.Backoff(Duration.ofMillis(100), Duration.ofMillis(400), 3);

    @TempDir Path dir;
    private final List<McpServerStatus> events = new CopyOnWriteArrayList<>();

    private McpConnections start(McpServerSpec... specs) {
        return McpConnections.start(List.of(specs), new McpOptions(dir.resolve("logs"), FAST, Duration.ofMillis(300), spec -> { }), events::add);
    }

    private static McpServerSpec.Local local(String name, Duration timeout, String... command) {
        return new McpServerSpec.Local(name, List.of(command), Map.of(), McpServerSpec.Activation.ENABLED, timeout);
    }

    private static McpServerStatus await(McpConnections mcp, String name, Predicate<McpServerStatus> done, Duration max)
            throws InterruptedException {
        return McpTesting.await(mcp, name, done, max);
    }

    @Test
    void startsTheEverythingServerOverStdioInTheBackgroundAndListsItsTools() throws Exception {
        String bin = NpmServers.bin("mcp-server-everything").toString();
        long before = System.nanoTime();
        try (var mcp = start(local("everything", Duration.ofSeconds(30), bin, "stdio"))) {
            assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(1));
            assertThat(mcp.statuses()).singleElement().extracting(McpServerStatus::phase)
                    .isIn(McpServerStatus.Phase.STARTING, McpServerStatus.Phase.CONNECTED);
            await(mcp, "everything", s -> s.phase() == McpServerStatus.Phase.CONNECTED, Duration.ofSeconds(30));
            var client = mcp.client("everything").orElseThrow();
            assertThat(client.listTools().tools()).extracting(McpSchema.Tool::name).contains("echo");
            var result = client.callTool(new McpSchema.CallToolRequest("echo", Map.of("message", "hi lathe")));
            assertThat(result.content().toString()).contains("hi lathe");
            assertThat(events).extracting(McpServerStatus::phase)
                    .containsSubsequence(McpServerStatus.Phase.STARTING, McpServerStatus.Phase.CONNECTED);
        }
    }

    @Test
    void closingKillsTheServersWholeProcessGroup() throws Exception {
        String bin = NpmServers.bin("mcp-server-everything").toString();
        Path script = dir.resolve("wrapper.sh");
        // a wrapper that leaves a grandchild behind, as npx does: only a process-group kill reaches it
        Files.writeString(script, "#!/bin/sh\nsleep 1000 &\necho $! > '" + dir.resolve("grandchild") + "'\nexec '" + bin + "' stdio\n");
        script.toFile().setExecutable(true);
        var mcp = start(local("wrapped", Duration.ofSeconds(30), script.toString()));
        await(mcp, "wrapped", s -> s.phase() == McpServerStatus.Phase.CONNECTED, Duration.ofSeconds(30));
        long grandchild = Long.parseLong(Files.readString(dir.resolve("grandchild")).strip());
        assertThat(ProcessHandle.of(grandchild)).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());
        mcp.close();
        Thread.sleep(200);
        assertThat(running(grandchild)).isFalse();
    }

    @Test
    void aCommandThatExitsAtOnceIsFailedWithItsStderrAndRetriedBoundedly() throws Exception {
        try (var mcp = start(local("quits", Duration.ofSeconds(20), "sh", "-c", "echo no such thing >&2; exit 3"))) {
            long before = System.nanoTime();
            var failed = await(mcp, "quits", s -> s.phase() == McpServerStatus.Phase.FAILED, Duration.ofSeconds(10));
            assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(10));
            assertThat(failed.lastError()).hasValueSatisfying(e -> assertThat(e).contains("exited"));
            await(mcp, "quits", s -> s.restarts() >= 2, Duration.ofSeconds(10));
            assertThat(mcp.client("quits")).isEmpty();
            assertThat(Files.readString(dir.resolve("logs/quits.log"))).contains("no such thing");
        }
    }

    /**
     * A server that answers {@code initialize} and exits at once (issue 71, minor 15): each start is a failed one, so after
     * the attempts it stays {@code failed}, saying so, instead of flipping between connected and failed for ever.
     */
    @Test
    void aServerThatExitsRightAfterEachStartEndsFailedForGood() throws Exception {
        Path server = dir.resolve("quits-after-init.py");
        Files.writeString(server, """
                import json, sys
                for line in sys.stdin:
                    m = json.loads(line)
                    if m.get("method") == "initialize":
                        print(json.dumps({"jsonrpc": "2.0", "id": m["id"], "result": {"protocolVersion": m["params"]["protocolVersion"],
                              "capabilities": {}, "serverInfo": {"name": "q", "version": "1"}}}), flush=True)
                    elif m.get("method") == "notifications/initialized":
                        print("bye after initialize", file=sys.stderr, flush=True)
                        sys.exit(3)
                    elif "id" in m:
                        print(json.dumps({"jsonrpc": "2.0", "id": m["id"], "error": {"code": -32601, "message": "no"}}), flush=True)
                """);
        try (var mcp = start(local("quits", Duration.ofSeconds(20), "python3", "-I", server.toString()))) {
            var failed = await(mcp, "quits", s -> s.phase() == McpServerStatus.Phase.FAILED
                    && s.lastError().filter(e -> e.contains("times in a row")).isPresent(), Duration.ofSeconds(30));
            assertThat(failed.lastError().orElseThrow()).contains("exited", "bye after initialize", "3 times in a row soon after starting");
            assertThat(events).anyMatch(e -> e.name().equals("quits") && e.phase() == McpServerStatus.Phase.CONNECTED);
            int seen = events.size();
            Thread.sleep(1000);
            assertThat(mcp.statuses().stream().filter(x -> x.name().equals("quits")).findFirst().orElseThrow().phase()).isEqualTo(McpServerStatus.Phase.FAILED);
            assertThat(events.subList(seen, events.size())).as("no start after giving up").noneMatch(e -> e.name().equals("quits"));
        }
    }

    @Test
    void aCommandThatHangsOnStartTimesOutAndIsKilled() throws Exception {
        Path pidFile = dir.resolve("hang.pid");
        try (var mcp = start(local("hangs", Duration.ofSeconds(2), "sh", "-c", "echo $$ > '" + pidFile + "'; exec sleep 1000"))) {
            var failed = await(mcp, "hangs", s -> s.phase() == McpServerStatus.Phase.FAILED, Duration.ofSeconds(10));
            assertThat(failed.lastError()).hasValueSatisfying(e -> assertThat(e).contains("within 2 s"));
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            // killed, not left behind: on a loaded machine the kill and the reaping may take a moment
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (running(pid) && System.nanoTime() < deadline) Thread.sleep(50);
            assertThat(running(pid)).isFalse();
        }
    }

    @Test
    void aServerKilledMidCallFailsTheCallAndIsRestarted() throws Exception {
        String bin = NpmServers.bin("mcp-server-everything").toString();
        try (var mcp = start(local("everything", Duration.ofSeconds(30), bin, "stdio"))) {
            await(mcp, "everything", s -> s.phase() == McpServerStatus.Phase.CONNECTED, Duration.ofSeconds(30));
            var client = mcp.client("everything").orElseThrow();
            var tools = client.listTools().tools().stream().map(McpSchema.Tool::name).toList();
            String slow = tools.stream().filter(n -> n.contains("long-running")).findFirst().orElseThrow();
            long pid = serverPid(bin);
            Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(500);
                } catch (InterruptedException ignored) {
                    return;
                }
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            });
            long before = System.nanoTime();
            assertThatThrownBy(() -> client.callTool(new McpSchema.CallToolRequest(slow, Map.of("duration", 20, "steps", 2))))
                    .isInstanceOf(RuntimeException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(15));
            var restarted = await(mcp, "everything", s -> s.phase() == McpServerStatus.Phase.CONNECTED && s.restarts() == 1,
                    Duration.ofSeconds(30));
            assertThat(restarted.lastError()).hasValueSatisfying(e -> assertThat(e).contains("exited"));
            assertThat(mcp.client("everything").orElseThrow().listTools().tools()).isNotEmpty();
        }
    }

    @Test
    void closingDuringAHangingStartReturnsPromptlyAndKillsIt() throws Exception {
        Path pidFile = dir.resolve("slow.pid");
        var mcp = start(local("slow", Duration.ofSeconds(60), "sh", "-c", "echo $$ > '" + pidFile + "'; exec sleep 1000"));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!Files.exists(pidFile) && System.nanoTime() < deadline) Thread.sleep(20);
        Thread.sleep(200);
        long before = System.nanoTime();
        mcp.close();
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(8));
        assertThat(dies(Long.parseLong(Files.readString(pidFile).strip()))).isTrue();
    }

    @Test
    void theFilesystemServerReadsAFileAndItsStderrIsLogged() throws Exception {
        Path root = Files.createDirectories(dir.resolve("root"));
        Files.writeString(root.resolve("hello.txt"), "hello from the filesystem server");
        String bin = NpmServers.bin("mcp-server-filesystem").toString();
        try (var mcp = start(local("fs", Duration.ofSeconds(30), bin, root.toString()))) {
            await(mcp, "fs", s -> s.phase() == McpServerStatus.Phase.CONNECTED, Duration.ofSeconds(30));
            var client = mcp.client("fs").orElseThrow();
            var names = client.listTools().tools().stream().map(McpSchema.Tool::name).toList();
            String read = names.contains("read_text_file") ? "read_text_file" : "read_file";
            var result = client.callTool(new McpSchema.CallToolRequest(read, Map.of("path", root.resolve("hello.txt").toString())));
            assertThat(result.content().toString()).contains("hello from the filesystem server");
            // the server announces itself on stderr: it must be in its log, not on Lathe's terminal
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            Path log = dir.resolve("logs/fs.log");
            while (System.nanoTime() < deadline && (!Files.exists(log) || Files.size(log) == 0)) Thread.sleep(50);
            assertThat(Files.readString(log)).isNotBlank();
        }
    }

    @Test
    void tenServersThatHangStartInTheBackgroundAndAllDieOnClose() throws Exception {
        List<McpServerSpec> specs = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
            specs.add(local("hang" + i, Duration.ofSeconds(60), "sh", "-c", "echo $$ > '" + dir.resolve("p" + i) + "'; exec sleep 1000"));
        }
        long before = System.nanoTime();
        var mcp = McpConnections.start(specs, new McpOptions(dir.resolve("logs"), FAST, Duration.ofMillis(300), spec -> { }), events::add);
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(2));
        assertThat(mcp.statuses()).hasSize(10).extracting(McpServerStatus::phase).containsOnly(McpServerStatus.Phase.STARTING);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        for (int i = 0; i < 10; i++) {
            while (!Files.exists(dir.resolve("p" + i)) && System.nanoTime() < deadline) Thread.sleep(20);
        }
        Thread.sleep(200);
        mcp.close();
        for (int i = 0; i < 10; i++) {
            assertThat(dies(Long.parseLong(Files.readString(dir.resolve("p" + i)).strip()))).as("server " + i).isTrue();
        }
    }

    @Test
    void closingRightAfterTheStartKillsServersThatHadNotWrittenTheirPidYet() throws Exception {
        // a project whose configuration changes at once (or a server stopping as it starts): the stop comes before the
        // launcher wrote its pid; the process must die all the same, and leave no pid file behind in the log folder
        List<McpServerSpec> specs = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
            specs.add(local("early" + i, Duration.ofSeconds(60), "sh", "-c", "echo $$ > '" + dir.resolve("e" + i) + "'; exec sleep 1000"));
        }
        McpConnections.start(specs, new McpOptions(dir.resolve("logs"), FAST, Duration.ofMillis(300), spec -> { }), events::add).close();
        Thread.sleep(1500);
        for (int i = 0; i < 10; i++) {
            Path pid = dir.resolve("e" + i);
            // empty: the shell was killed after its redirection made the file and before echo wrote to it
            String written = Files.exists(pid) ? Files.readString(pid).strip() : "";
            if (!written.isEmpty()) assertThat(dies(Long.parseLong(written))).as("server " + i).isTrue();
        }
        try (var left = Files.list(dir.resolve("logs"))) {
            assertThat(left.map(f -> f.getFileName().toString())).noneMatch(f -> f.endsWith(".pid"));
        }
    }

    @Test
    void aLocalServerStartsAtTheLowestSchedulingWeightAndRunsAtNormalWeightOnceItAnswered() throws Exception {
        // Linux autogroups: each server's session is a scheduling group as heavy as all of Lathe's threads together
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isWritable(Path.of("/proc/self/autogroup")), "no autogroups here");
        String ours = Files.readString(Path.of("/proc/self/autogroup"));
        String bin = NpmServers.bin("mcp-server-everything").toString();
        Path pid = dir.resolve("pid");
        try (var mcp = start(local("weighed", Duration.ofSeconds(30), "sh", "-c",
                "echo $$ > '" + pid + "'; cat /proc/self/autogroup >&2; exec '" + bin + "' stdio"))) {
            await(mcp, "weighed", s -> s.phase() == McpServerStatus.Phase.CONNECTED, Duration.ofSeconds(30));
            assertThat(Files.readString(dir.resolve("logs/weighed.log"))).containsPattern("autogroup-\\d+ nice 19");
            Path autogroup = Path.of("/proc", Files.readString(pid).strip(), "autogroup");
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!Files.readString(autogroup).contains("nice 0") && System.nanoTime() < deadline) Thread.sleep(50);
            assertThat(Files.readString(autogroup)).contains("nice 0").isNotEqualTo(ours);
        }
        assertThat(Files.readString(Path.of("/proc/self/autogroup"))).as("Lathe's own group is left alone").isEqualTo(ours);
    }

    @Test
    void aServerSlowToAnswerGetsItsNormalWeightBackAfterTheGraceWhileStillStarting() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isWritable(Path.of("/proc/self/autogroup")), "no autogroups here");
        String bin = NpmServers.bin("mcp-server-everything").toString();
        Path pid = dir.resolve("pid");
        Path go = dir.resolve("go");
        // the server answers initialize only once the test lets it: it is still starting when the grace has passed
        try (var mcp = start(local("slow", Duration.ofSeconds(30), "sh", "-c",
                "echo $$ > '" + pid + "'; while [ ! -e '" + go + "' ]; do sleep 0.05; done; exec '" + bin + "' stdio"))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!Files.exists(pid) && System.nanoTime() < deadline) Thread.sleep(20);
            Path autogroup = Path.of("/proc", Files.readString(pid).strip(), "autogroup");
            while (!Files.readString(autogroup).contains("nice 0") && System.nanoTime() < deadline) Thread.sleep(50);
            assertThat(Files.readString(autogroup)).as("weight while still starting, past the grace").contains("nice 0");
            assertThat(mcp.statuses().stream().filter(s -> s.name().equals("slow")).findFirst().orElseThrow().phase())
                    .isEqualTo(McpServerStatus.Phase.STARTING);
            Files.writeString(go, "");
            await(mcp, "slow", s -> s.phase() == McpServerStatus.Phase.CONNECTED, Duration.ofSeconds(30));
        }
    }

    @Test
    void aDisabledServerIsNeverStarted() {
        var spec = new McpServerSpec.Local("off", List.of("false"), Map.of(), McpServerSpec.Activation.DISABLED,
                McpServerSpec.DEFAULT_TIMEOUT);
        try (var mcp = start(spec)) {
            assertThat(mcp.statuses()).singleElement().extracting(McpServerStatus::phase)
                    .isEqualTo(McpServerStatus.Phase.DISABLED);
            assertThat(mcp.client("off")).isEmpty();
        }
    }

    /**
     * Whether {@code pid}, sent SIGKILL, is gone within 5 s: a close that interrupts a start does not wait for the end
     * it signalled, and a server still at its starting weight (the lowest) may need a moment of CPU to die.
     */
    private static boolean dies(long pid) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (running(pid)) {
            if (System.nanoTime() > deadline) return false;
            Thread.sleep(20);
        }
        return true;
    }

    /**
     * Whether {@code pid} runs: a killed orphan stays a zombie when PID 1 does not reap (a container), which
     * {@link ProcessHandle#isAlive} still counts as alive, so the state in {@code /proc} decides.
     */
    private static boolean running(long pid) throws java.io.IOException {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        if (!Files.exists(stat)) return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isPresent();
        String text;
        try {
            text = Files.readString(stat);
        } catch (java.io.IOException gone) {
            // the process went between the check and the read: the file is gone, or (ESRCH) "No such process"
            return false;
        }
        char state = text.charAt(text.lastIndexOf(')') + 2);
        return state != 'Z' && state != 'X';
    }

    /** The pid of the live server process this JVM started for {@code bin} (the leader of its process group). */
    private static long serverPid(String bin) {
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().commandLine().orElse("").contains("server-everything"))
                .findFirst().orElseThrow().pid();
    }
}
