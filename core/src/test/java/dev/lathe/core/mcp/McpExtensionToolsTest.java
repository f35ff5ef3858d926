package dev.lathe.core.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.toolcall.ExtensionTools;
import dev.lathe.mcp.McpOptions;
import dev.lathe.mcp.McpServerSpec;
import dev.lathe.testkit.NpmServers;
import dev.lathe.tools.Tool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A project's MCP servers' tools reach sessions once connected, all offered or deferred by the allowance. */
class McpExtensionToolsTest {
    @TempDir Path tmp;

    private static final McpServerSpec EV = new McpServerSpec.Local("ev", List.of(NpmServers.bin("mcp-server-everything").toString()),
            Map.of(), McpServerSpec.Activation.ENABLED, Duration.ofSeconds(30));

    /** Opens the real server-everything for {@code root} under {@code allowance} and waits until its tools are known. */
    private static List<Tool<?>> offeredOnceConnected(ProjectMcpServers servers, McpExtensionTools tools, Path root) throws Exception {
        servers.open(root, Map.of("ev", EV), System.getenv());
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (tools.find(root, "ev_echo").isEmpty() && System.nanoTime() < deadline) Thread.sleep(50);
        return tools.offered(root, "ses_1");
    }

    private static ProjectMcpServers servers(Path state, McpExtensionTools tools) {
        return new ProjectMcpServers(state, McpOptions.Backoff.DEFAULT, tools, java.util.Optional.empty());
    }

