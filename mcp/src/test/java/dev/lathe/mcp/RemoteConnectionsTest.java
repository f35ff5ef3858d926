package dev.lathe.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.lathe.testkit.NpmServers;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Remote servers: the real {@code mcp-server-everything} started on a loopback port as Streamable HTTP and as legacy SSE. */
class RemoteConnectionsTest {
    private static final McpOptions.Backoff FAST = new McpOptions.Backoff(Duration.ofMillis(100), Duration.ofMillis(400), 3);

    @TempDir Path dir;

    @Test
    void connectsOverStreamableHttp() throws Exception {
        try (var server = Everything.start("streamableHttp")) {
            listsEcho(URI.create("http://127.0.0.1:" + server.port + "/mcp"));
        }
    }

    @Test
    void fallsBackToLegacySseWhenStreamableHttpIsRefused() throws Exception {
        try (var server = Everything.start("sse")) {
            listsEcho(URI.create("http://127.0.0.1:" + server.port + "/sse"));
        }
    }

    @Test
    void aRemoteServerThatGoesAwayIsNoticedAndReconnectedWhenItIsBack() throws Exception {
        int port;
        var server = Everything.start("streamableHttp", freePort());
        port = server.port;
        var spec = new McpServerSpec.Remote("everything", URI.create("http://127.0.0.1:" + port + "/mcp"), Map.of(),
                McpServerSpec.OAuth.AUTOMATIC, McpServerSpec.Activation.ENABLED, Duration.ofSeconds(5));
        try (var mcp = McpConnections.start(List.of(spec), new McpOptions(dir, FAST, Duration.ofMillis(300), s -> { }), s -> { })) {
            McpTesting.await(mcp, "everything", s -> s.phase() == McpServerStatus.Phase.CONNECTED, Duration.ofSeconds(30));
            server.close();
            var failed = McpTesting.await(mcp, "everything", s -> s.phase() == McpServerStatus.Phase.FAILED, Duration.ofSeconds(20));
            assertThat(failed.lastError()).isPresent();
            assertThat(mcp.client("everything")).isEmpty();
            server = Everything.start("streamableHttp", port);
            mcp.restart("everything");
            var back = McpTesting.await(mcp, "everything", s -> s.phase() == McpServerStatus.Phase.CONNECTED, Duration.ofSeconds(30));
            assertThat(back.restarts()).isPositive();
            assertThat(mcp.client("everything").orElseThrow().listTools().tools()).isNotEmpty();
        } finally {
            server.close();
        }
    }

    @Test
    void anUnreachableServerIsFailedNotThrown() throws Exception {
        int port = freePort();
        var spec = new McpServerSpec.Remote("gone", URI.create("http://127.0.0.1:" + port + "/mcp"), Map.of(),
                McpServerSpec.OAuth.AUTOMATIC, McpServerSpec.Activation.ENABLED, Duration.ofSeconds(3));
        try (var mcp = McpConnections.start(List.of(spec), new McpOptions(dir, FAST, Duration.ofMillis(300), s -> { }), s -> { })) {
            var failed = McpTesting.await(mcp, "gone", s -> s.phase() == McpServerStatus.Phase.FAILED, Duration.ofSeconds(20));
            assertThat(failed.lastError()).isPresent();
            assertThat(mcp.client("gone")).isEmpty();
        }
    }

    /**
     * A server that redirects (Starlette answers {@code /mcp} with a 307 to {@code /mcp/}) is not followed by either
     * transport (decision 120): what the user reads is where it points and that the url must be set to it, not the
     * SDK's bare failure to initialize.
     */
    @Test
    void aRedirectingServerFailsSayingWhereItPointsAndWhatToSet() throws Exception {
        var reached = new java.util.concurrent.atomic.AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        int port = server.getAddress().getPort();
        server.createContext("/mcp", ex -> {
            try (ex) {
                ex.getRequestBody().readAllBytes();
                if (ex.getRequestURI().getPath().equals("/mcp/")) {
                    reached.incrementAndGet();
                    ex.sendResponseHeaders(500, -1);
                    return;
                }
                ex.getResponseHeaders().set("Location", "http://127.0.0.1:" + port + "/mcp/");
                ex.sendResponseHeaders(307, -1);
            }
        });
        server.start();
        var spec = new McpServerSpec.Remote("bouncing", URI.create("http://127.0.0.1:" + port + "/mcp"), Map.of("X-Key", "k"),
                McpServerSpec.OAuth.AUTOMATIC, McpServerSpec.Activation.ENABLED, Duration.ofSeconds(5));
        try (var mcp = McpConnections.start(List.of(spec), new McpOptions(dir, FAST, Duration.ofMillis(300), s -> { }), s -> { })) {
            var failed = McpTesting.await(mcp, "bouncing", s -> s.phase() == McpServerStatus.Phase.FAILED, Duration.ofSeconds(20));
            assertThat(failed.lastError()).hasValueSatisfying(error -> assertThat(error)
                    .contains("redirected (HTTP 307)", "http://127.0.0.1:" + port + "/mcp/", "set its url").doesNotContain("initialize failed"));
            assertThat(reached.get()).as("the redirect was not followed").isZero();
        } finally {
            server.stop(0);
        }
    }

    private void listsEcho(URI url) throws Exception {
        var spec = new McpServerSpec.Remote("everything", url, Map.of("X-Lathe-Test", "1"), McpServerSpec.OAuth.AUTOMATIC,
                McpServerSpec.Activation.ENABLED, Duration.ofSeconds(15));
        try (var mcp = McpConnections.start(List.of(spec), new McpOptions(dir, FAST, Duration.ofMillis(300), s -> { }), s -> { })) {
            McpTesting.await(mcp, "everything", s -> s.phase() == McpServerStatus.Phase.CONNECTED, Duration.ofSeconds(30));
            var client = mcp.client("everything").orElseThrow();
            assertThat(client.listTools().tools()).extracting(McpSchema.Tool::name).contains("echo");
            var result = client.callTool(new McpSchema.CallToolRequest("echo", Map.of("message", "over http")));
            assertThat(result.content().toString()).contains("over http");
        }
    }

    static int freePort() throws IOException {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** {@code mcp-server-everything TRANSPORT} on a free loopback port (it reads {@code PORT}), killed on close. */
    private record Everything(Process process, int port) implements AutoCloseable {
        static Everything start(String transport) throws Exception {
            return start(transport, freePort());
        }

        static Everything start(String transport, int port) throws Exception {
            var builder = new ProcessBuilder(NpmServers.bin("mcp-server-everything").toString(), transport)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            builder.environment().put("PORT", Integer.toString(port));
            Process process = builder.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                try (var probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
                    return new Everything(process, port);
                } catch (IOException notYet) {
                    if (!process.isAlive()) throw new IllegalStateException("server-everything exited: " + process.exitValue());
                    Thread.sleep(100);
                }
            }
            process.destroyForcibly();
            throw new IllegalStateException("server-everything did not listen on " + port);
        }

        @Override
        public void close() {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }
}
