package dev.lathe.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.api.LoginCode;
import dev.lathe.protocol.wire.WireJson;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web UI's login (DESIGN §6, §18): a one-time code shown as a page whose button posts it, traded once for an
 * HttpOnly SameSite=Strict cookie named for this server's port plus a key the page keeps; both together stand in for
 * the token.
 */
class WebLoginTest {
    private final ServerHarness h = new ServerHarness();

    @AfterEach
    void tearDown() {
        h.close();
    }

    /** A browser's login: the cookie header to send and the key. */
    record Login(String cookie, String key, String setCookie) {
        HttpRequest.Builder on(HttpRequest.Builder request) {
            return request.header("Cookie", cookie).header(WebLogin.KEY_HEADER, key);
        }
    }

    @Test
    void theLinkShowsAButtonAndOnlyItsPostTradesTheCodeOnceForACookieAndAKey() {
        LoginCode code = issue(h);
        assertThat(code.url()).startsWith(h.server.url() + "/login?code=").endsWith(code.code());
        assertThat(code.toString()).doesNotContain(code.code());

        var page = h.send(h.anonymous("/login?code=" + code.code()));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Set-Cookie")).as("a link previewer gets no login").isEmpty();
        assertThat(page.body()).contains("<form method=\"post\" action=\"/login\">").contains("value=\"" + code.code() + "\"")
                .contains("Log in").doesNotContain("style=");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp).doesNotContain("unsafe-inline"));
        assertThat(h.send(h.anonymous("/login?code=" + code.code())).statusCode()).as("looking does not spend it").isEqualTo(200);

        var posted = post(h, code.code(), "");
        assertThat(posted.statusCode()).isEqualTo(303);
        String key = posted.headers().firstValue("Location").orElseThrow();
        assertThat(key).startsWith("/#key=");
        String setCookie = posted.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).startsWith(WebLogin.COOKIE_PREFIX + h.server.port() + "=").contains("HttpOnly").contains("SameSite=Strict")
                .contains("Path=/").contains("Max-Age=" + WebLogins.LIFETIME.toSeconds()).doesNotContain("Secure");
        Login login = new Login(setCookie.substring(0, setCookie.indexOf(';')), key.substring("/#key=".length()), setCookie);

        assertThat(h.send(login.on(h.anonymous("/permissions"))).statusCode()).isEqualTo(200);
        assertThat(h.send(h.anonymous("/permissions").header("Cookie", "other=1; " + login.cookie()).header(WebLogin.KEY_HEADER, login.key()))
                .statusCode()).isEqualTo(200);
        assertThat(h.send(h.anonymous("/permissions?key=" + login.key()).header("Cookie", login.cookie())).statusCode())
                .as("EventSource cannot set headers: the key may come as ?key=").isEqualTo(200);
        // the browser's own pages send their origin; a foreign page still cannot use the login
        assertThat(h.send(login.on(h.anonymous("/permissions")).header("Origin", "http://evil.example")).statusCode()).isEqualTo(403);
        assertThat(h.send(login.on(h.anonymous("/permissions")).header("Origin", h.server.url().toString())).statusCode()).isEqualTo(200);

        assertThat(post(h, code.code(), "").statusCode()).as("a code works once").isEqualTo(401);
        assertThat(h.send(h.anonymous("/login?code=" + code.code()).header("Accept", "text/html")).statusCode()).isEqualTo(401);
    }

    @Test
    void theCookieAloneOrTheKeyAloneIsWorthNothing() {
        Login login = login(h);
        // cookies are shared by every port of a host: another local server receives ours, but not the key
        assertThat(h.send(h.anonymous("/permissions").header("Cookie", login.cookie())).statusCode()).isEqualTo(401);
        assertThat(h.send(h.anonymous("/permissions").header(WebLogin.KEY_HEADER, login.key())).statusCode()).isEqualTo(401);
        String otherPortsName = WebLogin.COOKIE_PREFIX + (h.server.port() + 1) + login.cookie().substring(login.cookie().indexOf('='));
        assertThat(h.send(h.anonymous("/permissions").header("Cookie", otherPortsName).header(WebLogin.KEY_HEADER, login.key())).statusCode())
                .as("another server's cookie").isEqualTo(401);
        assertThat(h.send(h.anonymous("/permissions").header("Cookie", login.cookie()).header(WebLogin.KEY_HEADER, "guess")).statusCode()).isEqualTo(401);
    }

    @Test
    void aLoggedInBrowserHittingAWrongPathLearnsThatNotThatItIsLoggedOut() {
        Login login = login(h);
        assertThat(h.send(login.on(h.anonymous("/no-such-route"))).statusCode()).isEqualTo(404);
        assertThat(h.send(login.on(h.anonymous("/board")).DELETE()).statusCode()).isEqualTo(405);
        assertThat(h.send(h.anonymous("/no-such-route")).statusCode()).as("a stranger still learns nothing").isEqualTo(401);
    }

    @Test
    void wrongCodesAndCookiesAreRefused() {
        issue(h);
        assertThat(post(h, "guess", "").statusCode()).isEqualTo(401);
        assertThat(h.send(h.anonymous("/login")).statusCode()).isEqualTo(400);
        assertThat(h.send(h.anonymous("/login").header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")))
                .statusCode()).isEqualTo(415);
        String cookie = WebLogin.COOKIE_PREFIX + h.server.port();
        assertThat(h.send(h.anonymous("/permissions").header("Cookie", cookie + "=guess").header(WebLogin.KEY_HEADER, "guess")).statusCode())
                .isEqualTo(401);
        assertThat(h.send(h.anonymous("/permissions").header("Cookie", cookie + "=" + ServerHarness.TOKEN)).statusCode()).isEqualTo(401);
    }

    @Test
    void onlyAHolderOfTheTokenOrALoginCanAskForACode() {
        var anonymous = h.send(h.anonymous("/login/code").POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(anonymous.statusCode()).isEqualTo(401);
        Login login = login(h);
        assertThat(h.send(login.on(h.anonymous("/login/code")).POST(HttpRequest.BodyPublishers.noBody())).statusCode())
                .as("the UI's open-on-another-device dialog").isEqualTo(200);
    }

    @Test
    void aPairingCodeLivesTheMinutesAskedAtMostAnHourAndStillWorksOnce() {
        long before = System.currentTimeMillis();
        var asked = h.send(h.request("/login/code?minutes=10").POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(asked.statusCode()).as(asked.body()).isEqualTo(200);
        LoginCode code = WireJson.read(asked.body(), LoginCode.class);
        assertThat(code.expiresAt()).isBetween(before + Duration.ofMinutes(10).toMillis(), System.currentTimeMillis() + Duration.ofMinutes(10).toMillis());
        assertThat(post(h, code.code(), "").statusCode()).isEqualTo(303);
        assertThat(post(h, code.code(), "").statusCode()).as("used once").isEqualTo(401);

        for (String bad : new String[] {"61", "0", "-3", "ten"}) {
            var refused = h.send(h.request("/login/code?minutes=" + bad).POST(HttpRequest.BodyPublishers.noBody()));
            assertThat(refused.statusCode()).as(bad).isEqualTo(400);
            assertThat(refused.body()).as(bad).contains("minutes").doesNotContain("Exception");
        }
    }

    @Test
    void aCodeLivesFiveMinutesAndALoginThirtyUnusedDays(@TempDir Path state) {
        h.close();
        var now = new AtomicLong(Instant.parse("2026-11-25T04:00:00Z").toEpochMilli());
        Clock clock = new Clock() {
            @Override public java.time.ZoneId getZone() { return ZoneOffset.UTC; }
            @Override public Clock withZone(java.time.ZoneId zone) { return this; }
            @Override public Instant instant() { return Instant.ofEpochMilli(now.get()); }
        };
        var api = new FakeLatheApi();
        try (var t = new ServerHarness(HttpApiServer.start(api, ServerOptions.of(ServerHarness.TOKEN, "1"), Optional.empty(),
                new WebAssets(Map.of(), Optional.empty()), clock), api)) {
            LoginCode late = issue(t);
            assertThat(late.expiresAt()).isEqualTo(now.get() + Duration.ofMinutes(5).toMillis());
            assertThat(late.qr()).startsWith("data:image/svg+xml;base64,");
            String svg = new String(java.util.Base64.getDecoder().decode(late.qr().substring(late.qr().indexOf(',') + 1)),
                    java.nio.charset.StandardCharsets.UTF_8);
            assertThat(svg).startsWith("<svg").contains("<path");
            now.addAndGet(Duration.ofMinutes(5).toMillis() + 1);
            assertThat(post(t, late.code(), "").statusCode()).as("5 min + 1 ms").isEqualTo(401);

            Login login = login(t);
            now.addAndGet(Duration.ofDays(29).toMillis());
            assertThat(t.send(login.on(t.anonymous("/permissions"))).statusCode()).as("used on day 29").isEqualTo(200);
            now.addAndGet(Duration.ofDays(29).toMillis());
            assertThat(t.send(login.on(t.anonymous("/permissions"))).statusCode()).as("30 days counted from the last use").isEqualTo(200);
            now.addAndGet(WebLogins.LIFETIME.toMillis() + 1);
            assertThat(t.send(login.on(t.anonymous("/permissions"))).statusCode()).as("unused for 30 days").isEqualTo(401);
        }
    }

    @Test
    void aBrowserStaysLoggedInAcrossARestartAndTheFileHoldsOnlyHashes(@TempDir Path state) throws Exception {
        h.close();
        var file = state.resolve("web-logins");
        Login login;
        try (var first = new ServerHarness(ServerOptions.of(ServerHarness.TOKEN, "1"), Optional.of(file))) {
            login = login(first);
        }
        String text = Files.readString(file);
        assertThat(text).doesNotContain(value(login.cookie())).doesNotContain(login.key())
                .contains(WebLogins.hash(value(login.cookie()), login.key()));
        assertThat(Files.getPosixFilePermissions(file)).containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(Files.list(state)).as("no temporary file left").containsExactly(file);
        try (var second = new ServerHarness(ServerOptions.of("another-token-0123456789", "1"), Optional.of(file))) {
            // a pinned port keeps the cookie's name; this server got another port, so the browser's cookie is renamed here
            String cookie = WebLogin.COOKIE_PREFIX + second.server.port() + "=" + value(login.cookie());
            assertThat(second.send(second.anonymous("/permissions").header("Cookie", cookie).header(WebLogin.KEY_HEADER, login.key())).statusCode())
                    .isEqualTo(200);
        }
        Files.delete(file);  // what docs/web.md says logs every browser out
        try (var third = new ServerHarness(ServerOptions.of(ServerHarness.TOKEN, "1"), Optional.of(file))) {
            String cookie = WebLogin.COOKIE_PREFIX + third.server.port() + "=" + value(login.cookie());
            assertThat(third.send(third.anonymous("/permissions").header("Cookie", cookie).header(WebLogin.KEY_HEADER, login.key())).statusCode())
                    .isEqualTo(401);
        }
    }

    @Test
    void loggingInAgainReplacesTheBrowsersLoginSoOthersAreNotPushedOut() throws Exception {
        Login first = login(h);
        String secondCode = issue(h).code();
        var again = h.send(first.on(h.anonymous("/login")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("code=" + secondCode + "&previous=" + first.key())));
        assertThat(again.statusCode()).isEqualTo(303);
        assertThat(h.send(first.on(h.anonymous("/permissions"))).statusCode()).as("the old login of this browser is gone").isEqualTo(401);
    }

    @Test
    void behindATlsProxyItsOriginAndHostAreAcceptedAndLinksUseIt() throws Exception {
        h.close();
        var options = ServerOptions.of(ServerHarness.TOKEN, "1").withPublicUrl(URI.create("https://lathe.example.com"));
        try (var proxied = new ServerHarness(options)) {
            var code = issue(proxied);
            assertThat(code.url()).startsWith("https://lathe.example.com/login?code=");
            var posted = post(proxied, code.code(), "");
            assertThat(posted.headers().firstValue("Set-Cookie").orElseThrow()).contains("Secure");
            assertThat(proxied.send(proxied.anonymous("/health").header("Origin", "https://lathe.example.com")).statusCode()).isEqualTo(200);
            assertThat(proxied.send(proxied.request("/permissions").header("Origin", "http://lathe.example.com")).statusCode())
                    .as("the plain-HTTP origin of the same name is another origin").isEqualTo(403);
            String reply = proxied.rawExchange("GET /health HTTP/1.1\r\nHost: lathe.example.com\r\nConnection: close\r\n\r\n");
            assertThat(reply).startsWith("HTTP/1.1 200");
        }
    }

    private static String value(String cookie) {
        return cookie.substring(cookie.indexOf('=') + 1);
    }

    static LoginCode issue(ServerHarness h) {
        var response = h.send(h.request("/login/code").POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        LoginCode code = WireJson.read(response.body(), LoginCode.class);
        assertThat(URI.create(code.url()).getPath()).isEqualTo("/login");
        return code;
    }

    private static HttpResponse<String> post(ServerHarness h, String code, String previous) {
        return h.send(h.anonymous("/login").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("code=" + code + "&previous=" + previous)));
    }

    static Login login(ServerHarness h) {
        var posted = post(h, issue(h).code(), "");
        assertThat(posted.statusCode()).isEqualTo(303);
        String setCookie = posted.headers().firstValue("Set-Cookie").orElseThrow();
        String key = posted.headers().firstValue("Location").orElseThrow().substring("/#key=".length());
        return new Login(setCookie.substring(0, setCookie.indexOf(';')), key, setCookie);
    }
}
