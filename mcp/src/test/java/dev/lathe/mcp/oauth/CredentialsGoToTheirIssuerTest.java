package dev.lathe.mcp.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.lathe.testkit.LoopbackAuthServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 79, CVE-2026-104850's class: an MCP server whose metadata names an authorization server other than the one
 * Lathe's credentials were issued by must not receive them. Real HTTP on loopback: the legitimate authorization server
 * ({@link LoopbackAuthServer}, which also serves the MCP resource and its metadata) and an attacker's, which records
 * every request it gets and would accept any client. The stored refresh token goes only to the token endpoint stored
 * with it; a configured client secret goes only to its {@code issuer} (or, with none stated, one at the MCP server's
 * origin).
 */
@org.junit.jupiter.api.Timeout(60)
class CredentialsGoToTheirIssuerTest {
    private static final String SECRET = "corp-client-SECRET-5d1c";
    @TempDir Path data;
    LoopbackAuthServer as;
    HttpServer evil;
    URI evilIssuer;
    final List<String> evilSaw = new CopyOnWriteArrayList<>();
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        as = new LoopbackAuthServer();
        evil = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        // "localhost", not 127.0.0.1: another origin than the MCP server's, as any other host would be
        evilIssuer = URI.create("http://localhost:" + evil.getAddress().getPort() + "/evil");
        evil.createContext("/", this::evilAnswers);
        evil.start();
    }

    @AfterEach
    void stop() {
        as.close();
        evil.stop(0);
    }

    /** The attacker's authorization server: metadata, an authorize step that signs anyone in, a token endpoint that records. */
    private void evilAnswers(HttpExchange ex) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        evilSaw.add(ex.getRequestMethod() + " " + ex.getRequestURI() + " " + body);
        String path = ex.getRequestURI().getPath();
        if (path.equals("/.well-known/oauth-authorization-server/evil")) {
            json(ex, "{\"issuer\": \"" + evilIssuer + "\", \"authorization_endpoint\": \"" + evilIssuer + "/authorize\", \"token_endpoint\": \""
                    + evilIssuer + "/token\", \"code_challenge_methods_supported\": [\"S256\"], \"response_types_supported\": [\"code\"]}");
        } else if (path.equals("/evil/authorize")) {
            Map<String, String> q = LoopbackRedirect.query(ex.getRequestURI().getRawQuery());
            ex.getResponseHeaders().set("Location", q.get("redirect_uri") + "?code=evil-code&state=" + q.get("state"));
            ex.sendResponseHeaders(302, -1);
            ex.close();
        } else if (path.equals("/evil/token")) {
            json(ex, "{\"access_token\": \"evil-at\", \"token_type\": \"Bearer\", \"expires_in\": 3600, \"refresh_token\": \"evil-rt\"}");
        } else {
            ex.sendResponseHeaders(404, -1);
            ex.close();
        }
    }

    private static void json(HttpExchange ex, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(200, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }

    private McpOAuth oauth() {
        return new McpOAuth(new TokenStore(data), new FollowingBrowser(), http, Clock.systemUTC(), Duration.ofSeconds(10));
    }

    @Test
    void theStoredRefreshTokenGoesOnlyToTheServerItWasIssuedByWhenTheMcpServerNamesAnother() throws Exception {
        var server = new RemoteServer("tracker", as.resource, OAuthSettings.NONE);
        McpOAuth oauth = oauth();
        AuthState.Authorized first = oauth.authorize(server);
        String refreshToken = new TokenStore(data).load("tracker").orElseThrow().refreshToken().orElseThrow();

        // the MCP server now names the attacker's authorization server, and the access token has expired
        as.namedAuthorizationServer = evilIssuer.toString();
        as.expireAccessTokens();
        AuthState renewed = oauth.onUnauthorized(server, Optional.of(as.challenge()), Optional.of(first.header()));

        assertThat(renewed).isInstanceOf(AuthState.Authorized.class).isNotEqualTo(first);
        assertThat(as.refreshes.get()).as("refreshed where the token was issued").isEqualTo(1);
        assertThat(evilSaw).as("the attacker's server got nothing").isEmpty();
        assertThat(String.join("\n", evilSaw)).doesNotContain(refreshToken);
    }

    @Test
    void aConfiguredClientSecretIsNeverSentToAnAuthorizationServerTheMcpServerNamesElsewhere() throws Exception {
        var server = new RemoteServer("corp", as.resource, new OAuthSettings(Optional.of("corp-client"), Optional.of(SECRET), Optional.empty(),
                Optional.empty()));
        as.namedAuthorizationServer = evilIssuer.toString();

        assertThatThrownBy(() -> oauth().authorize(server)).isInstanceOf(OAuthException.class).hasMessageContaining("refused, nothing was sent")
                .hasMessageContaining("mcp.corp.oauth.issuer").hasMessageNotContaining(SECRET);
        assertThat(String.join("\n", evilSaw)).doesNotContain(SECRET).doesNotContain("/evil/token").doesNotContain("/evil/authorize");
        assertThat(new TokenStore(data).load("corp")).isEmpty();
    }

    @Test
    void norWhenTheConfigNamesTheIssuerTheSecretBelongsTo() throws Exception {
        var server = new RemoteServer("corp", as.resource, new OAuthSettings(Optional.of("corp-client"), Optional.of(SECRET), Optional.empty(),
                Optional.empty(), Optional.of(as.issuer)));
        as.namedAuthorizationServer = evilIssuer.toString();

        assertThatThrownBy(() -> oauth().authorize(server)).isInstanceOf(OAuthException.class).hasMessageContaining("was issued by " + as.issuer);
        assertThat(String.join("\n", evilSaw)).doesNotContain(SECRET).doesNotContain("/evil/token");
    }

    @Test
    void theSecretGoesToTheIssuerTheConfigNames() throws Exception {
        // the user states that the attacker's server is theirs: then, and only then, it gets the secret
        var server = new RemoteServer("corp", as.resource, new OAuthSettings(Optional.of("corp-client"), Optional.of(SECRET), Optional.empty(),
                Optional.empty(), Optional.of(evilIssuer)));
        as.namedAuthorizationServer = evilIssuer.toString();

        oauth().authorize(server);
        assertThat(evilSaw).anySatisfy(s -> assertThat(s).startsWith("POST /evil/token").contains("client_secret=" + SECRET));
    }
}
