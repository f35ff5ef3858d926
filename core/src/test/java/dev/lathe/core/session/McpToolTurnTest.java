package dev.lathe.core.session;

import static dev.lathe.core.session.ScriptedProtocol.call;
import static dev.lathe.core.session.ScriptedProtocol.finish;
import static dev.lathe.core.session.ScriptedProtocol.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.toolcall.ExtensionTools;
import dev.lathe.llm.LlmEvent;
import dev.lathe.llm.StopReason;
import dev.lathe.llm.TokenEstimate;
import dev.lathe.llm.ToolSpec;
import dev.lathe.mcp.bridge.DeferredTools;
import dev.lathe.mcp.bridge.ServerTools;
import dev.lathe.mcp.bridge.ToolSearch;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.testkit.NpmServers;
import dev.lathe.tools.Tool;
import dev.lathe.tools.ToolRegistry;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real npm server-everything's tools in real turns (SQLite, the pipeline, the scripted model), wired the way the
 * project instance will wire its MCP servers: through {@link ExtensionTools} over the bridge's {@link DeferredTools}.
 */
class McpToolTurnTest {
    static McpSyncClient client;
    static final List<ServerTools> servers = new ArrayList<>();
    @TempDir Path tmp;

    @BeforeAll static void connect() {
        var params = ServerParameters.builder(NpmServers.bin("mcp-server-everything").toString()).args("stdio").build();
        var transport = new StdioClientTransport(params, McpJsonDefaults.getMapper());
        transport.setStdErrorHandler(line -> {});
        client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(30)).build();
        client.initialize();
        for (int i = 1; i <= 10; i++) {
            var server = new ServerTools(i == 1 ? "ev" : "ev" + i, new dev.lathe.mcp.client.SdkServerClient(client), Duration.ofSeconds(20));
            server.refresh();
            servers.add(server);
        }
    }

    @AfterAll static void close() { client.closeGracefully(); }

    static ExtensionTools extensions(List<ServerTools> from, int allowance) {
        var deferred = new DeferredTools(() -> from.stream().flatMap(s -> s.asTools().stream()).toList(), allowance,
                t -> TokenEstimate.of(t.spec()));
        return new ExtensionTools() {
            @Override public List<Tool<?>> offered(Path projectDir, String sessionId) { return deferred.offered(sessionId); }

            @Override public Optional<Tool<?>> find(Path projectDir, String name) { return deferred.find(name); }
        };
    }

    static LlmEvent[] calling(String id, String tool, String args) {
        return Stream.concat(Stream.of(call(0, id, tool, args)), Stream.of(finish(StopReason.TOOL_CALLS))).toArray(LlmEvent[]::new);
    }

    static Part.Tool part(Harness h, SessionId session, String tool) {
        return h.api.messages(session).stream().flatMap(m -> m.parts().stream()).filter(Part.Tool.class::isInstance).map(Part.Tool.class::cast)
                .filter(t -> t.tool().equals(tool)).findFirst().orElseThrow();
    }

    @Test void aServerToolThatFitsIsOfferedAfterTheBuiltinsAndItsResultCompletesTheCall() throws Exception {
        try (var h = new Harness(tmp, ", \"permission\": {\"ev_echo\": \"allow\"}", ToolRegistry.builtins(), extensions(servers.subList(0, 1), 100_000))) {
            var s = h.session();
            h.llm.then(calling("c1", "ev_echo", "{\"message\":\"through the pipeline\"}"));
            h.llm.then(text("Done."), finish(StopReason.STOP));
            h.promptAndWait(s.id(), "echo it");

            List<String> names = h.llm.requests.getFirst().tools().stream().map(ToolSpec::name).toList();
            List<String> builtins = ToolRegistry.builtins().all().stream().map(Tool::name).filter(names::contains).toList();
            assertThat(names.subList(0, builtins.size())).as("built-ins first, unchanged").isEqualTo(builtins);
            assertThat(names).contains("ev_echo", "ev_get-sum").doesNotContain(ToolSearch.NAME);
            assertThat(part(h, s.id(), "ev_echo").state()).isInstanceOfSatisfying(ToolState.Completed.class,
                    c -> assertThat(c.output()).contains("through the pipeline"));
        }
    }

    @Test void tenServersAreDeferredBehindToolSearchAndTheToolListOnlyGrowsAtItsEnd() throws Exception {
        try (var h = new Harness(tmp, ", \"permission\": {\"ev_echo\": \"allow\", \"ev3_get-sum\": \"allow\"}", ToolRegistry.builtins(),
                extensions(servers, 1_000))) {
            var s = h.session();
            h.llm.then(calling("c1", ToolSearch.NAME, "{\"query\":\"ev echo\"}"));
            h.llm.then(calling("c2", "ev_echo", "{\"message\":\"found\"}"));
            h.llm.then(calling("c3", "ev3_get-sum", "{\"a\":20,\"b\":22}"));
            h.llm.then(text("Done."), finish(StopReason.STOP));
            h.promptAndWait(s.id(), "find and call");

            var requests = h.llm.requests;
            List<ToolSpec> first = requests.getFirst().tools();
            assertThat(first.getLast().name()).isEqualTo(ToolSearch.NAME);
            assertThat(first).extracting(ToolSpec::name).noneMatch(n -> n.startsWith("ev"));
            List<ToolSpec> second = requests.get(1).tools();
            assertThat(second).startsWith(first.toArray(ToolSpec[]::new));
            assertThat(second.subList(first.size(), second.size())).extracting(ToolSpec::name).contains("ev_echo");
            for (int i = 2; i < requests.size(); i++) assertThat(requests.get(i).tools()).isEqualTo(second);
            assertThat(part(h, s.id(), "ev_echo").state()).isInstanceOfSatisfying(ToolState.Completed.class,
                    c -> assertThat(c.output()).contains("found"));
            assertThat(part(h, s.id(), "ev3_get-sum").state()).as("a deferred tool called by its exact name")
                    .isInstanceOfSatisfying(ToolState.Completed.class, c -> assertThat(c.output()).contains("42"));
        }
    }

    @Test void aServerToolNotOfferedToTheAgentIsAnUnknownTool() throws Exception {
        // plan may not use a tool that may change anything; the tool fits the budget, so there is no tool_search either
        try (var h = new Harness(tmp, ", \"permission\": {\"ev_toggle-simulated-logging\": \"allow\"}, \"agent\": {\"build\": {\"tools\": {\"ev_toggle-simulated-logging\": false}}}",
                ToolRegistry.builtins(), extensions(servers.subList(0, 1), 100_000))) {
            var s = h.session();
            h.llm.then(calling("c1", "ev_toggle-simulated-logging", "{}"));
            h.llm.then(text("Done."), finish(StopReason.STOP));
            h.promptAndWait(s.id(), "toggle");

            assertThat(h.llm.requests.getFirst().tools()).extracting(ToolSpec::name).contains("ev_echo").doesNotContain("ev_toggle-simulated-logging");
            assertThat(part(h, s.id(), "ev_toggle-simulated-logging").state()).isInstanceOfSatisfying(ToolState.Failed.class,
                    f -> assertThat(f.error()).startsWith("Unknown tool"));
        }
    }
}
