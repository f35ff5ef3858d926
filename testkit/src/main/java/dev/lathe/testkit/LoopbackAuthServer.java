package dev.lathe.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A real authorization server and protected MCP-like resource on loopback, for the tests of the {@code mcp} module's
 * OAuth client and of the server's sign-in route: RFC 9728 metadata, RFC 8414
 * metadata under an issuer with a path ({@code /as}), dynamic registration, the authorization endpoint (redirects at
 * once, as a browser session already signed in would), the token endpoint checking the PKCE verifier, the redirect URI
 * and the resource, rotating refresh tokens, and revocation. Everything it refuses, it refuses as a real one would.
 */
public final class LoopbackAuthServer implements AutoCloseable {
    private static final tools.jackson.databind.json.JsonMapper JSON = tools.jackson.databind.json.JsonMapper.shared();

    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    // the checks are written here again, independently of the client's own PKCE and parsing, so they test it

    private static String randomUrlSafe(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static String s256(String verifier) {
        try {
            byte[] hash = java.security.MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new java.util.HashMap<>();
        if (raw == null || raw.isEmpty()) return out;
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.putIfAbsent(k, v);
        }
        return out;
    }
    private record Client(String id, List<String> redirectUris) {}

    private record Grant(String clientId, String redirectUri, String challenge, String resource, String scope) {}

    public final HttpServer server;
    public final URI base;
    public final URI issuer;
    public final URI resource;
    public volatile String advertisedIssuer;
    public volatile String issInRedirect;
    /** The authorization server the protected resource metadata names: {@link #issuer}, unless a test names another. */
    public volatile String namedAuthorizationServer;
    public volatile long accessLifetimeSeconds = 3600;
    public volatile boolean clientIdMetadataDocuments;
    public volatile boolean issueRefreshTokens = true;
    public final URI clientDocument;
    public final AtomicInteger registrations = new AtomicInteger();
    public final AtomicInteger refreshes = new AtomicInteger();
    public final AtomicInteger codesIssued = new AtomicInteger();
    private final Map<String, Client> clients = new ConcurrentHashMap<>();
    private final Map<String, Grant> codes = new ConcurrentHashMap<>();
    private final Map<String, Grant> refreshTokens = new ConcurrentHashMap<>();
    private final Set<String> accessTokens = ConcurrentHashMap.newKeySet();
    private final Map<String, String> accessOfRefresh = new ConcurrentHashMap<>();

    public LoopbackAuthServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        issuer = URI.create(base + "/as");
        resource = URI.create(base + "/mcp");
        clientDocument = URI.create(base + "/lathe-client.json");
        advertisedIssuer = issuer.toString();
        issInRedirect = issuer.toString();
        namedAuthorizationServer = issuer.toString();
        server.createContext("/mcp", this::resourceEndpoint);
        server.createContext("/.well-known/oauth-protected-resource/mcp", ex -> json(ex, 200, protectedResourceMetadata()));
        server.createContext("/.well-known/oauth-authorization-server/as", ex -> json(ex, 200, authorizationServerMetadata()));
        server.createContext("/as/register", this::register);
        server.createContext("/lathe-client.json", ex -> json(ex, 200, clientMetadataDocument()));
        server.createContext("/as/authorize", this::authorize);
        server.createContext("/as/token", this::token);
        server.createContext("/as/revoke", this::revoke);
        // threads, not the single dispatcher: the authorization endpoint fetches a client document from this server itself
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    /** The resource answers 200 to a live access token, else 401 with the challenge pointing at its metadata. */
    private void resourceEndpoint(HttpExchange ex) throws IOException {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth != null && auth.startsWith("Bearer ") && accessTokens.contains(auth.substring(7))) {
            json(ex, 200, JSON.createObjectNode().put("ok", true));
            return;
        }
        ex.getResponseHeaders().set("WWW-Authenticate",
                "Bearer resource_metadata=\"" + base + "/.well-known/oauth-protected-resource/mcp\", scope=\"mcp:tools\"");
        json(ex, 401, JSON.createObjectNode().put("error", "invalid_token"));
    }

