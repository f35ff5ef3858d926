package dev.lathe.client;

import dev.lathe.protocol.api.ApiRoute;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Finds a live server through its {@code server.json} (DESIGN §3): the file must parse, its pid must be a live
 * process, and {@code GET /health} must answer healthy within a short timeout. Anything else means "no server",
 * never an exception, so a caller can go on to start one.
 */
public final class ServerDiscovery {
    /**
     * Asked for when something is logged: the first logger of a process looks the logger finder up on the class path,
     * ~20 ms that every {@code lathe run} paid before its first request (issue 70).
     */
    private static System.Logger log() {
        return System.getLogger(ServerDiscovery.class.getName());
    }
    public static final Duration DEFAULT_HEALTH_TIMEOUT = Duration.ofMillis(300);

    private ServerDiscovery() {}

    /** {@link #find(Path, Duration)} with {@link #DEFAULT_HEALTH_TIMEOUT}. */
    public static Optional<ServerEndpoint> find(Path serverJson) {
        return find(serverJson, DEFAULT_HEALTH_TIMEOUT);
    }

    /** The server described by {@code serverJson} if it is alive and answers {@code /health} within {@code timeout}. */
    public static Optional<ServerEndpoint> find(Path serverJson, Duration timeout) {
        Optional<ServerEndpoint> endpoint = read(serverJson);
        if (endpoint.isEmpty()) return Optional.empty();
        long pid = endpoint.get().pid();
        if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            log().log(Level.DEBUG, "{0} names pid {1}, which is not running", serverJson, pid);
            return Optional.empty();
        }
        return isHealthy(endpoint.get().uri(), timeout) ? endpoint : Optional.empty();
    }

    /** Just the file's content, without checking the server; empty when missing or malformed. */
    public static Optional<ServerEndpoint> read(Path serverJson) {
        try {
            if (!Files.isRegularFile(serverJson)) return Optional.empty();
            Optional<ServerEndpoint> endpoint = DiscoveryJson.endpoint(Files.readAllBytes(serverJson));
            if (endpoint.isEmpty()) log().log(Level.DEBUG, "ignoring malformed {0}", serverJson);
            return endpoint;
        } catch (IOException e) {
            log().log(Level.DEBUG, "ignoring unreadable {0}: {1}", serverJson, e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Where a server writes its {@code server.json}: {@code $XDG_STATE_HOME/lathe/server.json}, or
     * {@code ~/.local/state/lathe/server.json} when {@code XDG_STATE_HOME} is unset or not absolute.
     */
    public static Path defaultPath(Map<String, String> env, Path home) {
        String state = env.getOrDefault("XDG_STATE_HOME", "");
        Path base = !state.isBlank() && Path.of(state).isAbsolute() ? Path.of(state) : home.resolve(".local").resolve("state");
        return base.resolve("lathe").resolve("server.json");
    }

    /**
     * The token for the server at {@code url}: {@code LATHE_SERVER_TOKEN} from {@code env} when it is set, else the local
     * {@code server.json}'s when it describes that server; empty when neither applies. The token the user gave always
     * wins: a user's token set to attach to the team node of this machine must not be swapped for the node's own admin
     * token, which would make the user's tasks the admin's (issue 52). Loopback names count as one host
     * ({@code localhost}, {@code 127.0.0.1}, {@code [::1]}), a trailing slash is ignored.
     */
    public static Optional<String> tokenFor(URI url, Path serverJson, Map<String, String> env) {
        Optional<String> given = Optional.ofNullable(env.get("LATHE_SERVER_TOKEN")).filter(t -> !t.isBlank()).map(String::strip);
        if (given.isPresent()) return given;
        return read(serverJson).filter(e -> sameServer(e.uri(), url)).map(ServerEndpoint::token);
    }

    static boolean sameServer(URI a, URI b) {
        return a.getScheme() != null && a.getScheme().equalsIgnoreCase(String.valueOf(b.getScheme()))
                && hostKey(a).equals(hostKey(b)) && port(a) == port(b)
                && path(a).equals(path(b));
    }

    private static String hostKey(URI u) {
        String host = String.valueOf(u.getHost()).toLowerCase(java.util.Locale.ROOT);
        return switch (host) {
            case "localhost", "127.0.0.1", "[::1]", "::1" -> "loopback";
            default -> host;
        };
    }

    private static int port(URI u) {
        if (u.getPort() >= 0) return u.getPort();
        return "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }

    private static String path(URI u) {
        String p = u.getPath() == null ? "" : u.getPath();
        return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    static boolean isHealthy(URI base, Duration timeout) {
        try (HttpTransport transport = HttpTransport.forServer(base, timeout)) {
            String root = base.toString().endsWith("/") ? base.toString().substring(0, base.toString().length() - 1) : base.toString();
            String url = root + ApiRoute.HEALTH.path();
            var request = new HttpTransport.Request("GET", URI.create(url), Map.of("Accept", "application/json"), Optional.empty(), timeout,
                    HttpTransport.BodyTimeout.APPLIES);
            try (var response = transport.send(request)) {
                return response.status() == 200 && DiscoveryJson.isHealthy(response.body().readAllBytes());
            }
        } catch (IOException | IllegalArgumentException e) {
            log().log(Level.DEBUG, "no healthy server at {0}: {1}", base, e.toString());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
