package dev.lathe.core.mcp;

import dev.lathe.mcp.McpConnections;
import dev.lathe.mcp.McpOptions;
import dev.lathe.mcp.McpServerSpec;
import dev.lathe.mcp.McpServerStatus;
import dev.lathe.mcp.oauth.McpOAuth;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * One {@link McpConnections} per open project root. {@link #open} never blocks on a server: it returns the project's
 * connections at once, starting them when the project has none yet or its configured servers changed (then the old
 * ones are stopped first, their processes killed). Each local server's stderr goes to
 * {@code STATE/mcp/ROOT-HASH/NAME.log}. Statuses reach {@code listener} with the project root (for {@code mcp.status}).
 *
 * <p>Not wired yet: the project instance should call {@link #open} when it opens or its configuration is read again,
 * {@link #close(Path)} when it closes, and {@link #close()} when the server stops.
 */
public final class ProjectMcpServers implements AutoCloseable {
    private record Running(List<McpServerSpec> specs, McpConnections connections) {}

    private final Path stateFolder;
    private final McpOptions.Backoff backoff;
    private final BiConsumer<Path, McpServerStatus> listener;
    private final Optional<McpOAuth> oauth;
    private final Map<Path, Running> running = new ConcurrentHashMap<>();

    /**
     * Without OAuth: a remote server that answers 401 is {@code needs_auth}, and no token is ever sent.
     *
     * @param stateFolder Lathe's state folder ({@code LathePaths.state()})
     */
    public ProjectMcpServers(Path stateFolder, McpOptions.Backoff backoff, BiConsumer<Path, McpServerStatus> listener) {
        this.stateFolder = stateFolder;
        this.backoff = backoff;
        this.listener = listener;
        this.oauth = Optional.empty();
    }

    /**
     * With OAuth: remote servers (unless {@code oauth: false}) send the tokens {@code lathe mcp auth NAME} stored in
     * {@code dataFolder/mcp-auth}, refreshed as they expire.
     *
     * @param stateFolder Lathe's state folder ({@code LathePaths.state()})
     * @param dataFolder Lathe's data folder ({@code LathePaths.data()})
     */
    public ProjectMcpServers(Path stateFolder, Path dataFolder, McpOptions.Backoff backoff, BiConsumer<Path, McpServerStatus> listener) {
        this.stateFolder = stateFolder;
        this.backoff = backoff;
        this.listener = listener;
        // the server never signs in interactively (that is `lathe mcp auth`): its connections only read and refresh tokens
        this.oauth = Optional.of(McpOAuth.standard(dataFolder, url -> { }));
    }

    /** The connections of the project at {@code root}, started or restarted for {@code servers} as needed. */
    public McpConnections open(Path root, Map<String, McpServerSpec> servers) {
        List<McpServerSpec> specs = List.copyOf(servers.values());
        Running current = running.compute(root, (key, old) -> {
            if (old != null && old.specs().equals(specs)) return old;
            if (old != null) old.connections().close();
            var options = new McpOptions(logFolder(key), backoff, McpOptions.DEFAULT_HEALTH_CHECK, spec -> { }, oauth);
            return new Running(specs, McpConnections.start(specs, options, status -> listener.accept(key, status)));
        });
        return current.connections();
    }

    /** The connections of an open project. */
    public Optional<McpConnections> of(Path root) {
        return Optional.ofNullable(running.get(root)).map(Running::connections);
    }

    /** Stops the servers of the project at {@code root}. */
    public void close(Path root) {
        Running r = running.remove(root);
        if (r != null) r.connections().close();
    }

    /** Stops every project's servers. */
    @Override
    public void close() {
        for (Path root : List.copyOf(running.keySet())) close(root);
    }

    private Path logFolder(Path root) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(root.toString().getBytes(StandardCharsets.UTF_8));
            return stateFolder.resolve("mcp").resolve(HexFormat.of().formatHex(hash, 0, 8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
