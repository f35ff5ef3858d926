package dev.lathe.mcp.oauth;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * The parts of an authorization server's metadata (RFC 8414, or OpenID Connect discovery) Lathe uses. The issuer has
 * already been checked against the URL the metadata was fetched for by {@link Discovery}.
 */
public record AuthorizationServerMetadata(
        URI issuer,
        URI authorizationEndpoint,
        URI tokenEndpoint,
        Optional<URI> registrationEndpoint,
        Optional<URI> revocationEndpoint,
        List<String> codeChallengeMethods,
        boolean clientIdMetadataDocumentSupported,
        boolean issParameterInResponse) {
    public AuthorizationServerMetadata {
        codeChallengeMethods = List.copyOf(codeChallengeMethods);
    }
}
