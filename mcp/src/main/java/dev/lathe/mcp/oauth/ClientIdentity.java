package dev.lathe.mcp.oauth;

import java.util.Optional;

/**
 * Who Lathe is to an authorization server: a client id (configured, registered dynamically, or the URL of a client ID
 * metadata document) and, for a confidential client, its secret (sent with {@code client_secret_post}).
 */
public record ClientIdentity(String clientId, Optional<String> clientSecret) {
    @Override
    public String toString() {
        return "ClientIdentity[" + clientId + (clientSecret.isPresent() ? ", secret=<redacted>" : "") + "]";
    }
}
