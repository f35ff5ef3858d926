package dev.lathe.client;

import java.net.URI;
import java.util.Objects;

/**
 * A running server as its {@code server.json} describes it: {@code {url, token, pid, version}}, the same shape the
 * server module writes (its {@code ServerInfo}); the two records must stay field-for-field identical.
 */
public record ServerEndpoint(String url, String token, long pid, String version) {
    public ServerEndpoint {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(version, "version");
    }

    public URI uri() { return URI.create(url); }

    /** Hides the token, which must never reach a log. */
    @Override public String toString() {
        return "ServerEndpoint[url=" + url + ", pid=" + pid + ", version=" + version + "]";
    }
}
