package dev.lathe.mcp.oauth;

import dev.lathe.testkit.LoopbackAuthServer;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import dev.lathe.mcp.McpConnections;
import dev.lathe.mcp.McpOptions;
import dev.lathe.mcp.McpServerSpec;
import dev.lathe.mcp.McpServerStatus;
import dev.lathe.testkit.NpmServers;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real remote connection through OAuth: {@code mcp-server-everything streamableHttp} behind a loopback reverse proxy
 * that lets through only requests bearing an access token {@link LoopbackAuthServer} issued (the proxy sits on the
 * authorization server's origin, at the resource its metadata names).
 */
class RemoteOAuthConnectionTest {
    private static final McpOptions.Backoff FAST = new McpOptions.Backoff(Duration.ofMillis(100), Duration.ofMillis(400), 3);
    private static final Set<String> HOP_BY_HOP = Set.of("host", "connection", "content-length", "transfer-encoding",
            "authorization", "upgrade", "keep-alive", "expect");

    @TempDir Path dir;
    private Process everything;
    private LoopbackAuthServer auth;
    private final HttpClient upstream = HttpClient.newHttpClient();
    /** The Authorization header of every request the proxy saw, "" when there was none. */
    private final List<String> seen = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        int port = freePort();
        var builder = new ProcessBuilder(NpmServers.bin("mcp-server-everything").toString(), "streamableHttp")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("PORT", Integer.toString(port));
        everything = builder.start();
        awaitListening(port);
        auth = new LoopbackAuthServer();
        URI target = URI.create("http://127.0.0.1:" + port + "/mcp");
        auth.server.removeContext("/mcp");
        auth.server.createContext("/mcp", ex -> proxy(ex, target));
    }

    @AfterEach
    void stop() {
        if (auth != null) auth.close();
        if (everything != null) {
            everything.descendants().forEach(ProcessHandle::destroyForcibly);
            everything.destroyForcibly();
        }
        upstream.close();
    }

    @Test
    void needsAuthUntilSignedInThenConnectsAndEveryRequestCarriesTheToken() throws Exception {
        var oauth = new McpOAuth(new TokenStore(dir), new FollowingBrowser(), HttpClient.newHttpClient(), Clock.systemUTC(), Duration.ofSeconds(10));
        var spec = new McpServerSpec.Remote("guarded", auth.resource, Map.of(), McpServerSpec.OAuth.AUTOMATIC,
                McpServerSpec.Activation.ENABLED, Duration.ofSeconds(15));
        var options = new McpOptions(dir.resolve("logs"), FAST, Duration.ofSeconds(30), s -> { }).withOAuth(oauth);
        try (var mcp = McpConnections.start(List.of(spec), options, s -> { })) {
            var needs = await(mcp, "guarded", s -> s.phase() == McpServerStatus.Phase.NEEDS_AUTH);
            assertThat(needs.lastError().orElseThrow()).contains("lathe mcp auth guarded");
            // needs_auth is not retried with backoff: no request reaches the proxy while the user has not signed in
            int requests = seen.size();
            Thread.sleep(1_000);
            assertThat(seen).hasSize(requests);
            assertThat(mcp.client("guarded")).isEmpty();

            oauth.authorize(new RemoteServer("guarded", auth.resource, OAuthSettings.NONE));
            mcp.restart("guarded");
            await(mcp, "guarded", s -> s.phase() == McpServerStatus.Phase.CONNECTED);
            var client = mcp.client("guarded").orElseThrow();
            assertThat(client.listTools().tools()).extracting(McpSchema.Tool::name).contains("echo");
            var result = client.callTool(new McpSchema.CallToolRequest("echo", Map.of("message", "through oauth")));
            assertThat(result.content().toString()).contains("through oauth");
            assertThat(seen.subList(requests, seen.size())).isNotEmpty().allMatch(h -> h.startsWith("Bearer "));
        }
    }

    /**
     * SDK 2.1.0 on a 401: the authorization error handler refreshes, and the SDK's retry runs the request customizer
     * again, so the retried request carries the new token (the call succeeds with exactly one refresh).
     */
    @Test
    void anExpiredTokenIsRefreshedOnTheFirst401AndTheRetryCarriesTheNewToken() throws Exception {
        var oauth = new McpOAuth(new TokenStore(dir), new FollowingBrowser(), HttpClient.newHttpClient(), Clock.systemUTC(), Duration.ofSeconds(10));
        oauth.authorize(new RemoteServer("guarded", auth.resource, OAuthSettings.NONE));
        var spec = new McpServerSpec.Remote("guarded", auth.resource, Map.of(), McpServerSpec.OAuth.AUTOMATIC,
                McpServerSpec.Activation.ENABLED, Duration.ofSeconds(15));
        var options = new McpOptions(dir.resolve("logs"), FAST, Duration.ofSeconds(30), s -> { }).withOAuth(oauth);
        try (var mcp = McpConnections.start(List.of(spec), options, s -> { })) {
            await(mcp, "guarded", s -> s.phase() == McpServerStatus.Phase.CONNECTED);
            var client = mcp.client("guarded").orElseThrow();
            String before = seen.getLast();
            auth.expireAccessTokens();
            int refreshes = auth.refreshes.get();
            assertThat(client.listTools().tools()).extracting(McpSchema.Tool::name).contains("echo");
            assertThat(auth.refreshes.get()).isEqualTo(refreshes + 1);
            assertThat(seen.getLast()).startsWith("Bearer ").isNotEqualTo(before);
        }
    }

    @Test
    void oauthOffSendsNoTokenAndNeedsAuthOnA401() throws Exception {
        var oauth = new McpOAuth(new TokenStore(dir), new FollowingBrowser(), HttpClient.newHttpClient(), Clock.systemUTC(), Duration.ofSeconds(10));
        oauth.authorize(new RemoteServer("guarded", auth.resource, OAuthSettings.NONE));
        var spec = new McpServerSpec.Remote("guarded", auth.resource, Map.of(), McpServerSpec.OAuth.OFF,
                McpServerSpec.Activation.ENABLED, Duration.ofSeconds(15));
        var options = new McpOptions(dir.resolve("logs"), FAST, Duration.ofSeconds(30), s -> { }).withOAuth(oauth);
        try (var mcp = McpConnections.start(List.of(spec), options, s -> { })) {
            await(mcp, "guarded", s -> s.phase() == McpServerStatus.Phase.NEEDS_AUTH);
            assertThat(seen).isNotEmpty().allMatch(String::isEmpty);
        }
    }

    /** The reverse proxy: 401 with the challenge without a live token, else the request forwarded and the answer streamed back. */
    private void proxy(HttpExchange ex, URI target) throws IOException {
        try (ex) {
            String authorization = ex.getRequestHeaders().getFirst("Authorization");
            seen.add(authorization == null ? "" : authorization);
            if (!auth.accepts(authorization)) {
                ex.getResponseHeaders().set("WWW-Authenticate", auth.challenge());
                ex.sendResponseHeaders(401, -1);
                return;
            }
            byte[] body = ex.getRequestBody().readAllBytes();
            var request = HttpRequest.newBuilder(target).method(ex.getRequestMethod(),
                    body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
            ex.getRequestHeaders().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase(java.util.Locale.ROOT))) values.forEach(v -> request.header(name, v));
            });
            HttpResponse<InputStream> response;
            try {
                response = upstream.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                ex.sendResponseHeaders(502, -1);
                return;
            }
            response.headers().map().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase(java.util.Locale.ROOT)) && !name.startsWith(":")) {
                    ex.getResponseHeaders().put(name, values);
                }
            });
            try (InputStream in = response.body()) {
                boolean empty = response.statusCode() == 202 || response.statusCode() == 204
                        || response.headers().firstValueAsLong("Content-Length").orElse(-1) == 0;
                ex.sendResponseHeaders(response.statusCode(), empty ? -1 : 0);
                if (empty) return;
                OutputStream out = ex.getResponseBody();
                byte[] buffer = new byte[8192];
                // event streams must reach the client as they come: flush every read
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            }
        }
    }

    private static McpServerStatus await(McpConnections mcp, String name, Predicate<McpServerStatus> done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            McpServerStatus s = mcp.statuses().stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
            if (done.test(s)) return s;
            Thread.sleep(50);
        }
        throw new AssertionError(name + " never reached the expected state: " + mcp.statuses());
    }

    private void awaitListening(int port) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            try (var probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException notYet) {
                if (!everything.isAlive()) throw new IllegalStateException("server-everything exited: " + everything.exitValue());
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("server-everything did not listen on " + port);
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
