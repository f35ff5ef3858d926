package dev.lathe.mcp.oauth;

import dev.lathe.testkit.LoopbackAuthServer;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import dev.lathe.mcp.McpConnections;
import dev.lathe.mcp.McpOptions;
import dev.lathe.mcp.McpServerSpec;
import dev.lathe.mcp.McpServerStatus;
import dev.lathe.mcp.client.ProtocolRevision;
import dev.lathe.mcp.stateless.StatelessTestServer;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stateless 2026-07-28 client signs its requests with the same OAuth hooks as the SDK's transports: the
 * {@code StatelessTestServer} behind a loopback proxy on {@link LoopbackAuthServer}'s origin that lets through only
 * requests bearing a token it issued.
 */
class StatelessOAuthTest {
    private static final McpOptions.Backoff FAST = new McpOptions.Backoff(Duration.ofMillis(100), Duration.ofMillis(400), 3);
    private static final Set<String> HOP_BY_HOP = Set.of("host", "connection", "content-length", "transfer-encoding",
            "authorization", "upgrade", "keep-alive", "expect");

    @TempDir Path dir;
    private StatelessTestServer modern;
    private LoopbackAuthServer auth;
    private final HttpClient upstream = HttpClient.newHttpClient();
    private final List<String> seen = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        modern = StatelessTestServer.start();
        auth = new LoopbackAuthServer();
        auth.server.removeContext("/mcp");
        auth.server.createContext("/mcp", this::proxy);
    }

    @AfterEach
    void stop() {
        auth.close();
        modern.close();
        upstream.close();
    }

    @Test
    void everyStatelessRequestCarriesTheTokenAndA401IsAnsweredWithOneRefresh() throws Exception {
        var oauth = new McpOAuth(new TokenStore(dir), new FollowingBrowser(), HttpClient.newHttpClient(), Clock.systemUTC(), Duration.ofSeconds(10));
        oauth.authorize(new RemoteServer("guarded", auth.resource, OAuthSettings.NONE));
        seen.clear(); // the sign-in's own unauthenticated probe of the resource
        var spec = new McpServerSpec.Remote("guarded", auth.resource, Map.of(), McpServerSpec.OAuth.AUTOMATIC,
                McpServerSpec.Activation.ENABLED, Duration.ofSeconds(15));
        var options = new McpOptions(dir.resolve("logs"), FAST, Duration.ofSeconds(30), s -> { }).withOAuth(oauth);
        try (var mcp = McpConnections.start(List.of(spec), options, s -> { })) {
            await(mcp, "guarded", McpServerStatus.Phase.CONNECTED);
            var client = mcp.client("guarded").orElseThrow();
            assertThat(client.revision()).isEqualTo(ProtocolRevision.STATELESS);
            assertThat(client.listTools().tools()).extracting(McpSchema.Tool::name).contains("echo");
            assertThat(seen).isNotEmpty().allMatch(h -> h.startsWith("Bearer "));
            String before = seen.getLast();
            auth.expireAccessTokens();
            int refreshes = auth.refreshes.get();
            var result = client.callTool(new McpSchema.CallToolRequest("echo", Map.of("message", "signed")));
            assertThat(result.content().toString()).contains("Echo: signed");
            assertThat(auth.refreshes.get()).isEqualTo(refreshes + 1);
            assertThat(seen.getLast()).startsWith("Bearer ").isNotEqualTo(before);
            assertThat(modern.methods()).doesNotContain("initialize");
        }
    }

    @Test
    void withoutATokenTheServerNeedsAuth() throws Exception {
        var oauth = new McpOAuth(new TokenStore(dir), new FollowingBrowser(), HttpClient.newHttpClient(), Clock.systemUTC(), Duration.ofSeconds(10));
        var spec = new McpServerSpec.Remote("guarded", auth.resource, Map.of(), McpServerSpec.OAuth.AUTOMATIC,
                McpServerSpec.Activation.ENABLED, Duration.ofSeconds(15));
        var options = new McpOptions(dir.resolve("logs"), FAST, Duration.ofSeconds(30), s -> { }).withOAuth(oauth);
        try (var mcp = McpConnections.start(List.of(spec), options, s -> { })) {
            var needs = await(mcp, "guarded", McpServerStatus.Phase.NEEDS_AUTH);
            assertThat(needs.lastError().orElseThrow()).contains("lathe mcp auth guarded");
        }
    }

    /** 401 with the challenge without a live token; otherwise forwarded to the stateless server, the answer streamed back. */
    private void proxy(HttpExchange ex) throws IOException {
        try (ex) {
            String authorization = ex.getRequestHeaders().getFirst("Authorization");
            seen.add(authorization == null ? "" : authorization);
            if (!auth.accepts(authorization)) {
                ex.getResponseHeaders().set("WWW-Authenticate", auth.challenge());
                ex.sendResponseHeaders(401, -1);
                return;
            }
            byte[] body = ex.getRequestBody().readAllBytes();
            var request = HttpRequest.newBuilder(modern.url()).method(ex.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
            ex.getRequestHeaders().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) values.forEach(v -> request.header(name, v));
            });
            HttpResponse<InputStream> response;
            try {
                response = upstream.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                ex.sendResponseHeaders(502, -1);
                return;
            }
            response.headers().firstValue("Content-Type").ifPresent(t -> ex.getResponseHeaders().set("Content-Type", t));
            try (InputStream in = response.body()) {
                ex.sendResponseHeaders(response.statusCode(), 0);
                OutputStream out = ex.getResponseBody();
                byte[] buffer = new byte[8192];
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            }
        }
    }

    private static McpServerStatus await(McpConnections mcp, String name, McpServerStatus.Phase phase) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            McpServerStatus s = mcp.statuses().stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
            if (s.phase() == phase) return s;
            Thread.sleep(50);
        }
        throw new AssertionError(name + " never reached " + phase + ": " + mcp.statuses());
    }
}
