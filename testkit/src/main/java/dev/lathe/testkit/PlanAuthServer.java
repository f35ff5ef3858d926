package dev.lathe.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * OpenAI's authorization server and GitHub's device flow and Copilot token API, as far as Lathe's subscription
 * sign-ins use them, on 127.0.0.1: each route checks what the real one checks (the PKCE verifier against the
 * challenge, the redirect URI, the client id, single-use rotating refresh tokens) and counts its calls. Point
 * {@code provider.openai.oauth.issuer} (and {@code provider.github-copilot.oauth.issuer}/{@code api}) at {@link #base}.
 */
public final class PlanAuthServer implements AutoCloseable {
    static final JsonMapper JSON = JsonMapper.shared();
    private static final Queue<Reply> EMPTY = new ConcurrentLinkedQueue<>();
    /** The ChatGPT account the id token names. */
    public static final String ACCOUNT = "acct-42";
    /** The public client ids of the plans, as Lathe sends them. */
    public static final String CHATGPT_CLIENT = "app_EMoamEEZ73f0CkXaXp7hrann";
    public static final String DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
    /** The verifier the device-code answer hands over (OpenAI's device flow creates the PKCE pair itself). */
    public static final String DEVICE_VERIFIER = random();

    public final HttpServer server;
    public final URI base;
    /** What the Copilot token names as the plan's API endpoint: point it at the fake backend. */
    public volatile URI copilotApi = URI.create("http://127.0.0.1:1/none");

    // ChatGPT
    public final Map<String, String> authorizeQuery = new ConcurrentHashMap<>();
    public final Map<String, String> lastCodeExchange = new ConcurrentHashMap<>();
    public final Set<String> liveRefreshTokens = ConcurrentHashMap.newKeySet();
    public final AtomicInteger tokensIssued = new AtomicInteger();
    public final AtomicInteger refreshes = new AtomicInteger();
    public final AtomicInteger devicePolls = new AtomicInteger();
    public volatile long expiresIn = 3600;

    // GitHub
    public final AtomicInteger githubPolls = new AtomicInteger();
    public final AtomicInteger copilotExchanges = new AtomicInteger();
    public volatile boolean githubTokenRevoked;

    /** An answer sent instead of a route's own (see {@link #next}). */
    public record Reply(int status, String body, Map<String, String> headers) {
        public static Reply of(int status, String body) { return new Reply(status, body, Map.of()); }
    }

    private final Map<String, Queue<Reply>> scripted = new ConcurrentHashMap<>();
    /** While set, a refresh of a ChatGPT token is counted and then waits for it: a renewal's HTTP call in flight. */
    public volatile CountDownLatch refreshHeld;

    public PlanAuthServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
        base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /**
     * The next call of {@code path} gets {@code reply} instead of the route's answer (each call takes one queued reply;
     * the route answers again when none is left): a rate limit, a server error, a malformed answer.
     */
    public void next(String path, Reply reply) {
        scripted.computeIfAbsent(path, p -> new ConcurrentLinkedQueue<>()).add(reply);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Reply reply = scripted.getOrDefault(path, EMPTY).poll();
            if (reply != null) {
                reply.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
                send(ex, reply.status(), reply.body());
                return;
            }
            switch (path) {
                case "/oauth/authorize" -> authorize(ex);
                case "/oauth/token" -> token(ex, form(body));
                case "/api/accounts/deviceauth/usercode" -> {
                    JsonNode in = JSON.readTree(body);
                    if (!in.path("client_id").asString().equals(CHATGPT_CLIENT)) send(ex, 400, "{\"error\":\"invalid_client\"}");
                    else send(ex, 200, "{\"device_auth_id\":\"dev-1\",\"user_code\":\"WXYZ-1234\",\"interval\":\"0\"}");
                }
                case "/api/accounts/deviceauth/token" -> {
                    JsonNode in = JSON.readTree(body);
                    if (!in.path("device_auth_id").asString().equals("dev-1") || !in.path("user_code").asString().equals("WXYZ-1234")) {
                        send(ex, 400, "{}");
                    } else if (devicePolls.incrementAndGet() == 1) {
                        send(ex, 403, "{\"error\":{\"message\":\"pending\"}}"); // not entered yet
                    } else {
                        send(ex, 200, JSON.createObjectNode().put("authorization_code", "device-code-1").put("code_verifier", DEVICE_VERIFIER)
                                .put("code_challenge", s256(DEVICE_VERIFIER)).toString());
                    }
                }
                case "/login/device/code" -> send(ex, 200, JSON.createObjectNode().put("device_code", "gh-device-1").put("user_code", "GHCD-0001")
                        .put("verification_uri", base + "/login/device").put("interval", 0).put("expires_in", 900).toString());
                case "/login/oauth/access_token" -> {
                    JsonNode in = JSON.readTree(body);
                    if (!in.path("device_code").asString().equals("gh-device-1") || !in.path("grant_type").asString().equals(DEVICE_GRANT)) {
                        send(ex, 200, "{\"error\":\"bad_verification_code\"}");
                        return;
                    }
                    switch (githubPolls.incrementAndGet()) {
                        case 1 -> send(ex, 200, "{\"error\":\"authorization_pending\"}");
                        case 2 -> send(ex, 200, "{\"error\":\"slow_down\",\"interval\":0}");
                        default -> send(ex, 200, "{\"access_token\":\"gho-user-token\",\"token_type\":\"bearer\",\"scope\":\"read:user\"}");
                    }
                }
                case "/copilot_internal/v2/token" -> {
                    String auth = ex.getRequestHeaders().getFirst("Authorization");
                    if (githubTokenRevoked || !"token gho-user-token".equals(auth)) {
                        send(ex, 401, "{\"message\":\"Bad credentials\"}");
                        return;
                    }
                    int n = copilotExchanges.incrementAndGet();
                    ObjectNode out = JSON.createObjectNode().put("token", "copilot-" + n).put("expires_at", System.currentTimeMillis() / 1000 + 1800)
                            .put("refresh_in", 1500);
                    out.putObject("endpoints").put("api", copilotApi.toString());
                    send(ex, 200, out.toString());
                }
                default -> send(ex, 404, "{}");
            }
        }
    }

    private void authorize(HttpExchange ex) throws IOException {
        Map<String, String> q = form(ex.getRequestURI().getRawQuery());
        authorizeQuery.clear();
        authorizeQuery.putAll(q);
        ex.getResponseHeaders().set("Location", q.get("redirect_uri") + "?code=browser-code-1&state=" + q.get("state"));
        ex.sendResponseHeaders(302, -1);
    }

    private void token(HttpExchange ex, Map<String, String> form) throws IOException {
        if (!CHATGPT_CLIENT.equals(form.get("client_id"))) {
            send(ex, 401, "{\"error\":\"invalid_client\"}");
            return;
        }
        switch (form.getOrDefault("grant_type", "")) {
            case "authorization_code" -> {
                lastCodeExchange.clear();
                lastCodeExchange.putAll(form);
                String verifier = form.getOrDefault("code_verifier", "");
                boolean ok = switch (form.getOrDefault("code", "")) {
                    // PKCE (RFC 7636 §4.6): the verifier must hash to the challenge the authorization request carried
                    case "browser-code-1" -> s256(verifier).equals(authorizeQuery.get("code_challenge"))
                            && form.get("redirect_uri").equals(authorizeQuery.get("redirect_uri"));
                    case "device-code-1" -> verifier.equals(DEVICE_VERIFIER) && form.get("redirect_uri").equals(base + "/deviceauth/callback");
                    default -> false;
                };
                if (ok) issue(ex);
                else send(ex, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"code or verifier does not match\"}");
            }
            case "refresh_token" -> {
                refreshes.incrementAndGet();
                CountDownLatch held = refreshHeld;
                if (held != null) {
                    try {
                        held.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                if (liveRefreshTokens.remove(form.getOrDefault("refresh_token", ""))) issue(ex);
                else send(ex, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"refresh token revoked or already used\"}");
            }
            default -> send(ex, 400, "{\"error\":\"unsupported_grant_type\"}");
        }
    }

    private void issue(HttpExchange ex) throws IOException {
        int n = tokensIssued.incrementAndGet();
        liveRefreshTokens.add("rt-" + n);
        ObjectNode claims = JSON.createObjectNode();
        claims.putObject("https://api.openai.com/auth").put("chatgpt_account_id", ACCOUNT);
        send(ex, 200, JSON.createObjectNode().put("access_token", "at-" + n).put("refresh_token", "rt-" + n).put("id_token", jwt(claims))
                .put("token_type", "Bearer").put("expires_in", expiresIn).toString());
    }

    /** BASE64URL(SHA-256(verifier)), RFC 7636's S256. */
    public static String s256(String verifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String random() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static String jwt(JsonNode claims) {
        var b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8)) + ".sig";
    }

    private static Map<String, String> form(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw == null || raw.isEmpty()) return out;
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
