package dev.lathe.mcp.oauth;

import java.net.URI;
import java.time.Instant;
import java.util.Optional;

/**
 * What is kept for one server between runs (one 0600 file, {@link TokenStore}): enough to send the access token, and to
 * refresh it without discovery (the token endpoint, the client, the resource). {@link #toString()} never shows a token.
 */
public record StoredAuth(
        URI server,
        URI issuer,
        URI tokenEndpoint,
        Optional<URI> revocationEndpoint,
        URI resource,
        ClientIdentity client,
        String accessToken,
        Optional<String> refreshToken,
        Optional<Instant> expiresAt,
        Optional<String> scope) {

    /** Whether the access token is expired, or will be within {@code skew} (refresh a little early: clocks and latency differ). */
    public boolean expiresWithin(java.time.Duration skew, Instant now) {
        return expiresAt.map(at -> !now.plus(skew).isBefore(at)).orElse(false);
    }

    StoredAuth withTokens(TokenEndpoint.Tokens tokens, Instant now) {
        return new StoredAuth(server, issuer, tokenEndpoint, revocationEndpoint, resource, client, tokens.accessToken(),
                tokens.refreshToken().or(() -> refreshToken), // a server that does not rotate keeps the old refresh token valid
                tokens.expiresIn().map(now::plus), tokens.scope().or(() -> scope));
    }

    @Override
    public String toString() {
        return "StoredAuth[server=" + server + ", issuer=" + issuer + ", client=" + client + ", accessToken=<redacted>, refreshToken="
                + (refreshToken.isPresent() ? "<redacted>" : "none") + ", expiresAt=" + expiresAt + ", scope=" + scope + "]";
    }
}
