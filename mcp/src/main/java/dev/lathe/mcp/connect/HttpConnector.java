package dev.lathe.mcp.connect;

import dev.lathe.mcp.Elicitor;
import dev.lathe.mcp.client.ServerClient;
import dev.lathe.mcp.oauth.AuthState;
import dev.lathe.mcp.oauth.SdkAuthorization;
import io.modelcontextprotocol.client.McpClient;
import dev.lathe.mcp.client.SdkServerClient;
import dev.lathe.mcp.stateless.Era;
import dev.lathe.mcp.stateless.HttpChannel;
import dev.lathe.mcp.stateless.Probe;
import dev.lathe.mcp.stateless.RpcError;
import dev.lathe.mcp.stateless.StatelessClient;
import io.modelcontextprotocol.client.transport.HttpClientSseClientTransport;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.McpHttpClientTransportAuthorizationException;
import io.modelcontextprotocol.client.transport.customizer.McpHttpClientTransportAuthorizationErrorHandler;
import io.modelcontextprotocol.spec.McpClientTransport;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Connects to a remote MCP server. First the era probe ({@link Probe}: one {@code server/discover} POST): a server
 * that lists 2026-07-28 gets Lathe's {@link StatelessClient}. Otherwise {@code initialize} with the SDK: Streamable HTTP first; when that fails for a reason other than authorization,
 * the legacy HTTP+SSE transport on the same URL (servers from before 2025-03-26 refuse the POST with a 4xx). When
 * both fail, the Streamable HTTP error is the one reported (it is the transport the server should speak). A probe
 * answered with a redirect fails the connection at once with where it points: no transport follows one. A live
 * connection is pinged every {@code healthCheck}; the first failed ping ends it (the lifecycle reconnects).
 */
public final class HttpConnector {
    private HttpConnector() {}

    /** Connects and initializes within {@code timeout}; a 401 (or 403) surfaces as {@link ConnectFailure.Kind#NEEDS_AUTH}. */
    public static Connection connect(URI url, Map<String, String> headers, Duration timeout, Duration healthCheck,
                                     Consumer<McpClient.SyncSpec> customizer) throws ConnectFailure {
        return connect(url, headers, Optional.empty(), timeout, healthCheck, customizer);
    }

    /**
     * As {@link #connect(URI, Map, Duration, Duration, Consumer)}, with {@code auth} (when given) setting
     * {@code Authorization} on every request and answering 401s with a refresh and one retry. A 401 the sign-in
     * cannot fix is {@link ConnectFailure.Kind#NEEDS_AUTH} (the user must run {@code lathe mcp auth NAME}); one
     * where the token endpoint failed for a transient reason is {@link ConnectFailure.Kind#FAILED} (the backoff
     * retries it).
     */
    public static Connection connect(URI url, Map<String, String> headers, Optional<SdkAuthorization> auth, Duration timeout,
                                     Duration healthCheck, Consumer<McpClient.SyncSpec> customizer) throws ConnectFailure {
        return connect(url.getHost(), url, headers, auth, timeout, healthCheck, customizer, Elicitor.DECLINE);
    }

    /**
     * As {@link #connect(URI, Map, Optional, Duration, Duration, Consumer)}, for server {@code name}, whose
     * elicitation (2026-07-28 {@code input_required} rounds) {@code elicitor} answers.
     */
    public static Connection connect(String name, URI url, Map<String, String> headers, Optional<SdkAuthorization> auth,
                                     Duration timeout, Duration healthCheck, Consumer<McpClient.SyncSpec> customizer,
                                     Elicitor elicitor) throws ConnectFailure {
        try {
            var channel = new HttpChannel(url, headers, auth, timeout);
            Era era = Probe.discover(channel);
            if (era instanceof Era.Stateless(var discovery)) {
                return watched(new StatelessClient(name, channel, discovery, elicitor), healthCheck);
            }
            channel.close();
            // the SDK's transports follow no redirect either: they would fail with a bare status instead of saying where
            // the server points and that its url must be set to it (decision 120)
            if (era instanceof Era.Redirected(String reason)) throw new ConnectFailure(ConnectFailure.Kind.FAILED, reason, null);
            return connectEither(url, headers, auth, timeout, healthCheck, customizer);
        } catch (ConnectFailure e) {
            if (e.kind() == ConnectFailure.Kind.NEEDS_AUTH && auth.isPresent()
                    && auth.get().state() instanceof AuthState.Failed(String reason)) {
                throw new ConnectFailure(ConnectFailure.Kind.FAILED, "sign-in could not be refreshed: " + reason, e);
            }
            if (e.kind() == ConnectFailure.Kind.NEEDS_AUTH && auth.isPresent()
                    && auth.get().state() instanceof AuthState.NeedsAuth(String reason)) {
                throw new ConnectFailure(ConnectFailure.Kind.NEEDS_AUTH, reason, e);
            }
            throw e;
        }
    }