    private ObjectNode protectedResourceMetadata() {
        ObjectNode n = JSON.createObjectNode();
        n.put("resource", resource.toString());
        n.putArray("authorization_servers").add(namedAuthorizationServer);
        n.putArray("scopes_supported").add("mcp:tools");
        return n;
    }

    private ObjectNode authorizationServerMetadata() {
        ObjectNode n = JSON.createObjectNode();
        n.put("issuer", advertisedIssuer);
        n.put("authorization_endpoint", issuer + "/authorize");
        n.put("token_endpoint", issuer + "/token");
        n.put("registration_endpoint", issuer + "/register");
        n.put("revocation_endpoint", issuer + "/revoke");
        n.putArray("code_challenge_methods_supported").add("S256");
        n.putArray("response_types_supported").add("code");
        n.put("authorization_response_iss_parameter_supported", true);
        if (clientIdMetadataDocuments) n.put("client_id_metadata_document_supported", true);
        return n;
    }

    /** What Lathe's published client document would say; a loopback redirect matches on any port (RFC 8252 §7.3). */
    private ObjectNode clientMetadataDocument() {
        ObjectNode n = JSON.createObjectNode();
        n.put("client_id", clientDocument.toString());
        n.put("client_name", "Lathe");
        n.putArray("redirect_uris").add("http://127.0.0.1/callback");
        n.put("token_endpoint_auth_method", "none");
        return n;
    }

