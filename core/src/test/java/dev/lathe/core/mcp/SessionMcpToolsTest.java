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
        try (var servers = new SessionMcpServers(tmp.resolve("state"), McpOptions.Backoff.DEFAULT, (id, r, status) -> tools.status(id, status),
                spec -> spec.toolsChangeConsumer(t -> tools.listChanged()), tools::elicitor)) {
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
}
