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
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Servers a client brought for one session (ACP's {@code mcpServers}) are there from the session's first step, as a
 * project's are (decision 133): while they start, {@code tool_search} is offered, and a call by exact name waits for
 * its server. The server is the real server-everything.
 */
class SessionMcpToolsTest {
    @TempDir Path tmp;

    private static final McpServerSpec EDITOR_EV = new McpServerSpec.Local("editor", List.of(NpmServers.bin("mcp-server-everything").toString()),
            Map.of(), McpServerSpec.Activation.ENABLED, Duration.ofSeconds(30));

    @Test
    void whileASessionsServerStartsToolSearchIsOfferedAndACallByExactNameWaitsForIt() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("proj"));
        var project = new McpExtensionTools(100_000, t -> 10, (r, n) -> Optional.empty());
        var holder = new SessionMcpServers[1];
        var tools = new SessionMcpTools(project, (id, name) -> holder[0].client(id, name), id -> holder[0].starting(id), id -> Optional.empty());
        try (var servers = new SessionMcpServers(tmp.resolve("state"), McpOptions.Backoff.DEFAULT, listener(tools))) {
            holder[0] = servers;
            servers.set("ses_acp", root, List.of(EDITOR_EV), System.getenv());
            tools.servers("ses_acp", root, Set.of("editor"));
            // the session's first request, sent while its server starts: the tools are deferred behind tool_search
            assertThat(tools.offered(root, "ses_acp")).extracting(Tool::name).containsExactly(ExtensionTools.SEARCH_TOOL);
            assertThat(tools.offered(root, "ses_other")).as("another session sees the project's tools only").isEmpty();
            // a call by exact name waits for the server instead of failing with "Unknown tool"
            assertThat(tools.find(root, "ses_acp", "editor_echo")).isPresent();
            assertThat(tools.offered(root, "ses_acp")).extracting(Tool::name).contains("editor_echo").doesNotContain(ExtensionTools.SEARCH_TOOL);
            assertThat(tools.find(root, "ses_acp", "editor_no_such_tool")).as("a connected server's unknown tool answers at once").isEmpty();
        }
    }
    /**
     * The shared servers' crash rule (decision 133) for a session's own: a call right after its server crashed waits
     * for the restart (about a second) and runs on the new server, instead of hanging on the dead client for 30 s;
     * when the restart fails too, the call fails at once with what happened.
     */
    @Test
    void aCallRightAfterASessionsServerCrashedWaitsForItsRestartOrFailsAtOnce() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("proj"));
        Path pid = tmp.resolve("ev.pid");
        Path refuse = tmp.resolve("refuse");
        // the real server, behind a shell that notes its pid and refuses to start again once `refuse` exists
        var spec = new McpServerSpec.Local("editor", List.of("sh", "-c", "echo $$ > '" + pid + "'; [ -e '" + refuse + "' ] && exit 1; exec '"
                + NpmServers.bin("mcp-server-everything") + "' stdio"), Map.of(), McpServerSpec.Activation.ENABLED, Duration.ofSeconds(30));
        var project = new McpExtensionTools(100_000, t -> 10, (r, n) -> Optional.empty());
        var holder = new SessionMcpServers[1];
        var tools = new SessionMcpTools(project, (id, name) -> holder[0].client(id, name), id -> holder[0].starting(id), id -> Optional.empty());
        try (var servers = new SessionMcpServers(tmp.resolve("state"), McpOptions.Backoff.DEFAULT, listener(tools))) {
            holder[0] = servers;
            servers.set("ses_acp", root, List.of(spec), System.getenv());
            tools.servers("ses_acp", root, Set.of("editor"));
            assertThat(echo(tools, root, "before")).contains("before");

            crash(servers, pid);
            long start = System.nanoTime();
            assertThat(echo(tools, root, "after the crash")).contains("after the crash");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("waited for the restart, not the 30 s timeout")
                    .isLessThan(Duration.ofSeconds(15));

            Files.writeString(refuse, "");
            crash(servers, pid);
            start = System.nanoTime();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> echo(tools, root, "again"))
                    .isInstanceOf(dev.lathe.tools.ToolFailure.class).hasMessageContaining("MCP server editor is not connected");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("no restart on its way: fails at once")
                    .isLessThan(Duration.ofSeconds(15));
        }
    }

    /** Kills the session's server process and waits until its supervisor has seen it fail. */
    private static void crash(SessionMcpServers servers, Path pid) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (servers.statuses("ses_acp").stream().noneMatch(s -> s.phase() == dev.lathe.mcp.McpServerStatus.Phase.CONNECTED)
                && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        ProcessHandle.of(Long.parseLong(Files.readString(pid).strip())).orElseThrow().destroyForcibly();
        while (servers.statuses("ses_acp").stream().noneMatch(s -> s.phase() == dev.lathe.mcp.McpServerStatus.Phase.FAILED)
                && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    /** The session servers heard by {@code tools}, as the core wires them: statuses, tool list changes, elicitations. */
    private static SessionMcpServers.Listener listener(SessionMcpTools tools) {
        return new SessionMcpServers.Listener() {
            @Override public void status(String id, Path root, dev.lathe.mcp.McpServerStatus status) { tools.status(id, status); }

            @Override public void toolsChanged() { tools.listChanged(); }

            @Override public dev.lathe.mcp.Elicitor elicitor(String id) { return tools.elicitor(id); }
        };
    }

    @SuppressWarnings("unchecked")
    private String echo(SessionMcpTools tools, Path root, String message) {
        var tool = (Tool<dev.lathe.mcp.bridge.McpArguments>) tools.find(root, "ses_acp", "editor_echo").orElseThrow();
        var ctx = dev.lathe.tools.ToolContext.builder(root, dev.lathe.tools.Permissions.ALLOW_ALL).session("ses_acp").call("call_1")
                .output(tmp.resolve("out")).build();
        return tool.run(new dev.lathe.mcp.bridge.McpArguments(Map.of("message", message)), ctx).output();
    }
}