    @Test
    void toolsOfAConnectedServerAreOfferedWhenTheyFit() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("proj"));
        var holder = new ProjectMcpServers[1];
        var tools = new McpExtensionTools(100_000, t -> 10, (r, n) -> holder[0].client(r, n));
        try (var servers = servers(tmp.resolve("state"), tools)) {
            holder[0] = servers;
            assertThat(tools.offered(root, "ses_1")).isEmpty();
            List<Tool<?>> offered = offeredOnceConnected(servers, tools, root);
            assertThat(offered).extracting(Tool::name).contains("ev_echo", "ev_get-sum").isSorted()
                    .doesNotContain(ExtensionTools.SEARCH_TOOL);
            assertThat(tools.find(tmp.resolve("other"), "ev_echo")).isEmpty();

            servers.close(root);
            tools.close(root);
            assertThat(tools.offered(root, "ses_1")).isEmpty();
        }
    }

    @Test
    void noAllowanceDefersEveryToolBehindToolSearch() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("proj"));
        var holder = new ProjectMcpServers[1];
        var tools = new McpExtensionTools(0, t -> 10, (r, n) -> holder[0].client(r, n));
        try (var servers = servers(tmp.resolve("state"), tools)) {
            holder[0] = servers;
            List<Tool<?>> offered = offeredOnceConnected(servers, tools, root);
            assertThat(offered).extracting(Tool::name).containsExactly(ExtensionTools.SEARCH_TOOL);
            // a deferred tool called by its exact name still runs
            assertThat(tools.find(root, "ev_echo")).isPresent();
        }
    }

    @Test
    void whatTheToolsBeforeMcpTakeInAProjectComesOutOfTheAllowance() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("proj"));
        var holder = new ProjectMcpServers[1];
        // every MCP tool fits the allowance alone, not once the lsp tool and plugins' tools of this project take their part
        java.util.concurrent.atomic.AtomicInteger spent = new java.util.concurrent.atomic.AtomicInteger();
        var allowance = new ToolAllowance() {
            @Override public int left(Path r) { return 100_000 - (r.equals(root) ? spent.get() : 0); }

            @Override public int cost(Tool<?> tool) { return 10; }
        };
        var tools = new McpExtensionTools(allowance, (r, n) -> holder[0].client(r, n), r -> Map.of());
        try (var servers = servers(tmp.resolve("state"), tools)) {
            holder[0] = servers;
            assertThat(offeredOnceConnected(servers, tools, root)).extracting(Tool::name).contains("ev_echo").doesNotContain(ExtensionTools.SEARCH_TOOL);
            spent.set(100_000 - 5);
            assertThat(tools.offered(root, "ses_1")).extracting(Tool::name).containsExactly(ExtensionTools.SEARCH_TOOL);
        }
    }
    @Test
    void whileAServerStartsToolSearchIsOfferedAndACallByExactNameWaitsForIt() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("proj"));
        var holder = new ProjectMcpServers[1];
        var tools = new McpExtensionTools(ToolAllowance.fixed(100_000, t -> 10), (r, n) -> holder[0].client(r, n), r -> holder[0].starting(r));
        try (var servers = servers(tmp.resolve("state"), tools)) {
            holder[0] = servers;
            assertThat(tools.offered(root, "ses_1")).as("no server configured").isEmpty();
            servers.open(root, Map.of("ev", EV), System.getenv());
            // the first request, sent while the server starts: its tools are deferred behind tool_search
            assertThat(tools.offered(root, "ses_1")).extracting(Tool::name).containsExactly(ExtensionTools.SEARCH_TOOL);
            assertThat(tools.find(root, ExtensionTools.SEARCH_TOOL)).isPresent();
            // a call by exact name waits for the server instead of failing with "Unknown tool"
            assertThat(tools.find(root, "ev_echo")).isPresent();
            assertThat(tools.offered(root, "ses_1")).extracting(Tool::name).contains("ev_echo").doesNotContain(ExtensionTools.SEARCH_TOOL);
            assertThat(tools.find(root, "ev_no_such_tool")).as("a connected server's unknown tool answers at once").isEmpty();
        }
    }

    @Test
    void aServerThatCannotStartIsNotWaitedFor() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("proj"));
        var holder = new ProjectMcpServers[1];
        var tools = new McpExtensionTools(ToolAllowance.fixed(100_000, t -> 10), (r, n) -> holder[0].client(r, n), r -> holder[0].starting(r));
        var broken = new McpServerSpec.Local("gone", List.of(tmp.resolve("no-such-server").toString()), Map.of(), McpServerSpec.Activation.ENABLED,
                Duration.ofSeconds(30));
        try (var servers = servers(tmp.resolve("state"), tools)) {
            holder[0] = servers;
            servers.open(root, Map.of("gone", broken), System.getenv());
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (servers.statuses(root).stream().noneMatch(s -> s.phase() == dev.lathe.mcp.McpServerStatus.Phase.FAILED) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            long start = System.nanoTime();
            assertThat(tools.find(root, "gone_echo")).isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("a failed server's call fails at once").isLessThan(Duration.ofSeconds(5));
        }
    }
    @Test
    void aCallRightAfterAServerCrashedWaitsForItsRestartOrFailsAtOnce() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("proj"));
        Path pid = tmp.resolve("ev.pid");
        Path refuse = tmp.resolve("refuse");
        // the real server, behind a shell that notes its pid and refuses to start again once `refuse` exists
        var spec = new McpServerSpec.Local("ev", List.of("sh", "-c", "echo $$ > '" + pid + "'; [ -e '" + refuse + "' ] && exit 1; exec '"
                + NpmServers.bin("mcp-server-everything") + "' stdio"), Map.of(), McpServerSpec.Activation.ENABLED, Duration.ofSeconds(30));
        var holder = new ProjectMcpServers[1];
        var tools = new McpExtensionTools(ToolAllowance.fixed(100_000, t -> 10), (r, n) -> holder[0].client(r, n), r -> holder[0].starting(r));
        try (var servers = servers(tmp.resolve("state"), tools)) {
            holder[0] = servers;
            servers.open(root, Map.of("ev", spec), System.getenv());
            assertThat(tools.find(root, "ev_echo")).isPresent();

            // crashed while connected: the call waits for the restart (about a second) and runs on the new server
            crash(servers, root, pid);
            long start = System.nanoTime();
            assertThat(echo(tools, root, "after the crash")).contains("after the crash");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));

            // crashed, and its restart fails too: the call fails at once with what happened
            Files.writeString(refuse, "");
            crash(servers, root, pid);
            start = System.nanoTime();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> echo(tools, root, "again"))
                    .isInstanceOf(dev.lathe.tools.ToolFailure.class).hasMessageContaining("MCP server ev is not connected");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
        }
    }

    /** Kills the server's process and waits until its supervisor has seen it fail. */
    private static void crash(ProjectMcpServers servers, Path root, Path pid) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (servers.statuses(root).stream().noneMatch(s -> s.phase() == dev.lathe.mcp.McpServerStatus.Phase.CONNECTED) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        ProcessHandle.of(Long.parseLong(Files.readString(pid).strip())).orElseThrow().destroyForcibly();
        while (servers.statuses(root).stream().noneMatch(s -> s.phase() == dev.lathe.mcp.McpServerStatus.Phase.FAILED) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    @SuppressWarnings("unchecked")
    private String echo(McpExtensionTools tools, Path root, String message) {
        var tool = (Tool<dev.lathe.mcp.bridge.McpArguments>) tools.find(root, "ev_echo").orElseThrow();
        var ctx = dev.lathe.tools.ToolContext.builder(root, dev.lathe.tools.Permissions.ALLOW_ALL).session("ses_1").call("call_1")
                .output(tmp.resolve("out")).build();
        return tool.run(new dev.lathe.mcp.bridge.McpArguments(Map.of("message", message)), ctx).output();
    }
}
