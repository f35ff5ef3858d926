package dev.lathe.mcp.oauth;

import java.net.URI;
import java.util.Optional;

/**
 * The {@code oauth} object of a remote MCP server's config (DESIGN §14): a pre-registered client, the scope to ask for,
 * the URL of a client ID metadata document Lathe is published under (used when the authorization server says it
 * accepts them, instead of registering), and the issuer of the authorization server the pre-registered client belongs
 * to: its secret is sent to that issuer only, never to one the MCP server's metadata names instead (issue 79). All
 * optional; {@link #NONE} discovers and registers everything.
 */
public record OAuthSettings(Optional<String> clientId, Optional<String> clientSecret, Optional<String> scope, Optional<URI> clientMetadataDocument,
        Optional<URI> issuer) {
    public static final OAuthSettings NONE = new OAuthSettings(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

    /** Without a stated issuer: a configured secret then goes only to an issuer at the MCP server's own origin. */
    public OAuthSettings(Optional<String> clientId, Optional<String> clientSecret, Optional<String> scope, Optional<URI> clientMetadataDocument) {
        this(clientId, clientSecret, scope, clientMetadataDocument, Optional.empty());
    }

    @Override
    public String toString() {
        return "OAuthSettings[clientId=" + clientId + ", secret=" + (clientSecret.isPresent() ? "<redacted>" : "none")
                + ", scope=" + scope + ", clientMetadataDocument=" + clientMetadataDocument + ", issuer=" + issuer + "]";
    }
}
