package dev.lathe.mcp.oauth;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The redirect target of one authorization (RFC 8252 §7.3): an HTTP listener on 127.0.0.1 with a port the OS picks,
 * answering one {@code /callback}. The first callback with the {@code state} this flow sent wins; one with another
 * state is answered 400 and otherwise ignored: a forged redirect must not plant someone else's code, and must not end
 * the user's sign-in either (any local page can send one, to a fixed port most easily), so the flow waits on for the
 * right one until its timeout, whose message then counts the refused ones. Close it when the flow ends.
 *
 * <p>Public for the subscription sign-ins of core ({@code core.subscription}): their clients are registered with one
 * fixed redirect ({@code http://localhost:1455/auth/callback} for ChatGPT), hence {@link #on(String, int, String)}.
 */
public final class LoopbackRedirect implements AutoCloseable {
    /** What came back on the redirect: the code, and the {@code iss} parameter if the server sent one (RFC 9207). */
    public record Callback(String code, java.util.Optional<String> iss) {
        @Override
        public String toString() {
            return "Callback[code=<redacted>, iss=" + iss + "]";
        }
    }

    private final HttpServer server;
    private final String state;
    private final String host;
    private final String path;
    private final CompletableFuture<Callback> result = new CompletableFuture<>();
    private final java.util.concurrent.atomic.AtomicInteger forged = new java.util.concurrent.atomic.AtomicInteger();

    LoopbackRedirect(String state) throws IOException {
        this(state, "127.0.0.1", 0, "/callback");
    }

    private LoopbackRedirect(String state, String host, int port, String path) throws IOException {
        this.state = state;
        this.host = host;
        this.path = path;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.createContext(path, this::handle);
        server.start();
    }

    /**
     * A listener on 127.0.0.1:{@code port} (0: the OS picks) answering {@code path}, whose redirect URI names
     * {@code host} (a client registered with {@code http://localhost:PORT/...} must be sent exactly that).
     *
     * @throws IOException when the port is taken (another sign-in, or another tool's, is waiting on it)
     */
    public static LoopbackRedirect on(String state, String host, int port, String path) throws IOException {
        return new LoopbackRedirect(state, host, port, path);
    }

    public URI redirectUri() {
        return URI.create("http://" + host + ":" + server.getAddress().getPort() + path);
    }

    public Callback await(Duration timeout) throws OAuthException, InterruptedException {
        try {
            return result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            int refused = forged.get();
            throw new OAuthException("no answer from the browser within " + timeout.toSeconds() + " s" + (refused == 0 ? ""
                    : " (" + refused + " redirect" + (refused == 1 ? "" : "s") + " with another state than the one sent were refused)"));
        } catch (ExecutionException e) {
            throw new OAuthException(e.getCause().getMessage(), e.getCause());
        }
    }

    /**
     * Answers the browser first and only then hands the outcome to the flow: the flow closes this listener as soon as it
     * has the code, which would cut the page off mid-answer (the browser then shows a reset connection, seen in
     * McpTerminalIT on a loaded machine).
     */
    private void handle(HttpExchange exchange) throws IOException {
        Map<String, String> q = query(exchange.getRequestURI().getRawQuery());
        String page;
        int status;
        Runnable outcome;
        if (result.isDone()) {
            status = 409;
            page = "This sign-in has already finished. You can close this tab.";
            outcome = () -> { };
        } else if (!state.equals(q.get("state"))) {
            status = 400;
            page = "Sign-in refused: this redirect is not the one Lathe is waiting for. Lathe still waits for its own.";
            outcome = forged::incrementAndGet;
        } else if (q.containsKey("error")) {
            status = 400;
            page = "Sign-in failed: " + q.get("error") + ". Return to Lathe.";
            String description = q.getOrDefault("error_description", "");
            outcome = () -> result.completeExceptionally(new OAuthException("the authorization server answered " + q.get("error")
                    + (description.isEmpty() ? "" : " (" + description + ")")));
        } else if (q.get("code") == null || q.get("code").isEmpty()) {
            status = 400;
            page = "Sign-in failed: no code. Return to Lathe.";
            outcome = () -> result.completeExceptionally(new OAuthException("the redirect carried no code"));
        } else {
            status = 200;
            page = "Signed in. You can close this tab and return to Lathe.";
            Callback callback = new Callback(q.get("code"), java.util.Optional.ofNullable(q.get("iss")));
            outcome = () -> result.complete(callback);
        }
        byte[] body = ("<!doctype html><title>Lathe</title><p>" + page + "</p>").getBytes(StandardCharsets.UTF_8);
        try {
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(status, body.length);
            try (var out = exchange.getResponseBody()) {
                out.write(body);
            }
        } finally {
            outcome.run(); // a browser gone before its page was written still signed the user in
        }
    }

    static Map<String, String> query(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw == null) return out;
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.putIfAbsent(k, v);
        }
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
