package dev.lathe.mcp.oauth;

import java.io.IOException;
import java.net.URI;
import java.util.Optional;
import tools.jackson.databind.node.ObjectNode;

/**
 * Picks the client identity in the MCP spec's order of preference: one configured by the user; a client ID metadata
 * document URL when the server advertises {@code client_id_metadata_document_supported}; dynamic client registration
 * (RFC 7591) as a public client with the loopback redirect. Otherwise the user must configure a client id.
 */
final class ClientRegistration {
    private final Http http;

    ClientRegistration(Http http) {
        this.http = http;
    }

    ClientIdentity identify(OAuthSettings settings, AuthorizationServerMetadata as, URI redirectUri) throws OAuthException, InterruptedException {
        if (settings.clientId().isPresent()) return new ClientIdentity(settings.clientId().get(), settings.clientSecret());
        if (as.clientIdMetadataDocumentSupported() && settings.clientMetadataDocument().isPresent())
            return new ClientIdentity(settings.clientMetadataDocument().get().toString(), Optional.empty());
        if (as.registrationEndpoint().isEmpty())
            throw new OAuthException("the authorization server " + as.issuer() + " offers no dynamic registration: set oauth.clientId in the config");
        return register(as.registrationEndpoint().get(), redirectUri);
    }

    private ClientIdentity register(URI endpoint, URI redirectUri) throws OAuthException, InterruptedException {
        ObjectNode body = Http.JSON.createObjectNode();
        body.put("client_name", "Lathe");
        body.putArray("redirect_uris").add(redirectUri.toString());
        body.putArray("grant_types").add("authorization_code").add("refresh_token");
        body.putArray("response_types").add("code");
        body.put("token_endpoint_auth_method", "none");
        try {
            Http.Answer answer = http.postJson(endpoint, body);
            String clientId = answer.field("client_id");
            if (!answer.ok() || clientId.isEmpty())
                throw new OAuthException("dynamic client registration at " + endpoint + " failed: HTTP " + answer.status()
                        + (answer.field("error").isEmpty() ? "" : " " + answer.field("error")));
            String secret = answer.field("client_secret");
            return new ClientIdentity(clientId, secret.isEmpty() ? Optional.empty() : Optional.of(secret));
        } catch (IOException e) {
            throw new OAuthException("could not reach " + endpoint + ": " + e.getMessage(), e);
        }
    }
}
