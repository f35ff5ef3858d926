package dev.lathe.server.local;

import dev.lathe.core.config.LathePaths;
import dev.lathe.protocol.Version;
import dev.lathe.protocol.wire.WireJson;
import dev.lathe.server.daemon.ServerInfo;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * {@code lathe doctor}'s server line: what {@code $XDG_STATE_HOME/lathe/server.json} says and whether its pid is alive.
 * The file and the process table tell a running server from a stale file; the one request, to a live server on
 * loopback, asks its public {@code /health} which store its sessions are in (a team node's are in PostgreSQL).
 */
final class ServerFileCheck {
    private ServerFileCheck() {}

    static LocalCommands.Check of(Map<String, String> env) {
        Path file = LathePaths.fromEnvironment(env).serverInfo();
        if (!Files.exists(file)) return ok("no server is running (" + file + " does not exist); the first lathe starts one");
        ServerInfo info;
        try {
            info = ServerInfo.read(file);
        } catch (UncheckedIOException | IllegalArgumentException e) {
            return warn(file + " cannot be read (" + e.getMessage() + ")", "lathe stop removes it; a new server writes it again");
        }
        if (!ProcessHandle.of(info.pid()).map(ProcessHandle::isAlive).orElse(false)) {
            return warn(file + " names pid " + info.pid() + ", which is not running (a server that did not stop cleanly)",
                    "lathe stop removes it; the next server replaces it anyway");
        }
        String running = "running: pid " + info.pid() + ", " + info.url() + ", version " + info.version()
                + store(info).map(k -> ", sessions in " + storeName(k)).orElse("");
        if (!info.version().equals(Version.current())) {
            return warn(running + "; this is " + Version.current(), "lathe stop, so the next lathe starts this version");
        }
        return ok(running);
    }

    /** The server of {@code env}'s state folder, when its file names a live process. */
    static Optional<ServerInfo> running(Map<String, String> env) {
        Path file = LathePaths.fromEnvironment(env).serverInfo();
        try {
            if (!Files.exists(file)) return Optional.empty();
            ServerInfo info = ServerInfo.read(file);
            return ProcessHandle.of(info.pid()).map(ProcessHandle::isAlive).orElse(false) ? Optional.of(info) : Optional.empty();
        } catch (UncheckedIOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    static String storeName(String kind) { return kind.equals("postgresql") ? "PostgreSQL" : "SQLite"; }

    /**
     * The kind of store ({@code sqlite}, {@code postgresql}) the live server {@code info} names in its public
     * {@code GET /health} answer (DESIGN §18): a request to this machine's own server on loopback, never the network.
     * Empty when it does not answer within a second or names none.
     */
    static Optional<String> store(ServerInfo info) {
        try (var http = java.net.http.HttpClient.newBuilder().connectTimeout(java.time.Duration.ofSeconds(1)).build()) {
            var uri = java.net.URI.create(info.url()).resolve("/health");
            if (!uri.getHost().equals("127.0.0.1") && !uri.getHost().equals("localhost") && !uri.getHost().equals("[::1]")) return Optional.empty();
            var response = http.send(java.net.http.HttpRequest.newBuilder(uri).timeout(java.time.Duration.ofSeconds(1)).GET().build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) return Optional.empty();
            var kind = WireJson.mapper().readTree(response.body()).path("store");
            return kind.isString() && !kind.asString().isEmpty() ? Optional.of(kind.asString()) : Optional.empty();
        } catch (java.io.IOException | RuntimeException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static LocalCommands.Check ok(String detail) {
        return new LocalCommands.Check("server", LocalCommands.CheckStatus.OK, detail, Optional.empty());
    }

    private static LocalCommands.Check warn(String detail, String fix) {
        return new LocalCommands.Check("server", LocalCommands.CheckStatus.WARN, detail, Optional.of(fix));
    }
}
