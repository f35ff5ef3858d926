package dev.lathe.mcp.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The pure parts: the challenge parser, the metadata URL order, PKCE, the TLS rule. */
class OAuthPiecesTest {
    @Test
    void readsResourceMetadataScopeAndErrorQuotedOrNot() {
        var c = BearerChallenge.parse("Bearer error=\"insufficient_scope\", scope=\"files:read files:write\", "
                + "resource_metadata=\"https://mcp.example.com/.well-known/oauth-protected-resource\"");
        assertThat(c.resourceMetadata()).contains(URI.create("https://mcp.example.com/.well-known/oauth-protected-resource"));
        assertThat(c.scope()).contains("files:read files:write");
        assertThat(c.error()).contains("insufficient_scope");
        assertThat(BearerChallenge.parse("bearer error=invalid_token").error()).contains("invalid_token");
    }

    @Test
    void findsTheBearerChallengeAmongOthersAndIgnoresTheRest() {
        var c = BearerChallenge.parse("Basic realm=\"x\", Bearer resource_metadata=\"https://a.example/m\"");
        assertThat(c.resourceMetadata()).contains(URI.create("https://a.example/m"));
        assertThat(BearerChallenge.parse("Basic realm=\"x\"")).isEqualTo(BearerChallenge.NONE);
        assertThat(BearerChallenge.parse(null)).isEqualTo(BearerChallenge.NONE);
        assertThat(BearerChallenge.parse("Bearer resource_metadata=\"not a url\"").resourceMetadata()).isEqualTo(Optional.empty());
    }

    @Test
    void authorizationServerMetadataUrlsFollowTheSpecOrder() {
        assertThat(Discovery.metadataUrls(URI.create("https://auth.example.com/tenant1"))).containsExactly(
                URI.create("https://auth.example.com/.well-known/oauth-authorization-server/tenant1"),
                URI.create("https://auth.example.com/.well-known/openid-configuration/tenant1"),
                URI.create("https://auth.example.com/tenant1/.well-known/openid-configuration"));
        assertThat(Discovery.metadataUrls(URI.create("https://auth.example.com"))).containsExactly(
                URI.create("https://auth.example.com/.well-known/oauth-authorization-server"),
                URI.create("https://auth.example.com/.well-known/openid-configuration"));
    }

    @Test
    void pkceChallengeIsBase64UrlOfSha256WithoutPadding() {
        // expected value computed independently: printf %s VERIFIER | openssl dgst -sha256 -binary | base64 | tr '+/' '-_' | tr -d =
        assertThat(Pkce.s256("dBjftJeZ4CVP-mJ0G1vaCJBZIhE5YHy0s58CAyiCzz0")).isEqualTo("yK-jEz4vhzIsM87poYg_ZuuUCoK-fycNw3NdEOqIR0k");
        assertThat(Pkce.generate().verifier()).hasSizeGreaterThanOrEqualTo(43);
    }

    @Test
    void endpointsMustUseTlsExceptOnLoopback() throws Exception {
        Discovery.requireTls(URI.create("https://auth.example.com/token"));
        Discovery.requireTls(URI.create("http://127.0.0.1:8080/token"));
        Discovery.requireTls(URI.create("http://localhost/token"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Discovery.requireTls(URI.create("http://auth.example.com/token")))
                .isInstanceOf(OAuthException.class).hasMessageContaining("not HTTPS");
    }
}
