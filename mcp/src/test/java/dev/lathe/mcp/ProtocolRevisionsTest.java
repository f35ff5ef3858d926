package dev.lathe.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.mcp.bridge.McpArguments;
import dev.lathe.mcp.bridge.McpTool;
import dev.lathe.mcp.bridge.ServerPrompts;
import dev.lathe.mcp.bridge.ServerResources;
import dev.lathe.mcp.bridge.ServerTools;
import dev.lathe.mcp.client.ProtocolRevision;
import dev.lathe.mcp.client.ServerClient;
import dev.lathe.mcp.stateless.StatelessStdioTestServer;
import dev.lathe.mcp.stateless.StatelessTestServer;
import dev.lathe.testkit.NpmServers;
import dev.lathe.tools.Permissions;
import dev.lathe.tools.ToolContext;
import dev.lathe.tools.ToolProgress;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both revisions through the same connections and bridge: a 2026-07-28 server of our own
 * ({@code StatelessTestServer}) is found by {@code server/discover} and spoken to statelessly, and the real
 * {@code mcp-server-everything} (Streamable HTTP and stdio) still gets {@code initialize}.
 */
class ProtocolRevisionsTest {
    private static final McpOptions.Backoff FAST = new McpOptions.Backoff(Duration.ofMillis(100), Duration.ofMillis(400), 3);

    @TempDir Path dir;

    @Test
    void aStatelessServerIsFoundByDiscoverAndItsToolsRunWithoutInitialize() throws Exception {
        try (var server = StatelessTestServer.start(); var mcp = connect(server.url(), Elicitor.DECLINE)) {
            ServerClient client = mcp.client("modern").orElseThrow();
            assertThat(client.revision()).isEqualTo(ProtocolRevision.STATELESS);
            var tools = new ServerTools("modern", client, Duration.ofSeconds(10));
            assertThat(tools.refresh()).isTrue();
            assertThat(tools.tools()).as("every page of tools/list").extracting(McpTool::name)
                    .containsExactly("modern_confirm", "modern_echo", "modern_regional", "modern_slow");
            assertThat(text(tool(tools, "modern_echo"), Map.of("message", "hi"))).as("an SSE answer").isEqualTo("Echo: hi");
            assertThat(text(tool(tools, "modern_regional"), Map.of("region", "eu-west-1")))
                    .as("the server refuses the call unless Mcp-Param-Region mirrors the argument").isEqualTo("ran in eu-west-1");
            assertThat(server.methods()).startsWith("server/discover").doesNotContain("initialize", "ping");
            assertThat(server.refused()).as("every request carried _meta and the standard headers").isZero();
        }
    }

    /**
     * 2026-07-28 keeps {@code _meta.progressToken} and sends the reports on the call's own response stream (SSE over
     * HTTP, stdout on stdio). Under a 1.5 s timeout a 3 s call that reports every 0.5 s completes, and each report
     * reaches the call's progress; without the token the server reports nothing and the call is timed out.
     */
    @Test
    void aStatelessServersProgressIsHeardAndKeepsALongCallFromTimingOut() throws Exception {
        var quick = Duration.ofMillis(1500);
        try (var server = StatelessTestServer.start();
             var mcp = connect("modern", server.url(), Elicitor.DECLINE, quick)) {
            var tools = new ServerTools("modern", mcp.client("modern").orElseThrow(), quick);
            tools.refresh();
            assertProgressKeepsTheCallAlive(tool(tools, "modern_slow"), "over HTTP");
        }
        // a JVM starts slower than 1.5 s on a loaded machine: the server's own timeout is long, the call's (the bridge's) short
        var spec = new McpServerSpec.Local("local", StatelessStdioTestServer.command(), Map.of(), McpServerSpec.Activation.ENABLED,
                Duration.ofSeconds(30));
        try (var mcp = McpConnections.start(List.of(spec), new McpOptions(dir, FAST, Duration.ofSeconds(30), s -> { }), s -> { })) {
            McpTesting.await(mcp, "local", s -> s.phase() == McpServerStatus.Phase.CONNECTED, Duration.ofSeconds(30));
            assertThat(mcp.client("local").orElseThrow().revision()).isEqualTo(ProtocolRevision.STATELESS);
            var tools = new ServerTools("local", mcp.client("local").orElseThrow(), quick);
            tools.refresh();
            assertProgressKeepsTheCallAlive(tool(tools, "local_slow"), "over stdio");
        }
    }

    private void assertProgressKeepsTheCallAlive(McpTool slow, String how) {
        List<dev.lathe.protocol.session.CallProgress> heard = new CopyOnWriteArrayList<>();
        ToolProgress progress = new ToolProgress() {
            @Override public void update(String title, String outputSoFar) { }
            @Override public void progress(dev.lathe.protocol.session.CallProgress report) { heard.add(report); }
        };
        var context = ToolContext.builder(dir, Permissions.ALLOW_ALL).session("ses_mcp").call("call_mcp").progress(progress)
                .output(dir.resolve("out")).build();
        String output = slow.run(new McpArguments(Map.of("steps", 6, "everyMs", 500)), context).output();
        assertThat(output).as(how).isEqualTo("slow done after 6");
        assertThat(heard).as(how).hasSize(6);
        assertThat(heard.getLast().progress()).isEqualTo(6.0);
        assertThat(heard.getLast().total()).contains(6.0);
        assertThat(heard.getLast().message()).contains("step 6");
    }

