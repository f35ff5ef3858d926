package dev.lathe.server.http;

import dev.lathe.protocol.api.ApiRoute;

/**
 * The two pages of the web login, styled by {@code /login.css} (the Content Security Policy allows no inline style or
 * script). The confirm page's button posts the code; {@code /login.js} adds the key this browser already holds, so
 * logging in again replaces its login instead of taking another place. Both name an empty icon, as the app's page does:
 * a browser's own {@code /favicon.ico} request, made before the login, would be refused with a 401 on every load.
 */
final class LoginPages {
    private static final String HEAD = """
            <!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="referrer" content="same-origin"><link rel="icon" href="data:,"><link rel="stylesheet" href="/login.css">""";

    static final String REFUSED = HEAD + """
            <title>Login link used or expired · Lathe</title></head>
            <body><main><h1>This login link was already used or has expired</h1>
            <p>A login link works once, for 5 minutes (<code>lathe pair</code>'s for the minutes it said). On the machine
            running Lathe, run <code>lathe web</code> for a new one (or <code>lathe pair</code> for a phone).</p></main></body></html>
            """;

    private LoginPages() {}

    static String confirm(String code) {
        return HEAD + """
                <title>Log in · Lathe</title><script src="/login.js" defer></script></head>
                <body><main><h1>Log in to Lathe</h1>
                <p>This browser will see and steer the sessions of the Lathe server on this machine.</p>
                <form method="post" action="%s"><input type="hidden" name="code" value="%s">
                <input type="hidden" name="previous" value=""><button type="submit" autofocus>Log in</button></form>
                <p class="hint">Opened a link you did not ask for? Close this page.</p></main></body></html>
                """.formatted(ApiRoute.LOGIN.template(), escape(code));
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
