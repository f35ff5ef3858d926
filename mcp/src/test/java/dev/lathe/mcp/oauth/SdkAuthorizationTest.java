package dev.lathe.mcp.oauth;

import dev.lathe.testkit.LoopbackAuthServer;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.client.transport.HttpRequestSnapshot;
import io.modelcontextprotocol.common.McpTransportContext;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The SDK hooks, driven as the SDK's transport drives them, against the loopback authorization server's resource. */
@Timeout(60)
class SdkAuthorizationTest {
    @TempDir
    Path data;

    final HttpClient http = HttpClient.newHttpClient();

    HttpResponse<String> send(SdkAuthorization auth, java.net.URI uri) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).GET();
        auth.customize(builder, "GET", uri, "", McpTransportContext.EMPTY);
        return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse.ResponseInfo info(HttpResponse<?> response) {
        return new HttpResponse.ResponseInfo() {
            public int statusCode() { return response.statusCode(); }
            public HttpHeaders headers() { return response.headers(); }
            public HttpClient.Version version() { return response.version(); }
        };
    }

    @Test
    void setsTheHeaderAndRetriesA401AfterARefreshButNotAfterARevocation() throws Exception {
        try (var as = new LoopbackAuthServer()) {
            var server = new RemoteServer("tracker", as.resource, OAuthSettings.NONE);
            var oauth = new McpOAuth(new TokenStore(data), new FollowingBrowser(), http, Clock.systemUTC(), Duration.ofSeconds(10));
            var auth = new SdkAuthorization(oauth, server);

            HttpResponse<String> unsigned = send(auth, as.resource);
            assertThat(unsigned.statusCode()).isEqualTo(401);
            assertThat(auth.handle(new HttpRequestSnapshot(as.resource, "GET", unsigned.request().headers()), info(unsigned), McpTransportContext.EMPTY)).isFalse();
            assertThat(auth.state()).isInstanceOf(AuthState.NeedsAuth.class);

            oauth.authorize(server);
            assertThat(send(auth, as.resource).statusCode()).isEqualTo(200);

            as.expireAccessTokens();
            HttpResponse<String> expired = send(auth, as.resource);
            assertThat(expired.statusCode()).isEqualTo(401);
            assertThat(auth.handle(new HttpRequestSnapshot(as.resource, "GET", expired.request().headers()), info(expired), McpTransportContext.EMPTY)).isTrue();
            assertThat(send(auth, as.resource).statusCode()).isEqualTo(200);

            as.revokeEverything();
            HttpResponse<String> revoked = send(auth, as.resource);
            assertThat(auth.handle(new HttpRequestSnapshot(as.resource, "GET", revoked.request().headers()), info(revoked), McpTransportContext.EMPTY)).isFalse();
            assertThat(auth.state()).isInstanceOf(AuthState.NeedsAuth.class);
        }
    }
}
