package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.NpmServers;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * Trust pins what it approved (DESIGN §18), on the real jar with a running server: a trusted folder's hook and MCP
 * server run; a server and a hook added to {@code .mcp.json} and {@code .claude/settings.json} afterwards (as an agent,
 * a {@code git pull} or an editor would) do not run — their markers are never created — while the approved ones still
 * do, {@code lathe run} says on stderr what changed, and {@code lathe trust --show} lists the new commands; after
 * {@code lathe trust} again they run, in the same server, from the next prompt.
 */
class TrustPinsIT {
    private static final String EVERYTHING = NpmServers.bin("mcp-server-everything").toString();

    @TempDir Path home;

    private static String server(Path marker) {
        return "{\"command\": \"sh\", \"args\": [\"-c\", \"touch " + marker + "; exec " + EVERYTHING + " stdio\"]}";
    }

    private static String hook(Path marker) {
        return "[{\"hooks\": [{\"type\": \"command\", \"command\": \"touch " + marker + "\"}]}]";
    }

    private static void await(Path marker) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!Files.exists(marker) && System.nanoTime() < end) Thread.sleep(50);
        assertThat(marker).exists();
    }

    @Test
    void aServerAndAHookAddedAfterTrustDoNotRunUntilApproved() throws Exception {
        try (var llm = FakeLlm.start(); var ws = RunIT.project()) {
            Path markers = Files.createDirectories(home.resolve("markers"));
            Path approvedServer = markers.resolve("mcp-approved"), approvedHook = markers.resolve("hook-approved");
            Path newServer = markers.resolve("mcp-new"), newHook = markers.resolve("hook-new");
            ws.write(".mcp.json", "{\"mcpServers\": {\"approved\": " + server(approvedServer) + "}}");
            ws.write(".claude/settings.json", "{\"hooks\": {\"UserPromptSubmit\": " + hook(approvedHook) + "}}");
            var lathe = new Lathe(home, Lathe.providerConfig("openai-chat", llm.baseUrl(), RunIT.KEY)).daemonFirst();
            String dir = ws.path().toString();
            ServeProcess.start(lathe).awaitReady(Duration.ofSeconds(60));
            try {
                trustAndChange(lathe, llm, ws, dir, approvedServer, approvedHook, newServer, newHook);
            } finally {
                lathe.run("stop");
            }
        }
    }

    private static void trustAndChange(Lathe lathe, FakeLlm llm, dev.lathe.testkit.TempWorkspace ws, String dir, Path approvedServer, Path approvedHook,
            Path newServer, Path newHook) throws Exception {
        {
            var trust = lathe.run("trust", "--dir", dir);
            assertThat(trust.exit()).as(trust.stderr()).isZero();

            llm.enqueue(Turn.of(Step.text("First.")));
            var first = lathe.run("run", "--dir", dir, "hello");
            assertThat(first.exit()).as(first.stderr()).isZero();
            assertThat(first.stderr()).doesNotContain("changed since trust").doesNotContain("untrusted folder");
            await(approvedHook);
            await(approvedServer);

            // written after the folder was trusted: a server that would leave a marker, and a hook that would
            ws.write(".mcp.json", "{\"mcpServers\": {\"approved\": " + server(approvedServer) + ", \"evil\": " + server(newServer) + "}}");
            ws.write(".claude/settings.json", "{\"hooks\": {\"UserPromptSubmit\": " + hook(approvedHook) + ", \"Stop\": " + hook(newHook) + "}}");
            Files.delete(approvedHook);
            llm.enqueue(Turn.of(Step.text("Second.")));
            var second = lathe.run("run", "--dir", dir, "hello again");
            assertThat(second.exit()).as(second.stderr()).isZero();
            assertThat(second.stderr().lines().filter(l -> l.startsWith("lathe: changed since trust:"))).containsExactlyInAnyOrder(
                    "lathe: changed since trust: skipped 1 MCP server from .mcp.json: evil (run lathe trust --show to review, lathe trust to allow it;"
                            + " it would: runs code, sends data to a host)",
                    "lathe: changed since trust: skipped 1 hook from .claude/settings.json: Stop (run lathe trust --show to review, lathe trust to allow it;"
                            + " it would: runs code, sends data to a host)");
            assertThat(approvedHook).as("the approved hook still runs").exists();

            var show = lathe.run("trust", "--show", "--dir", dir);
            assertThat(show.exit()).as(show.stderr()).isZero();
            assertThat(show.stdout().lines().toList()).contains(
                    "new       .mcp.json MCP server evil (runs code, sends data to a host): " + JsonMapper.builder().build().readTree(server(newServer)),
                    "new       .claude/settings.json hook Stop (runs code, sends data to a host): " + JsonMapper.builder().build().readTree(hook(newHook)).get(0),
                    "approved  .mcp.json MCP server approved (runs code, sends data to a host): " + JsonMapper.builder().build().readTree(server(approvedServer)));
            assertThat(show.stderr()).contains("2 new or changed since trust do not run until approved");
            var json = lathe.run("trust", "--show", "--format", "json", "--dir", dir);
            assertThat(JsonMapper.builder().build().readTree(json.stdout()).findValuesAsString("status")).containsOnly("approved", "new");
            assertThat(List.of(newServer, newHook)).as("neither the new server nor the new hook ran").noneMatch(Files::exists);

            var again = lathe.run("trust", "--dir", dir);
            assertThat(again.exit()).as(again.stderr()).isZero();
            llm.enqueue(Turn.of(Step.text("Third.")));
            var third = lathe.run("run", "--dir", dir, "approved now");
            assertThat(third.exit()).as(third.stderr()).isZero();
            assertThat(third.stderr()).doesNotContain("changed since trust");
            await(newHook);
            await(newServer);
        }
    }
}
