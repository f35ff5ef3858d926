package dev.lathe.mcp.oauth;

import java.net.URI;
import java.util.List;

/**
 * The parts of an MCP server's OAuth protected resource metadata (RFC 9728) Lathe uses: the resource identifier (sent
 * as the {@code resource} parameter, RFC 8707), its authorization servers (the first is used) and the scopes it
 * supports (asked for when the 401 named none).
 */
public record ProtectedResourceMetadata(URI resource, List<URI> authorizationServers, List<String> scopesSupported) {
    public ProtectedResourceMetadata {
        authorizationServers = List.copyOf(authorizationServers);
        scopesSupported = List.copyOf(scopesSupported);
    }
}
