package dev.lathe.mcp.oauth;

import java.net.URI;
import java.util.Optional;

/**
 * The {@code oauth} object of a remote MCP server's config (DESIGN §14): a pre-registered client, the scope to ask for,
 * and the URL of a client ID metadata document Lathe is published under (used when the authorization server says it
 * accepts them, instead of registering). All optional; {@link #NONE} discovers and registers everything.
 */
public record OAuthSettings(Optional<String> clientId, Optional<String> clientSecret, Optional<String> scope, Optional<URI> clientMetadataDocument) {
    public static final OAuthSettings NONE = new OAuthSettings(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

    @Override
    public String toString() {
        return "OAuthSettings[clientId=" + clientId + ", secret=" + (clientSecret.isPresent() ? "<redacted>" : "none")
                + ", scope=" + scope + ", clientMetadataDocument=" + clientMetadataDocument + "]";
    }
}