    private static Connection connectEither(URI url, Map<String, String> headers, Optional<SdkAuthorization> auth, Duration timeout,
                                            Duration healthCheck, Consumer<McpClient.SyncSpec> customizer) throws ConnectFailure {
        String base = url.getScheme() + "://" + url.getRawAuthority();
        String path = (url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath())
                + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
        HttpRequest.Builder request = HttpRequest.newBuilder();
        headers.forEach(request::header);
        var streamableBuilder = HttpClientStreamableHttpTransport.builder(base).endpoint(path).requestBuilder(request.copy())
                .connectTimeout(timeout);
        auth.ifPresent(a -> streamableBuilder.httpRequestCustomizer(a)
                .authorizationErrorHandler(McpHttpClientTransportAuthorizationErrorHandler.fromSync(a)));
        var streamable = streamableBuilder.build();
        ConnectFailure first;
        try {
            return initialize(streamable, timeout, healthCheck, customizer);
        } catch (ConnectFailure e) {
            if (e.kind() == ConnectFailure.Kind.NEEDS_AUTH) throw e;
            first = e;
        }
        var sseBuilder = HttpClientSseClientTransport.builder(base).sseEndpoint(path).requestBuilder(request.copy())
                .connectTimeout(timeout);
        auth.ifPresent(a -> sseBuilder.httpRequestCustomizer(a));
        var sse = sseBuilder.build();
        try {
            return initialize(sse, timeout, healthCheck, customizer);
        } catch (ConnectFailure e) {
            if (e.kind() == ConnectFailure.Kind.NEEDS_AUTH) throw e;
            throw first;
        }
    }

    private static Connection initialize(McpClientTransport transport, Duration timeout, Duration healthCheck,
                                         Consumer<McpClient.SyncSpec> customizer) throws ConnectFailure {
        var spec = McpClient.sync(transport).initializationTimeout(timeout).requestTimeout(timeout);
        customizer.accept(spec);
        SdkServerClient client = SdkServerClient.build(spec, timeout);
        try {
            client.sdk().initialize();
        } catch (RuntimeException e) {
            client.close();
            throw new ConnectFailure(authorization(e) ? ConnectFailure.Kind.NEEDS_AUTH : ConnectFailure.Kind.FAILED,
                    "initialize failed: " + message(e), e);
        }
        return watched(client, healthCheck);
    }

    /** {@code client} as a connection that ends when a ping every {@code healthCheck} fails. */
    private static Connection watched(ServerClient client, Duration healthCheck) {
        var ended = new CompletableFuture<String>();
        // nothing tells Lathe that a remote server went away until a call fails: a ping every healthCheck does
        Thread pinger = Thread.ofVirtual().name("mcp-ping").start(() -> {
            while (!ended.isDone()) {
                try {
                    Thread.sleep(healthCheck);
                } catch (InterruptedException e) {
                    return;
                }
                if (ended.isDone()) return;
                try {
                    client.ping();
                } catch (RuntimeException e) {
                    ended.complete("stopped answering: " + message(e));
                }
            }
        });
        return new Connection(client, ended, pinger::interrupt);
    }

    private static boolean authorization(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof McpHttpClientTransportAuthorizationException) return true;
            if (t instanceof RpcError rpc && (rpc.httpStatus() == 401 || rpc.httpStatus() == 403)) return true;
            String m = String.valueOf(t.getMessage());
            if (m.contains("401") || m.contains("Unauthorized")) return true;
        }
        return false;
    }

    private static String message(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        return root == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + root + ")";
    }
}
