package dev.lathe.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.api.LoginCode;
import dev.lathe.protocol.wire.WireJson;
import java.net.URI;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The web UI's login (DESIGN §6): a one-time code, traded once for an HttpOnly SameSite=Strict cookie. */
class WebLoginTest {
    private final ServerHarness h = new ServerHarness();

    @AfterEach
    void tearDown() {
        h.close();
    }

    @Test
    void aCodeIsTradedOnceForAStrictHttpOnlyCookieThatStandsInForTheToken() {
        LoginCode code = issue();
        assertThat(code.url()).startsWith(h.server.url() + "/login?code=").endsWith(code.code());
        assertThat(code.toString()).doesNotContain(code.code());

        var redeemed = h.send(h.anonymous("/login?code=" + code.code()));
        assertThat(redeemed.statusCode()).isEqualTo(303);
        assertThat(redeemed.headers().firstValue("Location")).hasValue("/");
        String setCookie = redeemed.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).startsWith(WebLogin.COOKIE + "=").contains("HttpOnly").contains("SameSite=Strict").contains("Path=/");
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        assertThat(cookie.substring(WebLogin.COOKIE.length() + 1)).isNotEqualTo(ServerHarness.TOKEN).hasSizeGreaterThanOrEqualTo(22);

        assertThat(h.send(h.anonymous("/permissions").header("Cookie", cookie)).statusCode()).isEqualTo(200);
        assertThat(h.send(h.anonymous("/permissions").header("Cookie", "other=1; " + cookie)).statusCode()).isEqualTo(200);
        // the browser's own pages send their origin; a foreign page still cannot use the cookie
        assertThat(h.send(h.anonymous("/permissions").header("Cookie", cookie).header("Origin", "http://evil.example")).statusCode())
                .isEqualTo(403);
        assertThat(h.send(h.anonymous("/permissions").header("Cookie", cookie).header("Origin", h.server.url().toString())).statusCode())
                .isEqualTo(200);

        assertThat(h.send(h.anonymous("/login?code=" + code.code())).statusCode()).as("a code works once").isEqualTo(401);
    }

    @Test
    void wrongCodesAndCookiesAreRefused() {
        issue();
        assertThat(h.send(h.anonymous("/login?code=guess")).statusCode()).isEqualTo(401);
        assertThat(h.send(h.anonymous("/login")).statusCode()).isEqualTo(400);
        assertThat(h.send(h.anonymous("/permissions").header("Cookie", WebLogin.COOKIE + "=guess")).statusCode()).isEqualTo(401);
        assertThat(h.send(h.anonymous("/permissions").header("Cookie", WebLogin.COOKIE + "=" + ServerHarness.TOKEN)).statusCode()).isEqualTo(401);
    }

    @Test
    void onlyAHolderOfTheTokenCanAskForACode() {
        var anonymous = h.send(h.anonymous("/login/code").POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(anonymous.statusCode()).isEqualTo(401);
    }

    private LoginCode issue() {
        var response = h.send(h.request("/login/code").POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        LoginCode code = WireJson.read(response.body(), LoginCode.class);
        assertThat(URI.create(code.url()).getPath()).isEqualTo("/login");
        return code;
    }
}
