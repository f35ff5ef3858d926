package dev.lathe.server.http;

import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.LoginCode;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * How a browser gets in without ever seeing the token (DESIGN §6): a client holding the token asks for a one-time
 * code ({@code POST /login/code}); the browser opens {@code GET /login?code=...} and receives an HttpOnly,
 * SameSite=Strict cookie that then stands in for the token. Codes expire after {@link #CODE_LIFETIME} and work once;
 * cookies live as long as this server process. Page scripts cannot read the cookie, other sites' pages cannot
 * send it (SameSite) and their requests fail the Origin check anyway.
 */
final class WebLogin {
    static final String COOKIE = "lathe_session";
    static final Duration CODE_LIFETIME = Duration.ofSeconds(60);
    static final int MAX_BROWSER_SESSIONS = 64;

    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Long> codes = new LinkedHashMap<>();
    private final Map<String, Long> cookies = new LinkedHashMap<>();

    WebLogin(Clock clock) {
        this.clock = clock;
    }

    void addTo(Router router) {
        router.add("POST", "/login/code", RouteDoc.of("A one-time web login code (needs the token)").returns(LoginCode.class), this::issue)
                .add("GET", "/login", Router.Access.PUBLIC, RouteDoc.of("Trade a login code for the session cookie").query("code")
                        .returns(303, new RouteDoc.Shape.Redirect()), this::redeem);
    }

    /** True when the {@code Cookie} header carries a session this server issued. */
    boolean accepts(Optional<String> cookieHeader) {
        Optional<String> value = cookieHeader.flatMap(WebLogin::sessionCookie);
        if (value.isEmpty()) return false;
        lock.lock();
        try {
            // constant-time per candidate, so timing does not tell how much of a guess was right
            boolean found = false;
            for (String issued : cookies.keySet()) found |= equal(issued, value.get());
            return found;
        } finally {
            lock.unlock();
        }
    }

    private void issue(Call c) throws java.io.IOException {
        String code = BearerToken.generate();
        long expires = clock.millis() + CODE_LIFETIME.toMillis();
        lock.lock();
        try {
            codes.entrySet().removeIf(e -> e.getValue() < clock.millis());
            codes.put(code, expires);
        } finally {
            lock.unlock();
        }
        String host = c.header("Host").orElse("127.0.0.1");
        c.json(200, new LoginCode(code, "http://" + host + "/login?code=" + code, expires));
    }

    private void redeem(Call c) throws java.io.IOException {
        String code = c.requiredQuery("code");
        Long expires;
        lock.lock();
        try {
            expires = codes.remove(code);
        } finally {
            lock.unlock();
        }
        if (expires == null || expires < clock.millis()) {
            throw new LatheException.Unauthorized("this login code is unknown, used or expired; run `lathe web` again");
        }
        String session = BearerToken.generate();
        lock.lock();
        try {
            cookies.put(session, clock.millis());
            Iterator<String> oldest = cookies.keySet().iterator();
            while (cookies.size() > MAX_BROWSER_SESSIONS) {
                oldest.next();
                oldest.remove();
            }
        } finally {
            lock.unlock();
        }
        c.redirect("/", COOKIE + "=" + session + "; Path=/; HttpOnly; SameSite=Strict");
    }

    private static Optional<String> sessionCookie(String header) {
        for (String pair : header.split(";")) {
            String p = pair.strip();
            if (p.startsWith(COOKIE + "=")) return Optional.of(p.substring(COOKIE.length() + 1));
        }
        return Optional.empty();
    }

    private static boolean equal(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
