package dev.lathe.server.daemon;

import dev.lathe.protocol.wire.WireJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The content of {@code server.json}: {@code {url, token, pid, version, managed}} (DESIGN §3). The client module reads
 * the same shape with its own record; the two must stay field-for-field identical. {@code managed} is the
 * {@code managed.json} whose policy (and drop-ins) the server enforces, fixed when it started (decision 552): what
 * {@code lathe doctor} reports, and what a client whose {@code LATHE_MANAGED_DIR} names another refuses to use; empty
 * when a server older than it wrote the file.
 */
public record ServerInfo(String url, String token, long pid, String version, String managed) {
    public ServerInfo {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(version, "version");
        managed = managed == null ? "" : managed;
    }

    public ServerInfo(String url, String token, long pid, String version) {
        this(url, token, pid, version, "");
    }

    /** This process's info for a server listening on {@code url} that enforces the managed settings of {@code managed}. */
    public static ServerInfo of(String url, String token, String version, java.nio.file.Path managed) {
        return new ServerInfo(url, token, ProcessHandle.current().pid(), version, managed.toAbsolutePath().normalize().toString());
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
        return "ServerInfo[url=" + url + ", pid=" + pid + ", version=" + version + ", managed=" + managed + "]";
    }
}