    @Test
    void inputRequiredIsAnsweredThroughTheElicitorAndTheCallSentAgain() throws Exception {
        List<McpSchema.ElicitRequest> asked = new CopyOnWriteArrayList<>();
        Elicitor ada = (name, request) -> {
            asked.add(request);
            return McpSchema.ElicitResult.builder().message(McpSchema.ElicitResult.Action.ACCEPT).content(Map.of("name", "ada")).build();
        };
        try (var server = StatelessTestServer.start(); var mcp = connect(server.url(), ada)) {
            var tools = new ServerTools("modern", mcp.client("modern").orElseThrow(), Duration.ofSeconds(10));
            tools.refresh();
            assertThat(text(tool(tools, "modern_confirm"), Map.of())).isEqualTo("confirmed by ada");
            assertThat(asked).singleElement().satisfies(r -> assertThat(r.message()).isEqualTo("Who confirms?"));
            assertThat(server.methods().stream().filter("tools/call"::equals)).as("the call and its retry").hasSize(2);
        }
        try (var server = StatelessTestServer.start(); var mcp = connect(server.url(), Elicitor.DECLINE)) {
            var tools = new ServerTools("modern", mcp.client("modern").orElseThrow(), Duration.ofSeconds(10));
            tools.refresh();
            assertThat(text(tool(tools, "modern_confirm"), Map.of())).isEqualTo("not confirmed: decline");
        }
    }

