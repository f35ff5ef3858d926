package dev.lathe.mcp.oauth;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * OAuth for remote MCP servers, the one entry point the connections and the CLI use.
 *
 * <ul>
 *   <li>{@link #authorization} before each connection (or request): the stored token, refreshed first when it expires
 *       within a minute; {@link AuthState.NeedsAuth} when there is none or its refresh token was refused.
 *   <li>{@link #onUnauthorized} when the server answered 401: a refresh if possible (once: a token another request
 *       already refreshed is returned as is), else {@code NeedsAuth}. The challenge is remembered for discovery.
 *   <li>{@link #authorize} for {@code lathe mcp auth NAME}: discovery, registration, the browser, the code exchange;
 *       stores the tokens. Blocks until the user finishes in the browser or the timeout passes.
 * </ul>
 * Every request asks the server's {@link RemoteServer#outbound} check first (the project's local-only mode): a refused
 * sign-in fails with {@link OAuthException.Blocked}, a refused refresh is {@link AuthState.Failed} and the stored tokens
 * are kept; nothing is sent either way.
 * Thread-safe; token reads and refreshes for one server are serialized so two requests do not both spend a rotating
 * refresh token. Nothing is cached: every call reads the token file, so a sign-in by {@code lathe mcp auth} in another
 * process is seen by the server's next call, and a refresh refused because another process spent the token first
 * picks up that process's tokens. Tokens never appear in exceptions, logs or {@code toString()}.
 */
public final class McpOAuth {
    static final Duration REFRESH_SKEW = Duration.ofSeconds(60);
    private final TokenStore store;
    private final Browser browser;
    /** Built at the first request: its default TLS context reads the JDK's trust store (~50 ms, tens of MiB of start-up garbage). */
    private final java.util.function.Supplier<HttpClient> client;
    private final Clock clock;
    private final Duration browserTimeout;
    private final ConcurrentHashMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, BearerChallenge> challenges = new ConcurrentHashMap<>();

    public McpOAuth(TokenStore store, Browser browser, HttpClient client, Clock clock, Duration browserTimeout) {
        this(store, browser, () -> client, clock, browserTimeout);
    }

    private McpOAuth(TokenStore store, Browser browser, java.util.function.Supplier<HttpClient> client, Clock clock, Duration browserTimeout) {
        this.store = store;
        this.browser = browser;
        this.client = client;
        this.clock = clock;
        this.browserTimeout = browserTimeout;
    }

    /**
     * Production defaults: tokens under {@code dataFolder}, a 5-minute wait for the browser, the system clock, and a
     * client that follows no redirect (a 3xx fails the step, naming where it pointed: see {@link Http}). The client is
     * built when the first OAuth request is sent: every server start wires this, and most never sign in (issue 43).
     */
    public static McpOAuth standard(java.nio.file.Path dataFolder, Browser browser) {
        return new McpOAuth(new TokenStore(dataFolder), browser, new OnFirstUse<>(() -> HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NEVER).build()), Clock.systemUTC(),
                Duration.ofMinutes(5));
    }

    /** {@code make}'s value, made once at the first {@link #get}. */
    private static final class OnFirstUse<T> implements java.util.function.Supplier<T> {
        private final java.util.function.Supplier<T> make;
        private volatile T value;

        OnFirstUse(java.util.function.Supplier<T> make) {
            this.make = make;
        }

        @Override
        public T get() {
            T v = value;
            if (v != null) return v;
            synchronized (this) {
                if (value == null) value = make.get();
                return value;
            }
        }
    }

    public AuthState authorization(RemoteServer server) {
        return locked(server, () -> {
            Optional<StoredAuth> stored = store.load(server.name());
            if (stored.isEmpty()) return new AuthState.NeedsAuth("not signed in: run `lathe mcp auth " + server.name() + "`");
            StoredAuth auth = stored.get();
            if (!Resource.canonical(auth.server()).equals(Resource.canonical(server.url())))
                return new AuthState.NeedsAuth("the stored sign-in is for " + auth.server() + ": run `lathe mcp auth " + server.name() + "`");
            if (!auth.expiresWithin(REFRESH_SKEW, clock.instant())) return bearer(auth);
            return refresh(server, auth);
        });
    }

    /**
     * The server answered 401 to a request sent with {@code sentAuthorization} (empty if none was sent);
     * {@code wwwAuthenticate} is that response's header, empty if it had none.
     */
    public AuthState onUnauthorized(RemoteServer server, Optional<String> wwwAuthenticate, Optional<String> sentAuthorization) {
        BearerChallenge challenge = BearerChallenge.parse(wwwAuthenticate.orElse(null));
        challenges.put(server.name(), challenge);
        return locked(server, () -> {
            Optional<StoredAuth> stored = store.load(server.name());
            if (stored.isEmpty()) return new AuthState.NeedsAuth(server.name() + " requires sign-in: run `lathe mcp auth " + server.name() + "`");
            StoredAuth auth = stored.get();
            String current = "Bearer " + auth.accessToken();
            if (sentAuthorization.isPresent() && !sentAuthorization.get().equals(current)) return bearer(auth);
            if (challenge.error().filter("insufficient_scope"::equals).isPresent())
                return new AuthState.NeedsAuth(server.name() + " asks for more scope (" + challenge.scope().orElse("unspecified")
                        + "): run `lathe mcp auth " + server.name() + "`");
            return refresh(server, auth);
        });
    }

    /** The whole interactive flow; on success the tokens are stored and the header returned. */
    public AuthState.Authorized authorize(RemoteServer server) throws OAuthException, InterruptedException {
        BearerChallenge challenge = challenges.getOrDefault(server.name(), BearerChallenge.NONE);
        Http http = http(server);
        if (challenge.resourceMetadata().isEmpty()) challenge = probe(http, server.url()).orElse(challenge);
        var discovery = new Discovery(http);
        ProtectedResourceMetadata resource = discovery.protectedResource(server.url(), challenge);
        AuthorizationServerMetadata as = discovery.authorizationServer(resource.authorizationServers().getFirst());
        secretGoesToItsIssuer(server, as);
        // the code is exchanged after the user signed in: a token endpoint the policy refuses is told before the browser opens
        http.allow(as.tokenEndpoint());
        String state = Pkce.randomUrlSafe(24);
        Pkce pkce = Pkce.generate();
        try (var redirect = new LoopbackRedirect(state)) {
            ClientIdentity clientId = new ClientRegistration(http).identify(server.settings(), as, redirect.redirectUri());
            Optional<String> scope = challenge.scope().or(() -> server.settings().scope())
                    .or(() -> resource.scopesSupported().isEmpty() ? Optional.empty() : Optional.of(String.join(" ", resource.scopesSupported())));
            URI url = authorizationUrl(as, clientId, redirect.redirectUri(), state, pkce, resource.resource(), scope);
            browser.open(url);
            LoopbackRedirect.Callback callback = redirect.await(browserTimeout);
            checkIssuer(as, callback);
            TokenEndpoint.Tokens tokens = new TokenEndpoint(http).exchange(as.tokenEndpoint(), clientId, callback.code(), pkce.verifier(),
                    redirect.redirectUri(), resource.resource());
            StoredAuth auth = new StoredAuth(server.url(), as.issuer(), as.tokenEndpoint(), as.revocationEndpoint(), resource.resource(), clientId,
                    tokens.accessToken(), Optional.empty(), Optional.empty(), scope).withTokens(tokens, clock.instant());
            lock(server).lock();
            try {
                store.save(server.name(), auth);
            } finally {
                lock(server).unlock();
            }
            challenges.remove(server.name());
            return new AuthState.Authorized("Bearer " + auth.accessToken());
        } catch (IOException e) {
            throw new OAuthException("could not listen on 127.0.0.1 for the redirect: " + e.getMessage(), e);
        }
    }

    /**
     * Signs out: revokes the refresh token (RFC 7009, which also ends its access tokens at most servers) when the
     * server offers revocation, and forgets the tokens here either way. A revocation that fails is not an error: the
     * local tokens are gone, and the user can revoke at the server.
     */
    public void signOut(RemoteServer server) throws OAuthException, InterruptedException {
        ReentrantLock lock = lock(server);
        lock.lock();
        try {
            Optional<StoredAuth> stored;
            try {
                stored = store.load(server.name());
            } catch (OAuthException unreadable) {
                stored = Optional.empty();
            }
            if (stored.isPresent() && stored.get().revocationEndpoint().isPresent()) {
                StoredAuth auth = stored.get();
                new TokenEndpoint(http(server)).revoke(auth.revocationEndpoint().get(), auth.client(), auth.refreshToken().orElse(auth.accessToken()),
                        auth.refreshToken().isPresent() ? "refresh_token" : "access_token");
            }
            store.delete(server.name());
        } finally {
            lock.unlock();
        }
    }

    static URI authorizationUrl(AuthorizationServerMetadata as, ClientIdentity client, URI redirect, String state, Pkce pkce,
            URI resource, Optional<String> scope) {
        var q = new java.util.LinkedHashMap<String, String>();
        q.put("response_type", "code");
        q.put("client_id", client.clientId());
        q.put("redirect_uri", redirect.toString());
        q.put("state", state);
        q.put("code_challenge", pkce.challenge());
        q.put("code_challenge_method", "S256");
        q.put("resource", resource.toString());
        scope.ifPresent(s -> q.put("scope", s));
        String base = as.authorizationEndpoint().toString();
        return URI.create(base + (base.contains("?") ? "&" : "?") + Http.form(q));
    }

    /**
     * A configured client secret goes only to the authorization server it was issued by (issue 79, CVE-2026-104850's
     * class): the {@code issuer} the config names with it, or, when it names none, an issuer at the MCP server's own
     * origin. The MCP server's metadata picks the authorization server, so a server that names another one (moved,
     * compromised, or never the one the secret is for) must not receive it: refused before the browser opens or
     * anything is sent. Stored tokens need no such check: they are refreshed and revoked only at the endpoints stored
     * with them at sign-in, never at ones discovered later.
     */
    private static void secretGoesToItsIssuer(RemoteServer server, AuthorizationServerMetadata as) throws OAuthException {
        if (server.settings().clientSecret().isEmpty()) return;
        String issuer = Discovery.trimSlash(as.issuer().toString());
        Optional<URI> stated = server.settings().issuer();
        if (stated.isPresent() ? issuer.equals(Discovery.trimSlash(stated.get().toString())) : origin(as.issuer()).equals(origin(server.url()))) return;
        throw new OAuthException("the server " + server.name() + " names the authorization server " + as.issuer() + ", but the client secret configured for it"
                + (stated.isPresent() ? " was issued by " + stated.get() : " is sent only to an issuer at " + origin(server.url()) + " unless oauth.issuer names another")
                + ": refused, nothing was sent (if " + as.issuer() + " is the one your client is registered with, set mcp." + server.name()
                + ".oauth.issuer to it)");
    }

    /** {@code scheme://host:port} of {@code uri}, lower-cased, the port made explicit. */
    private static String origin(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : scheme.equals("http") ? 80 : -1;
        return scheme + "://" + (uri.getHost() == null ? "" : uri.getHost().toLowerCase(java.util.Locale.ROOT)) + ":" + port;
    }

    /** RFC 9207: an {@code iss} in the redirect must be the issuer; a server that promises one must send it. */
    private static void checkIssuer(AuthorizationServerMetadata as, LoopbackRedirect.Callback callback) throws OAuthException {
        if (callback.iss().isPresent()) {
            if (!Discovery.trimSlash(callback.iss().get()).equals(Discovery.trimSlash(as.issuer().toString())))
                throw new OAuthException("the redirect came from issuer '" + callback.iss().get() + "', not " + as.issuer() + ": refused");
        } else if (as.issParameterInResponse()) {
            throw new OAuthException("the authorization server promised an iss parameter and the redirect has none: refused");
        }
    }

    /** An unauthenticated GET to learn the server's challenge (its {@code resource_metadata} may be anywhere). */
    private Optional<BearerChallenge> probe(Http http, URI server) throws InterruptedException, OAuthException {
        http.allow(server);
        var request = HttpRequest.newBuilder(server).timeout(Duration.ofSeconds(15)).header("Accept", "text/event-stream, application/json").GET().build();
        try {
            HttpResponse<InputStream> response = client.get().send(request, HttpResponse.BodyHandlers.ofInputStream());
            response.body().close(); // a 200 stream would never end: only the status and headers matter
            if (response.statusCode() != 401) return Optional.empty();
            return response.headers().firstValue("WWW-Authenticate").map(BearerChallenge::parse);
        } catch (IOException e) {
            return Optional.empty(); // discovery's own requests report the unreachable server
        }
    }

    private AuthState refresh(RemoteServer server, StoredAuth auth) throws InterruptedException {
        if (auth.refreshToken().isEmpty()) {
            deleteQuietly(server);
            return new AuthState.NeedsAuth("the token for " + server.name() + " expired and there is no refresh token: run `lathe mcp auth " + server.name() + "`");
        }
        try {
            TokenEndpoint.Tokens tokens = new TokenEndpoint(http(server)).refresh(auth.tokenEndpoint(), auth.client(), auth.refreshToken().get(), auth.resource());
            StoredAuth renewed = auth.withTokens(tokens, clock.instant());
            store.save(server.name(), renewed);
            return bearer(renewed);
        } catch (TokenEndpoint.RefreshRefused e) {
            // another process (the CLI, a second server) may have refreshed meanwhile and spent the token we held
            Optional<StoredAuth> now = reloadQuietly(server);
            if (now.isPresent() && !now.get().refreshToken().equals(auth.refreshToken())) return bearer(now.get());
            deleteQuietly(server);
            return new AuthState.NeedsAuth(e.getMessage() + ": run `lathe mcp auth " + server.name() + "`");
        } catch (OAuthException e) {
            return new AuthState.Failed(e.getMessage());
        }
    }

    /** The requests for {@code server}, each asked of its project's check first. */
    private Http http(RemoteServer server) {
        return new Http(client.get(), server.name(), server.outbound());
    }

    private Optional<StoredAuth> reloadQuietly(RemoteServer server) {
        try {
            return store.load(server.name());
        } catch (OAuthException unreadable) {
            return Optional.empty();
        }
    }

    private void deleteQuietly(RemoteServer server) {
        try {
            store.delete(server.name());
        } catch (OAuthException ignored) {
            // the state is NeedsAuth either way; a file left behind is overwritten by the next sign-in
        }
    }

    private static AuthState bearer(StoredAuth auth) {
        return new AuthState.Authorized("Bearer " + auth.accessToken());
    }

    private interface Step {
        AuthState run() throws OAuthException, InterruptedException;
    }

    private AuthState locked(RemoteServer server, Step step) {
        ReentrantLock lock = lock(server);
        lock.lock();
        try {
            return step.run();
        } catch (OAuthException e) {
            return new AuthState.NeedsAuth(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new AuthState.Failed("interrupted");
        } finally {
            lock.unlock();
        }
    }

    private ReentrantLock lock(RemoteServer server) {
        return locks.computeIfAbsent(server.name(), k -> new ReentrantLock());
    }
}
