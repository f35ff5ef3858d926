package dev.lathe.server.http;

import dev.lathe.protocol.api.ApiRoute;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.LoginCode;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntSupplier;

/**
 * How a browser gets in without ever seeing the token (DESIGN §6, §18). A client holding the token asks for a
 * one-time code ({@code POST /login/code}, what {@code lathe web} does). The browser opens {@code GET /login?code=...},
 * a page whose "Log in" button posts the code back: link previewers and mail scanners fetch links but press no
 * buttons, so they cannot spend the code or walk away with a login. The post answers with an HttpOnly,
 * SameSite=Strict cookie and a key in the redirect's fragment for the page to keep ({@link WebLogins}); together they
 * stand in for the token. Codes expire after {@link #CODE_LIFETIME} (or the minutes asked, at most an hour) and work once.
 */
final class WebLogin {
    static final String COOKIE_PREFIX = "lathe_session_";
    static final String KEY_HEADER = "X-Lathe-Key";
    static final Duration CODE_LIFETIME = Duration.ofMinutes(5);
    /** The longest a code may be asked to live ({@code lathe pair --minutes}): long enough to find a phone, no longer. */
    static final int MAX_MINUTES = 60;

    private final Clock clock;
    private final Optional<URI> publicUrl;
    private final IntSupplier port;
    private final WebLogins logins;
    private final Callers callers;
    private final ReentrantLock lock = new ReentrantLock();
    /** A live code: when it expires and whose login it makes ({@code ""}: the local admin's). */
    private record Code(long expires, String user) {}

    private final Map<String, Code> codes = new LinkedHashMap<>();

    /** {@code port}: the port this server listens on, known once it is bound (it names the cookie). */
    WebLogin(Clock clock, Optional<URI> publicUrl, IntSupplier port, WebLogins logins, Callers callers) {
        this.callers = callers;
        this.clock = clock;
        this.publicUrl = publicUrl;
        this.port = port;
        this.logins = logins;
    }

    void addTo(Router router) {
        router.add(ApiRoute.LOGIN_CODE, Rights.ANY_USER, RouteDoc.of("A one-time web login code, valid 5 minutes or the minutes asked (at most 60; needs the token or a web login)")
                        .query("minutes").returns(LoginCode.class), this::issue)
                .add(ApiRoute.LOGIN_PAGE, Rights.PUBLIC, RouteDoc.of("The login page for a code: a button that posts it").query("code")
                        .returns(200, new RouteDoc.Shape.AnyObject()), this::page)
                .add(ApiRoute.LOGIN, Rights.PUBLIC, RouteDoc.of("Trade a login code (form field code) for the web login")
                        .returns(303, new RouteDoc.Shape.Redirect()), this::redeem);
    }

    /** The cookie of this server: cookies are shared by every port of a host, so each server names its own. */
    String cookieName() { return COOKIE_PREFIX + port.getAsInt(); }

    /**
     * The user of the login the request carries (this server's cookie and the key that goes with it; {@code ""}: the
     * local admin's), or empty when it carries none.
     */
    Optional<String> accepts(Optional<String> cookieHeader, Optional<String> key) {
        Optional<String> cookie = cookieHeader.flatMap(h -> cookieValue(h, cookieName()));
        if (cookie.isEmpty() || key.isEmpty()) return Optional.empty();
        return logins.accepts(cookie.get(), key.get());
    }

    private void issue(Call c) throws java.io.IOException {
        long lifetime = Duration.ofMinutes(minutes(c)).toMillis();
        String code = BearerToken.generate();
        long expires = clock.millis() + lifetime;
        lock.lock();
        try {
            codes.entrySet().removeIf(e -> e.getValue().expires() < clock.millis());
            // the login is the asking user's: a team server's account logs its browser in as itself
            codes.put(code, new Code(expires, Callers.loginOwner(c.caller())));
        } finally {
            lock.unlock();
        }
        // the address the asking client used (a phone scanning the QR code reaches the same place), or the proxy's
        String base = publicUrl.map(RequestGuard::originOf).orElse("http://" + c.header("Host").orElse("127.0.0.1"));
        String url = base + ApiRoute.LOGIN_PAGE.path() + "?code=" + code;
        c.json(200, new LoginCode(code, url, expires, QrCode.svgDataUrl(url)));
    }

    /** The code's lifetime asked for: {@code lathe pair} gives a phone more than the default 5 minutes, never more than an hour. */
    private static long minutes(Call c) {
        int minutes = c.intQuery("minutes", (int) CODE_LIFETIME.toMinutes(), Integer.MAX_VALUE);
        if (minutes > MAX_MINUTES) {
            throw new LatheException.InvalidInput("a login code lives at most " + MAX_MINUTES + " minutes, not " + minutes);
        }
        return minutes;
    }

    private void page(Call c) throws java.io.IOException {
        String code = c.requiredQuery("code");
        boolean live;
        lock.lock();
        try {
            Code found = codes.get(code);
            live = found != null && found.expires() >= clock.millis() && callers.loginLive(found.user());
        } finally {
            lock.unlock();
        }
        if (!live) {
            refuse(c);
            return;
        }
        c.html(200, LoginPages.confirm(code));
    }

    private void redeem(Call c) throws java.io.IOException {
        Map<String, String> form = c.formFields();
        String code = Optional.ofNullable(form.get("code")).orElse("");
        Code found;
        lock.lock();
        try {
            found = codes.remove(code);
        } finally {
            lock.unlock();
        }
        if (found == null || found.expires() < clock.millis() || !callers.loginLive(found.user())) {
            refuse(c);
            return;
        }
        String cookie = BearerToken.generate();
        String key = BearerToken.generate();
        // the same browser logging in again replaces its login instead of taking a second place
        Optional<String> previous = c.header("Cookie").flatMap(h -> cookieValue(h, cookieName()));
        logins.add(cookie, key, found.user(), previous, Optional.ofNullable(form.get("previous")).filter(k -> !k.isBlank()));
        boolean https = publicUrl.map(u -> "https".equalsIgnoreCase(u.getScheme())).orElse(false);
        c.redirect("/#key=" + key, cookieName() + "=" + cookie + "; Path=/; HttpOnly; SameSite=Strict; Max-Age="
                + WebLogins.LIFETIME.toSeconds() + (https ? "; Secure" : ""));
    }

    /** No cookie, no data: a page saying what to do for a person, the JSON error for a program. */
    private static void refuse(Call c) throws java.io.IOException {
        if (c.header("Accept").orElse("").contains("text/html")) {
            c.html(401, LoginPages.REFUSED);
            return;
        }
        throw new LatheException.Unauthorized("this login code is unknown, used or expired; run `lathe web` again");
    }

    static Optional<String> cookieValue(String header, String name) {
        for (String pair : header.split(";")) {
            String p = pair.strip();
            if (p.startsWith(name + "=")) return Optional.of(p.substring(name.length() + 1));
        }
        return Optional.empty();
    }
}