    /** Fetches a URL client id's document, as a CIMD server does, and admits the client if the redirect matches it. */
    private Client documentClient(String clientId, String redirect) throws IOException {
        if (!clientIdMetadataDocuments || !clientId.startsWith("http")) return null;
        try (var http = java.net.http.HttpClient.newHttpClient()) {
            var response = http.send(java.net.http.HttpRequest.newBuilder(URI.create(clientId)).timeout(java.time.Duration.ofSeconds(5)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            JsonNode doc = JSON.readTree(response.body());
            if (response.statusCode() != 200 || !clientId.equals(doc.path("client_id").asString(""))) return null;
            URI r = URI.create(redirect);
            String portless = r.getScheme() + "://" + r.getHost() + r.getPath();
            for (JsonNode allowed : doc.path("redirect_uris")) {
                if (allowed.asString("").equals(portless)) {
                    Client client = new Client(clientId, List.of(redirect));
                    clients.put(clientId, client);
                    return client;
                }
            }
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private void register(HttpExchange ex) throws IOException {
        JsonNode body = JSON.readTree(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        List<String> uris = new java.util.ArrayList<>();
        for (JsonNode u : body.path("redirect_uris")) uris.add(u.asString());
        if (uris.isEmpty() || !"none".equals(body.path("token_endpoint_auth_method").asString(""))) {
            json(ex, 400, error("invalid_client_metadata"));
            return;
        }
        String id = "client-" + registrations.incrementAndGet();
        clients.put(id, new Client(id, uris));
        ObjectNode out = JSON.createObjectNode().put("client_id", id);
        out.set("redirect_uris", body.path("redirect_uris"));
        json(ex, 201, out);
    }

    private void authorize(HttpExchange ex) throws IOException {
        Map<String, String> q = query(ex.getRequestURI().getRawQuery());
        Client client = clients.get(q.getOrDefault("client_id", ""));
        if (client == null) client = documentClient(q.getOrDefault("client_id", ""), q.getOrDefault("redirect_uri", ""));
        // an unknown client or redirect URI must never be redirected to (RFC 6749 §4.1.2.1): answer an error page
        if (client == null || !client.redirectUris().contains(q.get("redirect_uri"))) {
            json(ex, 400, error("invalid_request"));
            return;
        }
        String redirect = q.get("redirect_uri");
        String state = q.getOrDefault("state", "");
        String failure = !"code".equals(q.get("response_type")) ? "unsupported_response_type"
                : !"S256".equals(q.get("code_challenge_method")) || q.getOrDefault("code_challenge", "").isEmpty() ? "invalid_request"
                : !resource.toString().equals(q.get("resource")) ? "invalid_target" : null;
        String location;
        if (failure != null) {
            location = redirect + "?error=" + failure + "&state=" + enc(state);
        } else {
            String code = randomUrlSafe(16);
            codesIssued.incrementAndGet();
            codes.put(code, new Grant(client.id(), redirect, q.get("code_challenge"), q.get("resource"), q.getOrDefault("scope", "")));
            location = redirect + "?code=" + code + "&state=" + enc(state) + "&iss=" + enc(issInRedirect);
        }
        ex.getResponseHeaders().set("Location", location);
        ex.sendResponseHeaders(302, -1);
        ex.close();
    }

    private void token(HttpExchange ex) throws IOException {
        Map<String, String> f = query(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        String clientId = f.getOrDefault("client_id", "");
        if (!clients.containsKey(clientId)) {
            json(ex, 401, error("invalid_client"));
            return;
        }
        switch (f.getOrDefault("grant_type", "")) {
            case "authorization_code" -> {
                Grant g = codes.remove(f.getOrDefault("code", "")); // single use
                boolean valid = g != null && g.clientId().equals(clientId) && g.redirectUri().equals(f.get("redirect_uri"))
                        && g.challenge().equals(s256(f.getOrDefault("code_verifier", "")))
                        && g.resource().equals(f.get("resource"));
                if (!valid) json(ex, 400, error("invalid_grant"));
                else json(ex, 200, issue(g));
            }
            case "refresh_token" -> {
                Grant g = refreshTokens.remove(f.getOrDefault("refresh_token", "")); // rotated: the old one dies
                if (g == null || !g.clientId().equals(clientId) || !g.resource().equals(f.get("resource"))) {
                    json(ex, 400, error("invalid_grant"));
                } else {
                    refreshes.incrementAndGet();
                    json(ex, 200, issue(g));
                }
            }
            default -> json(ex, 400, error("unsupported_grant_type"));
        }
    }

    private ObjectNode issue(Grant g) {
        String access = "at-" + randomUrlSafe(16);
        String refresh = "rt-" + randomUrlSafe(16);
        accessTokens.add(access);
        ObjectNode out = JSON.createObjectNode().put("access_token", access).put("token_type", "Bearer")
                .put("expires_in", accessLifetimeSeconds).put("scope", g.scope());
        if (issueRefreshTokens) {
            refreshTokens.put(refresh, g);
            accessOfRefresh.put(refresh, access);
            out.put("refresh_token", refresh);
        }
        return out;
    }

    private void revoke(HttpExchange ex) throws IOException {
        Map<String, String> f = query(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        if (!clients.containsKey(f.getOrDefault("client_id", ""))) {
            json(ex, 401, error("invalid_client"));
            return;
        }
        String token = f.getOrDefault("token", "");
        if (refreshTokens.remove(token) != null) accessTokens.remove(accessOfRefresh.getOrDefault(token, ""));
        accessTokens.remove(token);
        ex.sendResponseHeaders(200, -1);
        ex.close();
    }

    public int liveRefreshTokens() {
        return refreshTokens.size();
    }

    /** Whether {@code authorization} ({@code Bearer TOKEN}) carries a live access token this server issued. */
    public boolean accepts(String authorization) {
        return authorization != null && authorization.startsWith("Bearer ") && accessTokens.contains(authorization.substring(7));
    }

    /** The challenge a resource behind this server answers a missing or dead token with. */
    public String challenge() {
        return "Bearer resource_metadata=\"" + base + "/.well-known/oauth-protected-resource/mcp\", scope=\"mcp:tools\"";
    }

    /** The user revoked Lathe's access at the authorization server: every token dies. */
    public void revokeEverything() {
        refreshTokens.clear();
        accessTokens.clear();
    }

    /** Access tokens die (as when they expire server-side early); refresh tokens live on. */
    public void expireAccessTokens() {
        accessTokens.clear();
    }

    private static ObjectNode error(String code) {
        return JSON.createObjectNode().put("error", code);
    }

    private static void json(HttpExchange ex, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (var out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
