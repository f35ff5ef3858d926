package dev.lathe.client;

import java.net.URI;
import java.util.Objects;

/**
 * A running server as its {@code server.json} describes it: {@code {url, token, pid, version, managed}}, the same shape
 * the server module writes (its {@code ServerInfo}); the two records must stay field-for-field identical.
 * {@code managed}: the {@code managed.json} whose policy the server enforces (empty: an older server's file).
 */
public record ServerEndpoint(String url, String token, long pid, String version, String managed) {
    public ServerEndpoint {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(version, "version");
        managed = managed == null ? "" : managed;
    }

    public ServerEndpoint(String url, String token, long pid, String version) {
        this(url, token, pid, version, "");
    }

    public URI uri() { return URI.create(url); }

    /** Hides the token, which must never reach a log. */
    @Override public String toString() {
        return "ServerEndpoint[url=" + url + ", pid=" + pid + ", version=" + version + ", managed=" + managed + "]";
    }
}
