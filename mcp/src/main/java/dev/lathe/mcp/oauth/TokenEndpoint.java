package dev.lathe.mcp.oauth;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The token endpoint's two grants Lathe uses: the authorization code with its PKCE verifier, and the refresh token;
 * both carry the {@code resource} (RFC 8707) so the token is bound to the MCP server it is for.
 */
final class TokenEndpoint {
    /** A token response. {@link #toString()} never shows a token. */
    record Tokens(String accessToken, Optional<String> refreshToken, Optional<Duration> expiresIn, Optional<String> scope) {
        @Override
        public String toString() {
            return "Tokens[<redacted>, expiresIn=" + expiresIn + ", scope=" + scope + "]";
        }
    }

    /** The refresh token is no longer accepted ({@code invalid_grant}, or the client is gone): the user must sign in again. */
    static final class RefreshRefused extends OAuthException {
        RefreshRefused(String message) {
            super(message);
        }
    }

    private final Http http;

    TokenEndpoint(Http http) {
        this.http = http;
    }

    Tokens exchange(URI endpoint, ClientIdentity client, String code, String verifier, URI redirectUri, URI resource)
            throws OAuthException, InterruptedException {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", code);
        form.put("code_verifier", verifier);
        form.put("redirect_uri", redirectUri.toString());
        form.put("resource", resource.toString());
        Http.Answer answer = post(endpoint, client, form);
        if (!answer.ok()) throw new OAuthException("the token endpoint refused the code: " + describe(answer));
        return tokens(answer, endpoint);
    }

    Tokens refresh(URI endpoint, ClientIdentity client, String refreshToken, URI resource) throws OAuthException, InterruptedException {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "refresh_token");
        form.put("refresh_token", refreshToken);
        form.put("resource", resource.toString());
        Http.Answer answer = post(endpoint, client, form);
        if (answer.status() == 400 || answer.status() == 401) {
            String error = answer.field("error");
            if (error.equals("invalid_grant") || error.equals("invalid_client") || error.equals("unauthorized_client") || error.isEmpty())
                throw new RefreshRefused("the refresh token was refused: " + describe(answer));
        }
        if (!answer.ok()) throw new OAuthException("refreshing the token failed: " + describe(answer));
        return tokens(answer, endpoint);
    }

    /** RFC 7009 revocation; answers whether the server accepted it (it answers 200 even for an unknown token). */
    boolean revoke(URI endpoint, ClientIdentity client, String token, String hint) throws InterruptedException {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("token", token);
        form.put("token_type_hint", hint);
        try {
            return post(endpoint, client, form).ok();
        } catch (OAuthException unreachable) {
            return false;
        }
    }

    private Http.Answer post(URI endpoint, ClientIdentity client, Map<String, String> form) throws OAuthException, InterruptedException {
        form.put("client_id", client.clientId());
        client.clientSecret().ifPresent(secret -> form.put("client_secret", secret));
        try {
            return http.postForm(endpoint, form);
        } catch (IOException e) {
            throw new OAuthException("could not reach " + endpoint + ": " + e.getMessage(), e);
        }
    }

    private static Tokens tokens(Http.Answer answer, URI endpoint) throws OAuthException {
        String access = answer.field("access_token");
        if (access.isEmpty()) throw new OAuthException("the token endpoint " + endpoint + " answered no access_token");
        String type = answer.field("token_type");
        if (!type.equalsIgnoreCase("bearer")) throw new OAuthException("the token endpoint " + endpoint + " answered token_type '" + type + "', not Bearer");
        var body = answer.body().orElseThrow();
        Optional<Duration> expiresIn = body.path("expires_in").isNumber()
                ? Optional.of(Duration.ofSeconds(body.path("expires_in").asLong())) : Optional.empty();
        String refresh = answer.field("refresh_token");
        String scope = answer.field("scope");
        return new Tokens(access, refresh.isEmpty() ? Optional.empty() : Optional.of(refresh), expiresIn,
                scope.isEmpty() ? Optional.empty() : Optional.of(scope));
    }

    private static String describe(Http.Answer answer) {
        String error = answer.field("error");
        String description = answer.field("error_description");
        return "HTTP " + answer.status() + (error.isEmpty() ? "" : " " + error) + (description.isEmpty() ? "" : " (" + description + ")");
    }
}
