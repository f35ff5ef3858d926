package dev.lathe.mcp.oauth;

import dev.lathe.testkit.LoopbackAuthServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole OAuth flow against {@link LoopbackAuthServer}: real HTTP on loopback, real files. */
@org.junit.jupiter.api.Timeout(60)
class McpOAuthTest {
    @TempDir
    Path data;

    LoopbackAuthServer as;
    final HttpClient http = HttpClient.newHttpClient();
    RemoteServer server;

    @BeforeEach
    void start() throws Exception {
        as = new LoopbackAuthServer();
        server = new RemoteServer("tracker", as.resource, OAuthSettings.NONE);
    }

    @AfterEach
    void stop() {
        as.close();
    }

    McpOAuth oauth(Browser browser) {
        return new McpOAuth(new TokenStore(data), browser, http, Clock.systemUTC(), Duration.ofSeconds(10));
    }

    /** Calls the protected resource as a connection would: returns the status and the challenge header. */
    HttpResponse<String> call(AuthState state) throws Exception {
        var request = HttpRequest.newBuilder(as.resource).GET();
        if (state instanceof AuthState.Authorized(String header)) request.header("Authorization", header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void signsInWithPkceAndTheResourceAndStoresTheTokensOwnerOnly() throws Exception {
        var browser = new FollowingBrowser();
        McpOAuth oauth = oauth(browser);
        assertThat(oauth.authorization(server)).isInstanceOf(AuthState.NeedsAuth.class);

        AuthState.Authorized signedIn = oauth.authorize(server);

        Map<String, String> asked = LoopbackRedirect.query(browser.lastAuthorizationUrl.getRawQuery());
        assertThat(asked).containsEntry("code_challenge_method", "S256").containsEntry("resource", as.resource.toString())
                .containsEntry("scope", "mcp:tools").containsEntry("client_id", "client-1").containsKey("state");
        assertThat(asked.get("redirect_uri")).startsWith("http://127.0.0.1:").endsWith("/callback");
        assertThat(browser.callbackStatus).isEqualTo(200);
        assertThat(call(signedIn).statusCode()).isEqualTo(200);

        Path file = new TokenStore(data).file("tracker");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
        assertThat(oauth.authorization(server)).isEqualTo(signedIn);
        assertThat(as.refreshes.get()).isZero();
        assertThat(signedIn.toString()).doesNotContain(signedIn.header().substring(7));
        assertThat(new TokenStore(data).load("tracker").orElseThrow().toString()).doesNotContain(signedIn.header().substring(7));
    }

    @Test
    void aTokenThatExpiresWithinTheSkewIsRefreshedBeforeUse() throws Exception {
        as.accessLifetimeSeconds = 30; // inside the 60 s refresh skew
        McpOAuth oauth = oauth(new FollowingBrowser());
        AuthState.Authorized first = oauth.authorize(server);

        AuthState next = oauth.authorization(server);

        assertThat(as.refreshes.get()).isEqualTo(1);
        assertThat(next).isInstanceOf(AuthState.Authorized.class).isNotEqualTo(first);
        assertThat(call(next).statusCode()).isEqualTo(200);
        // the rotated refresh token was stored: a second refresh works too
        assertThat(oauth.authorization(server)).isInstanceOf(AuthState.Authorized.class);
        assertThat(as.refreshes.get()).isEqualTo(2);
    }

    @Test
    void a401IsAnsweredWithARefreshOnceAndAStaleHeaderGetsTheCurrentToken() throws Exception {
        McpOAuth oauth = oauth(new FollowingBrowser());
        AuthState.Authorized first = oauth.authorize(server);
        as.expireAccessTokens();
        HttpResponse<String> refused = call(first);
        assertThat(refused.statusCode()).isEqualTo(401);

        AuthState renewed = oauth.onUnauthorized(server, refused.headers().firstValue("WWW-Authenticate"), Optional.of(first.header()));
        assertThat(renewed).isInstanceOf(AuthState.Authorized.class).isNotEqualTo(first);
        assertThat(call(renewed).statusCode()).isEqualTo(200);

        // a second request that was in flight with the old token: no second refresh, the new token is handed out
        AuthState again = oauth.onUnauthorized(server, refused.headers().firstValue("WWW-Authenticate"), Optional.of(first.header()));
        assertThat(again).isEqualTo(renewed);
        assertThat(as.refreshes.get()).isEqualTo(1);
    }

    @Test
    void aRevokedRefreshTokenAsksTheUserAgainAndSigningInAgainWorks() throws Exception {
        McpOAuth oauth = oauth(new FollowingBrowser());
        AuthState.Authorized first = oauth.authorize(server);
        as.revokeEverything();
        HttpResponse<String> refused = call(first);

        AuthState state = oauth.onUnauthorized(server, refused.headers().firstValue("WWW-Authenticate"), Optional.of(first.header()));

        assertThat(state).isInstanceOf(AuthState.NeedsAuth.class);
        assertThat(((AuthState.NeedsAuth) state).reason()).contains("invalid_grant").contains("lathe mcp auth tracker");
        assertThat(new TokenStore(data).file("tracker")).doesNotExist();
        assertThat(oauth.authorization(server)).isInstanceOf(AuthState.NeedsAuth.class);

        AuthState.Authorized again = oauth.authorize(server);
        assertThat(call(again).statusCode()).isEqualTo(200);
        assertThat(as.codesIssued.get()).isEqualTo(2);
    }

    @Test
    void anAuthorizationServerNamingAnotherIssuerIsRefused() throws Exception {
        as.advertisedIssuer = "https://login.example.com";
        var browser = new FollowingBrowser();

        assertThatThrownBy(() -> oauth(browser).authorize(server)).isInstanceOf(OAuthException.class)
                .hasMessageContaining("issuer 'https://login.example.com'").hasMessageContaining("refused");
        assertThat(browser.lastAuthorizationUrl).isNull();
        assertThat(as.registrations.get()).isZero();
        assertThat(new TokenStore(data).file("tracker")).doesNotExist();
    }

    @Test
    void aRedirectFromAnotherIssuerIsRefused() throws Exception {
        as.issInRedirect = "https://login.example.com";

        assertThatThrownBy(() -> oauth(new FollowingBrowser()).authorize(server)).isInstanceOf(OAuthException.class)
                .hasMessageContaining("issuer 'https://login.example.com'");
        assertThat(new TokenStore(data).file("tracker")).doesNotExist();
    }

    @Test
    void aRedirectWithAnotherStateIsRefusedAndItsCodeNeverExchanged() throws Exception {
        var browser = new FollowingBrowser(location -> location.replaceFirst("state=[^&]*", "state=forged"));
        // the forged redirect does not end the flow: it waits on for its own until the timeout, which counts the refused one
        var oauth = new McpOAuth(new TokenStore(data), browser, http, Clock.systemUTC(), Duration.ofMillis(800));

        assertThatThrownBy(() -> oauth.authorize(server)).isInstanceOf(OAuthException.class).hasMessageContaining("1 redirect with another state");
        assertThat(browser.callbackStatus).isEqualTo(400);
        assertThat(new TokenStore(data).file("tracker")).doesNotExist();
    }

    @Test
    void aTokenFileReadableByOthersIsNotUsed() throws Exception {
        McpOAuth oauth = oauth(new FollowingBrowser());
        oauth.authorize(server);
        Files.setPosixFilePermissions(new TokenStore(data).file("tracker"), PosixFilePermissions.fromString("rw-r--r--"));

        AuthState state = oauth.authorization(server);

        assertThat(state).isInstanceOf(AuthState.NeedsAuth.class);
        assertThat(((AuthState.NeedsAuth) state).reason()).contains("readable by others");
    }

    @Test
    void discoveryFallsBackToTheWellKnownUrlWithoutAChallenge() throws Exception {
        var discovery = new Discovery(new Http(http, "tracker", OutboundCheck.ANYWHERE));
        ProtectedResourceMetadata prm = discovery.protectedResource(as.resource, BearerChallenge.NONE);
        assertThat(prm.resource()).isEqualTo(as.resource);
        assertThat(prm.authorizationServers()).containsExactly(as.issuer);
        assertThat(discovery.authorizationServer(as.issuer).tokenEndpoint()).isEqualTo(URI.create(as.issuer + "/token"));
    }

    @Test
    void aTimeoutInTheBrowserFailsTheFlow() {
        McpOAuth oauth = new McpOAuth(new TokenStore(data), url -> {}, http, Clock.systemUTC(), Duration.ofMillis(300));
        assertThatThrownBy(() -> oauth.authorize(server)).isInstanceOf(OAuthException.class).hasMessageContaining("no answer from the browser");
    }

    @Test
    void signingOutRevokesAtTheServerAndForgetsTheTokens() throws Exception {
        McpOAuth oauth = oauth(new FollowingBrowser());
        AuthState.Authorized signedIn = oauth.authorize(server);
        assertThat(as.liveRefreshTokens()).isEqualTo(1);

        oauth.signOut(server);

        assertThat(as.liveRefreshTokens()).isZero();
        assertThat(call(signedIn).statusCode()).isEqualTo(401);
        assertThat(new TokenStore(data).file("tracker")).doesNotExist();
        assertThat(oauth.authorization(server)).isInstanceOf(AuthState.NeedsAuth.class);
    }

    @Test
    void aServerThatAcceptsClientIdMetadataDocumentsGetsTheDocumentUrlInsteadOfARegistration() throws Exception {
        as.clientIdMetadataDocuments = true;
        var settings = new OAuthSettings(Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(as.clientDocument));
        var browser = new FollowingBrowser();

        AuthState.Authorized signedIn = oauth(browser).authorize(new RemoteServer("tracker", as.resource, settings));

        assertThat(LoopbackRedirect.query(browser.lastAuthorizationUrl.getRawQuery())).containsEntry("client_id", as.clientDocument.toString());
        assertThat(as.registrations.get()).isZero();
        assertThat(call(signedIn).statusCode()).isEqualTo(200);
    }

    @Test
    void withoutMetadataDocumentSupportTheDocumentUrlIsNotUsedAndTheClientRegisters() throws Exception {
        var settings = new OAuthSettings(Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(as.clientDocument));
        oauth(new FollowingBrowser()).authorize(new RemoteServer("tracker", as.resource, settings));
        assertThat(as.registrations.get()).isEqualTo(1);
    }

    @Test
    void insufficientScopeAsksTheUserInsteadOfRefreshing() throws Exception {
        McpOAuth oauth = oauth(new FollowingBrowser());
        AuthState.Authorized signedIn = oauth.authorize(server);

        AuthState state = oauth.onUnauthorized(server, Optional.of("Bearer error=\"insufficient_scope\", scope=\"mcp:admin\""), Optional.of(signedIn.header()));

        assertThat(state).isInstanceOf(AuthState.NeedsAuth.class);
        assertThat(((AuthState.NeedsAuth) state).reason()).contains("mcp:admin");
        assertThat(as.refreshes.get()).isZero();
    }

    @Test
    void aRefreshByAnotherProcessIsSeenWithoutASecondRefresh() throws Exception {
        as.accessLifetimeSeconds = 30;
        McpOAuth server1 = oauth(new FollowingBrowser());
        McpOAuth cli = oauth(new FollowingBrowser()); // another process: its own locks, the same token file
        server1.authorize(server);
        StoredAuth before = new TokenStore(data).load("tracker").orElseThrow();

        AuthState byCli = cli.authorization(server); // refreshes and rotates the refresh token
        AuthState state = server1.onUnauthorized(server, Optional.empty(), Optional.of("Bearer " + before.accessToken()));

        assertThat(byCli).isInstanceOf(AuthState.Authorized.class);
        assertThat(state).isEqualTo(byCli);
        assertThat(as.refreshes.get()).isEqualTo(1);
        assertThat(call(state).statusCode()).isEqualTo(200);
    }

    @Test
    void anExpiredTokenWithoutARefreshTokenAsksTheUserAgain() throws Exception {
        as.issueRefreshTokens = false;
        as.accessLifetimeSeconds = 30;
        McpOAuth oauth = oauth(new FollowingBrowser());
        oauth.authorize(server);

        AuthState state = oauth.authorization(server);

        assertThat(state).isInstanceOf(AuthState.NeedsAuth.class);
        assertThat(((AuthState.NeedsAuth) state).reason()).contains("no refresh token");
        assertThat(as.refreshes.get()).isZero();
    }

    @Test
    void aDamagedTokenFileAsksTheUserAgainWithoutShowingItsContent() throws Exception {
        McpOAuth oauth = oauth(new FollowingBrowser());
        AuthState.Authorized signedIn = oauth.authorize(server);
        Path file = new TokenStore(data).file("tracker");
        Files.writeString(file, Files.readString(file).replace("\"resource\"", "\"other\"")); // a required field gone

        AuthState state = oauth.authorization(server);

        assertThat(state).isInstanceOf(AuthState.NeedsAuth.class);
        assertThat(((AuthState.NeedsAuth) state).reason()).contains(file.toString()).doesNotContain(signedIn.header().substring(7));
    }

    @Test
    void aSignInTheCheckRefusesSendsNothingToTheAuthorizationServerTheMetadataNames() throws Exception {
        as.namedAuthorizationServer = "http://192.0.2.1:9/as"; // TEST-NET-1: the loopback server names one off the machine
        var asked = new java.util.concurrent.CopyOnWriteArrayList<URI>();
        var local = new RemoteServer("tracker", as.resource, OAuthSettings.NONE, OffMachine.loopbackOnly(asked));
        try (var world = new OffMachine()) {
            var browser = new FollowingBrowser();
            var oauth = new McpOAuth(new TokenStore(data), browser, world.client(), Clock.systemUTC(), Duration.ofSeconds(10));

            assertThatThrownBy(() -> oauth.authorize(local)).isInstanceOf(OAuthException.Blocked.class)
                    .hasMessageContaining("local-only mode").hasMessageContaining("192.0.2.1");

            assertThat(world.connections()).as("nothing left the machine").isZero();
            assertThat(asked).extracting(URI::getHost).contains("127.0.0.1").endsWith("192.0.2.1");
            assertThat(browser.lastAuthorizationUrl).as("the browser never opened").isNull();
            assertThat(as.registrations.get()).isZero();
        }
    }

    @Test
    void aLoopbackAuthorizationServerSignsInAndRefreshesUnderTheCheck() throws Exception {
        as.accessLifetimeSeconds = 30; // inside the refresh skew: the next authorization refreshes
        var asked = new java.util.concurrent.CopyOnWriteArrayList<URI>();
        var local = new RemoteServer("tracker", as.resource, OAuthSettings.NONE, OffMachine.loopbackOnly(asked));
        McpOAuth oauth = oauth(new FollowingBrowser());

        AuthState.Authorized signedIn = oauth.authorize(local);
        AuthState renewed = oauth.authorization(local);

        assertThat(call(signedIn).statusCode()).isEqualTo(200);
        assertThat(renewed).isInstanceOf(AuthState.Authorized.class).isNotEqualTo(signedIn);
        assertThat(as.refreshes.get()).isEqualTo(1);
        // discovery, registration, the exchange and the refresh were all asked about
        assertThat(asked).extracting(URI::getPath).contains("/.well-known/oauth-authorization-server/as", "/as/register", "/as/token");
    }

    @Test
    void aRefreshTheCheckRefusesFailsKeepsTheTokensAndSendsNothing() throws Exception {
        McpOAuth oauth = oauth(new FollowingBrowser());
        oauth.authorize(server);
        // the stored sign-in's token endpoint is off the machine, and the token is due
        var store = new TokenStore(data);
        StoredAuth stored = store.load("tracker").orElseThrow();
        store.save("tracker", new StoredAuth(stored.server(), stored.issuer(), URI.create("http://192.0.2.1:9/as/token"),
                stored.revocationEndpoint(), stored.resource(), stored.client(), stored.accessToken(), stored.refreshToken(),
                Optional.of(java.time.Instant.now().minusSeconds(5)), stored.scope()));
        var asked = new java.util.concurrent.CopyOnWriteArrayList<URI>();
        var local = new RemoteServer("tracker", as.resource, OAuthSettings.NONE, OffMachine.loopbackOnly(asked));
        try (var world = new OffMachine()) {
            var offline = new McpOAuth(store, url -> { }, world.client(), Clock.systemUTC(), Duration.ofSeconds(10));

            AuthState state = offline.authorization(local);

            assertThat(state).isInstanceOfSatisfying(AuthState.Failed.class,
                    f -> assertThat(f.reason()).contains("local-only mode", "192.0.2.1"));
            assertThat(store.load("tracker")).as("kept: nothing said the sign-in is void").isPresent();
            assertThat(world.connections()).isZero();
        }
    }

    @Test
    void theStandardClientFollowsNoRedirectAndSaysWhereItPointed() throws Exception {
        var elsewhere = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        var reached = new java.util.concurrent.atomic.AtomicInteger();
        elsewhere.createContext("/", ex -> {
            reached.incrementAndGet();
            ex.sendResponseHeaders(500, -1);
            ex.close();
        });
        String target = "http://127.0.0.1:" + elsewhere.getAddress().getPort() + "/token";
        as.server.createContext("/as/moved", ex -> {
            ex.getResponseHeaders().set("Location", target);
            ex.sendResponseHeaders(307, -1); // a followed 307 would post the refresh token and client to the new place
            ex.close();
        });
        elsewhere.start();
        try {
            oauth(new FollowingBrowser()).authorize(server);
            var store = new TokenStore(data);
            StoredAuth stored = store.load("tracker").orElseThrow();
            store.save("tracker", new StoredAuth(stored.server(), stored.issuer(), URI.create(as.issuer + "/moved"),
                    stored.revocationEndpoint(), stored.resource(), stored.client(), stored.accessToken(), stored.refreshToken(),
                    Optional.of(java.time.Instant.now().minusSeconds(5)), stored.scope()));

            AuthState state = McpOAuth.standard(data, url -> { }).authorization(server);

            assertThat(state).isInstanceOfSatisfying(AuthState.Failed.class,
                    f -> assertThat(f.reason()).contains("HTTP 307", target, "follow no redirect"));
            assertThat(reached.get()).isZero();
        } finally {
            elsewhere.stop(0);
        }
    }
}
