package dev.lathe.server.daemon;

import dev.lathe.protocol.wire.WireJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The content of {@code server.json}: {@code {url, token, pid, version, store}} (DESIGN §3). The client module reads the
 * first four with its own record (it skips fields it does not know); {@code store} ({@code sqlite} or
 * {@code postgresql}) is for {@code lathe doctor}, which must not call a team node's sessions SQLite's (issue 53). A file
 * written before it existed reads as {@code sqlite}.
 */
public record ServerInfo(String url, String token, long pid, String version, String store) {
    public ServerInfo {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(version, "version");
        store = store == null ? "sqlite" : store;
    }

    /** This process's info for a server listening on {@code url}, keeping its sessions in {@code store}. */
    public static ServerInfo of(String url, String token, String version, String store) {
        return new ServerInfo(url, token, ProcessHandle.current().pid(), version, store);
    }

    /**
     * Reads a {@code server.json}.
     *
     * @throws UncheckedIOException when the file cannot be read
     * @throws IllegalArgumentException when it is not a complete server.json
     */
    public static ServerInfo read(Path file) {
        String json;
        try {
            json = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return WireJson.read(json, ServerInfo.class);
    }

    /** Hides the token, which must never reach a log. */
    @Override public String toString() {
        return "ServerInfo[url=" + url + ", pid=" + pid + ", version=" + version + ", store=" + store + "]";
    }
}
