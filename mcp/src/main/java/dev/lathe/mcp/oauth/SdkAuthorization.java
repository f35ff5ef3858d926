package dev.lathe.mcp.oauth;

import io.modelcontextprotocol.client.transport.HttpRequestSnapshot;
import io.modelcontextprotocol.client.transport.customizer.McpHttpClientTransportAuthorizationErrorHandler;
import io.modelcontextprotocol.client.transport.customizer.McpSyncHttpClientRequestCustomizer;
import io.modelcontextprotocol.common.McpTransportContext;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * {@link McpOAuth} plugged into the SDK's HTTP transports for one remote server: as the request customizer it sets
 * {@code Authorization} on every request (when signed in); as the authorization error handler it answers a 401 (or a
 * 403 {@code insufficient_scope}) with a refresh and asks the SDK to retry when that gave a token. {@link #state()}
 * is the last answer, for {@code lathe mcp list}: {@code NeedsAuth} means {@code needs_auth}.
 *
 * <pre>{@code
 * var auth = new SdkAuthorization(oauth, server);
 * HttpClientStreamableHttpTransport.builder(url).httpRequestCustomizer(auth)
 *         .authorizationErrorHandler(McpHttpClientTransportAuthorizationErrorHandler.fromSync(auth)).build();
 * }</pre>
 */
public final class SdkAuthorization implements McpSyncHttpClientRequestCustomizer, McpHttpClientTransportAuthorizationErrorHandler.Sync {
    private final McpOAuth oauth;
    private final RemoteServer server;
    private volatile AuthState last;

    public SdkAuthorization(McpOAuth oauth, RemoteServer server) {
        this.oauth = oauth;
        this.server = server;
        this.last = new AuthState.NeedsAuth("not connected yet");
    }

    @Override
    public void customize(HttpRequest.Builder builder, String method, URI endpoint, String body, McpTransportContext context) {
        AuthState state = oauth.authorization(server);
        last = state;
        if (state instanceof AuthState.Authorized(String header)) builder.setHeader("Authorization", header);
    }

    @Override
    public boolean handle(HttpRequestSnapshot request, HttpResponse.ResponseInfo response, McpTransportContext context) {
        var challenge = response.headers().firstValue("WWW-Authenticate");
        boolean scopeRefused = response.statusCode() == 403
                && BearerChallenge.parse(challenge.orElse(null)).error().filter("insufficient_scope"::equals).isPresent();
        if (response.statusCode() != 401 && !scopeRefused) return false;
        AuthState state = oauth.onUnauthorized(server, challenge, request.headers().firstValue("Authorization"));
        last = state;
        return state instanceof AuthState.Authorized;
    }

    /** The last answer from {@link McpOAuth} for this server. */
    public AuthState state() {
        return last;
    }
}