    @Test
    void resourcesAndPromptsOfAStatelessServer() throws Exception {
        try (var server = StatelessTestServer.start(); var mcp = connect(server.url(), Elicitor.DECLINE)) {
            ServerClient client = mcp.client("modern").orElseThrow();
            var resources = new ServerResources("modern", client);
            assertThat(resources.list()).extracting(ServerResources.Listed::uri).containsExactly("test://greeting");
            assertThat(resources.read("test://greeting").text()).contains("hello from 2026-07-28");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> resources.read("test://missing"))
                    .isInstanceOf(ServerResources.ResourceFailure.class).hasMessageContaining("could not be read").hasMessageContaining("Resource not found");
            var prompts = new ServerPrompts("modern", client);
            var greet = prompts.commands().getFirst();
            assertThat(greet.command()).isEqualTo("modern:greet");
            assertThat(prompts.expand(greet, "world").text()).isEqualTo("Say hello to world");
        }
    }

    @Test
    void aToolListChangeArrivesOnTheListenStreamAndIsFetchedAtTheNextStep() throws Exception {
        try (var server = StatelessTestServer.start(); var mcp = connect(server.url(), Elicitor.DECLINE)) {
            var tools = new ServerTools("modern", mcp.client("modern").orElseThrow(), Duration.ofSeconds(10));
            tools.refresh();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (server.openListenStreams() == 0 && System.nanoTime() < deadline) Thread.sleep(20);
            assertThat(server.openListenStreams()).as("subscriptions/listen opened").isEqualTo(1);
            server.addTool();
            while (tools.tools().stream().noneMatch(t -> t.name().equals("modern_added")) && System.nanoTime() < deadline) Thread.sleep(20);
            assertThat(tools.tools()).extracting(McpTool::name).contains("modern_added");
        }
    }

    @Test
    void configuredHeadersReachAStatelessServer() throws Exception {
        try (var server = StatelessTestServer.requiring("Bearer configured")) {
            var spec = new McpServerSpec.Remote("modern", server.url(), Map.of("Authorization", "Bearer configured"),
                    McpServerSpec.OAuth.OFF, McpServerSpec.Activation.ENABLED, Duration.ofSeconds(10));
            try (var mcp = McpConnections.start(List.of(spec), new McpOptions(dir, FAST, Duration.ofSeconds(30), s -> { }), s -> { })) {
                McpTesting.await(mcp, "modern", s -> s.phase() == McpServerStatus.Phase.CONNECTED, Duration.ofSeconds(20));
                assertThat(mcp.client("modern").orElseThrow().revision()).isEqualTo(ProtocolRevision.STATELESS);
            }
        }
    }

    @Test
    void serverEverythingOverStreamableHttpStillInitializesAfterTheProbe() throws Exception {
        int port = RemoteConnectionsTest.freePort();
        var builder = new ProcessBuilder(NpmServers.bin("mcp-server-everything").toString(), "streamableHttp")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("PORT", Integer.toString(port));
        Process everything = builder.start();
        try {
            awaitListening(everything, port);
            try (var mcp = connect("everything", URI.create("http://127.0.0.1:" + port + "/mcp"), Elicitor.DECLINE)) {
                ServerClient client = mcp.client("everything").orElseThrow();
                assertThat(client.revision()).isEqualTo(ProtocolRevision.SESSION);
                var tools = new ServerTools("everything", client, Duration.ofSeconds(20));
                assertThat(tools.refresh()).isTrue();
                assertThat(text(tool(tools, "everything_echo"), Map.of("message", "legacy"))).contains("legacy");
            }
        } finally {
            everything.descendants().forEach(ProcessHandle::destroyForcibly);
            everything.destroyForcibly();
        }
    }

    @Test
    void serverEverythingOverStdioInitializes() throws Exception {
        var spec = new McpServerSpec.Local("everything", List.of(NpmServers.bin("mcp-server-everything").toString(), "stdio"),
                Map.of(), McpServerSpec.Activation.ENABLED, Duration.ofSeconds(30));
        try (var mcp = McpConnections.start(List.of(spec), new McpOptions(dir, FAST, Duration.ofSeconds(30), s -> { }), s -> { })) {
            McpTesting.await(mcp, "everything", s -> s.phase() == McpServerStatus.Phase.CONNECTED, Duration.ofSeconds(30));
            ServerClient client = mcp.client("everything").orElseThrow();
            assertThat(client.revision()).isEqualTo(ProtocolRevision.SESSION);
            var tools = new ServerTools("everything", client, Duration.ofSeconds(20));
            assertThat(tools.refresh()).isTrue();
            assertThat(text(tool(tools, "everything_echo"), Map.of("message", "over stdio"))).contains("over stdio");
        }
    }

    @Test
    void aStatelessStdioServerIsFoundByDiscoverOnTheSameProcess() throws Exception {
        Elicitor ada = (name, request) -> McpSchema.ElicitResult.builder().message(McpSchema.ElicitResult.Action.ACCEPT)
                .content(Map.of("name", "ada")).build();
        var spec = new McpServerSpec.Local("local", StatelessStdioTestServer.command(), Map.of(), McpServerSpec.Activation.ENABLED,
                Duration.ofSeconds(30));
        var options = new McpOptions(dir, FAST, Duration.ofSeconds(30), s -> { }).withElicitor(ada);
        try (var mcp = McpConnections.start(List.of(spec), options, s -> { })) {
            McpTesting.await(mcp, "local", s -> s.phase() == McpServerStatus.Phase.CONNECTED, Duration.ofSeconds(30));
            ServerClient client = mcp.client("local").orElseThrow();
            assertThat(client.revision()).as("the server refused initialize and answered server/discover").isEqualTo(ProtocolRevision.STATELESS);
            var tools = new ServerTools("local", client, Duration.ofSeconds(10));
            assertThat(tools.refresh()).isTrue();
            assertThat(text(tool(tools, "local_echo"), Map.of("message", "over stdio"))).isEqualTo("Echo: over stdio");
            assertThat(text(tool(tools, "local_confirm"), Map.of())).isEqualTo("confirmed by ada");
            // the listen stream opens in the background: grow (which notifies the open streams) until the change arrives
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (tools.tools().stream().noneMatch(t -> t.name().equals("local_grown")) && System.nanoTime() < deadline) {
                assertThat(text(tool(tools, "local_grow"), Map.of())).isEqualTo("grown");
                Thread.sleep(200);
            }
            assertThat(tools.tools()).as("list_changed on the stdio listen stream").extracting(McpTool::name).contains("local_grown");
        }
    }

    private McpConnections connect(URI url, Elicitor elicitor) throws InterruptedException {
        return connect("modern", url, elicitor);
    }

    private McpConnections connect(String name, URI url, Elicitor elicitor) throws InterruptedException {
        return connect(name, url, elicitor, Duration.ofSeconds(15));
    }

    private McpConnections connect(String name, URI url, Elicitor elicitor, Duration timeout) throws InterruptedException {
        var spec = new McpServerSpec.Remote(name, url, Map.of(), McpServerSpec.OAuth.OFF, McpServerSpec.Activation.ENABLED,
                timeout);
        var options = new McpOptions(dir, FAST, Duration.ofSeconds(30), s -> { }).withElicitor(elicitor);
        var mcp = McpConnections.start(List.of(spec), options, s -> { });
        McpTesting.await(mcp, name, s -> s.phase() == McpServerStatus.Phase.CONNECTED, Duration.ofSeconds(30));
        return mcp;
    }

    private static McpTool tool(ServerTools tools, String name) {
        return tools.tools().stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow(() ->
                new AssertionError(name + " not among " + tools.tools().stream().map(McpTool::name).toList()));
    }

    private String text(McpTool tool, Map<String, Object> args) {
        var context = ToolContext.builder(dir, Permissions.ALLOW_ALL).session("ses_mcp").call("call_mcp").output(dir.resolve("out")).build();
        return tool.run(new McpArguments(args), context).output();
    }

    private static void awaitListening(Process process, int port) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            try (var probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException notYet) {
                if (!process.isAlive()) throw new IllegalStateException("server-everything exited: " + process.exitValue());
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("server-everything did not listen on " + port);
    }
}
