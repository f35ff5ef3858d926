package dev.lathe.mcp.oauth;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Finds who authorizes an MCP server (MCP authorization 2025-11-25, "Authorization Server Discovery"): the protected
 * resource metadata from the 401's {@code resource_metadata}, else from {@code /.well-known/oauth-protected-resource}
 * with the server's path and then at the root; then the first authorization server's metadata from RFC 8414's and
 * OpenID Connect's well-known URLs in the spec's order. An issuer that differs from the URL the metadata was fetched
 * for is refused (RFC 8414 §3.3: otherwise one server could pass itself off as another). A candidate answering a
 * redirect counts as not found there ({@link Http} follows none) and is named if no candidate has the document.
 */
final class Discovery {
    private final Http http;
    private final List<String> redirects = new ArrayList<>();

    Discovery(Http http) {
        this.http = http;
    }

    ProtectedResourceMetadata protectedResource(URI server, BearerChallenge challenge) throws OAuthException, InterruptedException {
        List<URI> candidates = new ArrayList<>();
        challenge.resourceMetadata().ifPresent(candidates::add);
        String path = trimSlash(server.getRawPath());
        if (!path.isEmpty()) candidates.add(root(server).resolve("/.well-known/oauth-protected-resource" + path));
        candidates.add(root(server).resolve("/.well-known/oauth-protected-resource"));
        for (URI candidate : candidates) {
            Optional<JsonNode> body = fetch(candidate);
            if (body.isEmpty()) continue;
            JsonNode doc = body.get();
            URI resource = uri(doc, "resource").orElse(Resource.canonical(server));
            if (!Resource.covers(resource, server))
                throw new OAuthException("the protected resource metadata at " + candidate + " is for " + resource + ", not for " + server);
            List<URI> servers = new ArrayList<>();
            for (JsonNode s : doc.path("authorization_servers")) if (s.isString()) servers.add(URI.create(s.asString()));
            if (servers.isEmpty()) throw new OAuthException("the protected resource metadata at " + candidate + " names no authorization server");
            return new ProtectedResourceMetadata(resource, servers, strings(doc.path("scopes_supported")));
        }
        throw new OAuthException(server + " answered 401 but publishes no OAuth protected resource metadata (tried " + candidates + ")"
                + redirected());
    }

    AuthorizationServerMetadata authorizationServer(URI issuer) throws OAuthException, InterruptedException {
        List<URI> candidates = metadataUrls(issuer);
        for (URI candidate : candidates) {
            Optional<JsonNode> body = fetch(candidate);
            if (body.isEmpty()) continue;
            JsonNode doc = body.get();
            String advertised = doc.path("issuer").asString("");
            if (!sameIssuer(advertised, issuer))
                throw new OAuthException("the authorization server metadata at " + candidate + " names issuer '" + advertised
                        + "', not " + issuer + ": refused");
            URI authorize = uri(doc, "authorization_endpoint").orElseThrow(() -> new OAuthException(candidate + " has no authorization_endpoint"));
            URI token = uri(doc, "token_endpoint").orElseThrow(() -> new OAuthException(candidate + " has no token_endpoint"));
            for (URI endpoint : List.of(authorize, token)) requireTls(endpoint);
            Optional<URI> registration = uri(doc, "registration_endpoint");
            if (registration.isPresent()) requireTls(registration.get());
            List<String> methods = strings(doc.path("code_challenge_methods_supported"));
            // MCP: a server that does not list S256 does not support PKCE, and the client must refuse it
            if (!methods.contains("S256"))
                throw new OAuthException("the authorization server " + issuer + " does not advertise PKCE S256: refused");
            return new AuthorizationServerMetadata(URI.create(advertised), authorize, token,
                    registration, uri(doc, "revocation_endpoint"), methods,
                    doc.path("client_id_metadata_document_supported").asBoolean(false),
                    doc.path("authorization_response_iss_parameter_supported").asBoolean(false));
        }
        throw new OAuthException("no authorization server metadata for " + issuer + " (tried " + candidates + ")" + redirected());
    }

    /** The spec's order: RFC 8414 with path insertion, OpenID with path insertion, OpenID with path appending. */
    static List<URI> metadataUrls(URI issuer) {
        URI root = root(issuer);
        String path = trimSlash(issuer.getRawPath());
        if (path.isEmpty())
            return List.of(root.resolve("/.well-known/oauth-authorization-server"), root.resolve("/.well-known/openid-configuration"));
        return List.of(root.resolve("/.well-known/oauth-authorization-server" + path),
                root.resolve("/.well-known/openid-configuration" + path),
                root.resolve(path + "/.well-known/openid-configuration"));
    }

    private Optional<JsonNode> fetch(URI uri) throws OAuthException, InterruptedException {
        try {
            Http.Answer answer = http.getJson(uri);
            return answer.ok() ? answer.body() : Optional.empty();
        } catch (Http.Redirected e) {
            redirects.add(e.getMessage());
            return Optional.empty();
        } catch (IOException e) {
            throw new OAuthException("could not reach " + uri + ": " + e.getMessage(), e);
        }
    }

    private String redirected() {
        return redirects.isEmpty() ? "" : "; " + String.join("; ", redirects);
    }

    /** OAuth 2.1 §1.5: endpoints over TLS, except on loopback where nothing leaves the machine. */
    static void requireTls(URI endpoint) throws OAuthException {
        String host = endpoint.getHost() == null ? "" : endpoint.getHost();
        boolean loopback = host.equals("127.0.0.1") || host.equals("localhost") || host.equals("[::1]") || host.equals("::1");
        if (!"https".equalsIgnoreCase(endpoint.getScheme()) && !loopback)
            throw new OAuthException("the authorization server's endpoint " + endpoint + " is not HTTPS: refused");
    }

    private static boolean sameIssuer(String advertised, URI expected) {
        return trimSlash(advertised).equals(trimSlash(expected.toString()));
    }

    static Optional<URI> uri(JsonNode doc, String field) {
        JsonNode n = doc.path(field);
        if (!n.isString()) return Optional.empty();
        try {
            URI u = new URI(n.asString());
            return u.isAbsolute() ? Optional.of(u) : Optional.empty();
        } catch (java.net.URISyntaxException e) {
            return Optional.empty();
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        for (JsonNode s : array) if (s.isString()) out.add(s.asString());
        return out;
    }

    private static URI root(URI u) {
        return URI.create(u.getScheme() + "://" + u.getRawAuthority() + "/");
    }

    static String trimSlash(String s) {
        if (s == null) return "";
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
