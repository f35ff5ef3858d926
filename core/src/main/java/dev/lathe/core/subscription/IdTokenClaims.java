package dev.lathe.core.subscription;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The ChatGPT account a sign-in acts for, read from the claims of the id token (else the access token): the backend
 * wants it in {@code chatgpt-account-id}. The tokens are not verified here: they came straight from the token endpoint
 * over TLS, and the backend checks them on every request.
 */
final class IdTokenClaims {
    private static final String AUTH_CLAIM = "https://api.openai.com/auth";

    private IdTokenClaims() {}

    static Optional<String> accountId(String... tokens) {
        for (String token : tokens) {
            Optional<JsonNode> claims = claims(token);
            if (claims.isEmpty()) continue;
            JsonNode c = claims.get();
            for (JsonNode candidate : new JsonNode[] {c.path("chatgpt_account_id"), c.path(AUTH_CLAIM).path("chatgpt_account_id"),
                    c.path("organizations").path(0).path("id")}) {
                if (candidate.isString() && !candidate.asString().isBlank()) return Optional.of(candidate.asString());
            }
        }
        return Optional.empty();
    }

    static Optional<JsonNode> claims(String jwt) {
        if (jwt == null) return Optional.empty();
        String[] parts = jwt.split("\\.");
        if (parts.length != 3) return Optional.empty();
        try {
            JsonNode node = PlanHttp.JSON.readTree(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
            return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
        } catch (RuntimeException notAJwt) {
            return Optional.empty();
        }
    }
}
