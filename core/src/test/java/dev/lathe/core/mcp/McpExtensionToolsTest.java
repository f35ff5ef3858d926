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
        return new ProjectMcpServers(state, McpOptions.Backoff.DEFAULT, tools::status, spec -> spec.toolsChangeConsumer(t -> tools.listChanged()), java.util.Optional.empty());
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
        var tools = new McpExtensionTools(100_000, t -> 10, (r, n) -> holder[0].client(r, n));
        java.util.concurrent.atomic.AtomicInteger spent = new java.util.concurrent.atomic.AtomicInteger();
        tools.shareAllowanceWith(r -> r.equals(root) ? spent.get() : 0);
        try (var servers = servers(tmp.resolve("state"), tools)) {
            holder[0] = servers;
            assertThat(offeredOnceConnected(servers, tools, root)).extracting(Tool::name).contains("ev_echo").doesNotContain(ExtensionTools.SEARCH_TOOL);
            spent.set(100_000 - 5);
            assertThat(tools.offered(root, "ses_1")).extracting(Tool::name).containsExactly(ExtensionTools.SEARCH_TOOL);
        }
    }
}
