package dev.lathe.core.mcp;

import dev.lathe.mcp.Elicitor;
import dev.lathe.mcp.McpConnections;
import dev.lathe.mcp.McpOptions;
import dev.lathe.mcp.McpServerSpec;
import dev.lathe.mcp.McpServerStatus;
import dev.lathe.mcp.oauth.McpOAuth;
import dev.lathe.mcp.oauth.OutboundCheck;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import io.modelcontextprotocol.client.McpClient;

/**
 * One {@link McpConnections} per open project root. {@link #open} never blocks on a server: it returns the project's
 * connections at once, starting them when the project has none yet or its configured servers or the environment they
 * start from changed (then the old ones are stopped first, their processes killed). A local server starts from the
 * environment {@link #open} is given (Lathe's own scrubbed of credentials and provider keys), its entry's {@code env}
 * added, never from Lathe's whole process environment. Each local server's stderr goes to
 * {@code STATE/mcp/ROOT-HASH/NAME.log}. Statuses reach {@code listener} with the project root (for {@code mcp.status}),
 * their errors scrubbed of the entries' credentials ({@link McpSecrets}).
 *
 * <p>The core calls {@link #open} when a project instance is read (opened, or its configuration read again),
 * {@link #close(Path)} when its last instance closes, and {@link #close()} when the server stops.
 */
public final class ProjectMcpServers implements AutoCloseable {

    /**
     * Who hears a project's servers: each server's status (its errors scrubbed), a server saying its lists changed (the
     * SDK's hook names no server, so the listener refetches what it keeps), and who answers a server's elicitation.
     * One port, given once, instead of a callback per kind (decision 536).
     */
    @FunctionalInterface
    public interface Listener {
        /** Server {@code status.name()} of the project at {@code root} is now {@code status}. */
        void status(Path root, McpServerStatus status);

        /** Some server said its tools changed. */
        default void toolsChanged() { }

        /** Some server said its prompts or its resources changed. */
        default void contentChanged() { }

        /** Who answers the elicitations of the servers of the project at {@code root}; by default nobody (declined). */
        default Elicitor elicitor(Path root) { return Elicitor.DECLINE; }
    }

    private final Path stateFolder;
    private final McpOptions.Backoff backoff;
    private final Listener listener;
    private final Optional<McpOAuth> oauth;
    /** Each open root's servers, with the environment they started from: shared with who looks them up. */
    private final RunningMcpServers<Path, Map<String, String>> registry;
    private final Map<Path, RunningMcpServers.Running<Map<String, String>>> running;
    /** Each root's latest check, which its running connections' OAuth asks: a changed policy applies without a restart. */
    private final Map<Path, OutboundCheck> outbound = new ConcurrentHashMap<>();
    /** Per project, what each local server's start asks first: the pins of the files it runs (DESIGN §24). */
    private final Map<Path, McpOptions.StartCheck> startChecks = new ConcurrentHashMap<>();

    /**
     * Without OAuth: a remote server that answers 401 is {@code needs_auth}, and no token is ever sent.
     *
     * @param stateFolder Lathe's state folder ({@code LathePaths.state()})
     */
    public ProjectMcpServers(Path stateFolder, McpOptions.Backoff backoff, Listener listener) {
        this(stateFolder, backoff, listener, Optional.empty());
    }

    /**
     * With OAuth: remote servers (unless {@code oauth: false}) send the tokens {@code lathe mcp auth NAME} stored in
     * {@code dataFolder/mcp-auth}, refreshed as they expire.
     *
     * @param stateFolder Lathe's state folder ({@code LathePaths.state()})
     * @param dataFolder Lathe's data folder ({@code LathePaths.data()})
     */
    public ProjectMcpServers(Path stateFolder, Path dataFolder, McpOptions.Backoff backoff, Listener listener) {
        this(stateFolder, backoff, listener, Optional.of(serverOAuth(dataFolder)));
    }

    /** @param oauth how remote servers get their tokens; empty sends none */
    public ProjectMcpServers(Path stateFolder, McpOptions.Backoff backoff, Listener listener, Optional<McpOAuth> oauth) {
        this(stateFolder, backoff, registry(), listener, oauth);
    }

    /**
     * As above, keeping the running servers in {@code registry} ({@link #registry}), which the tools and content that
     * use them were given before these servers exist.
     */
    public ProjectMcpServers(Path stateFolder, McpOptions.Backoff backoff, RunningMcpServers<Path, Map<String, String>> registry,
            Listener listener, Optional<McpOAuth> oauth) {
        this.registry = registry;
        this.running = registry.byKey;
        this.stateFolder = stateFolder;
        this.backoff = backoff;
        this.listener = listener;
        this.oauth = oauth;
    }

    /** A registry for project servers: built first, then given to {@link ProjectMcpServers} and to who looks them up. */
    public static RunningMcpServers<Path, Map<String, String>> registry() {
        return new RunningMcpServers<>();
    }

    /** Where these servers are kept and looked up. */
    public RunningMcpServers<Path, Map<String, String>> running() { return registry; }

    /** The server never signs in interactively (that is {@code lathe mcp auth}): its connections only read and refresh tokens. */
    public static McpOAuth serverOAuth(Path dataFolder) {
        return McpOAuth.standard(dataFolder, url -> { });
    }

    /**
     * The connections of the project at {@code root}, started or restarted for {@code servers} as needed; local ones
     * start from {@code environment} (then their entry's {@code env}), so what it leaves out — provider keys — never
     * reaches them. A changed {@code environment} restarts them, as changed entries do.
     */
    public McpConnections open(Path root, Map<String, McpServerSpec> servers, Map<String, String> environment) {
        return open(root, servers, environment, OutboundCheck.ANYWHERE);
    }

    /**
     * As {@link #open(Path, Map, Map)}, the servers' OAuth (discovery, refresh) asking {@code check} before each request:
     * the project's local-only mode ({@link McpOutbound}). The latest check given for {@code root} is the one asked.
     */
    public McpConnections open(Path root, Map<String, McpServerSpec> servers, Map<String, String> environment, OutboundCheck check) {
        return open(root, servers, environment, check, McpOptions.StartCheck.NONE);
    }

    /**
     * As {@link #open(Path, Map, Map, OutboundCheck)}, each local server's start and restart first asking
     * {@code pins} (what trust approved of the files it runs, {@link dev.lathe.core.trust.RunPin}); the latest given
     * for {@code root} is the one asked.
     */
    public McpConnections open(Path root, Map<String, McpServerSpec> servers, Map<String, String> environment, OutboundCheck check,
            McpOptions.StartCheck pins) {
        outbound.put(root, check);
        startChecks.put(root, pins);
        List<McpServerSpec> specs = List.copyOf(servers.values());
        Map<String, String> base = Map.copyOf(environment);
        var current = running.compute(root, (key, old) -> {
            if (old != null && old.specs().equals(specs) && old.kept().equals(base)) return old;
            if (old != null) old.connections().close();
            var options = new McpOptions(logFolder(key), backoff, McpOptions.DEFAULT_HEALTH_CHECK, ProjectMcpServers.this::listsChanged, oauth)
                    .withElicitor(listener.elicitor(key)).withEnvironment(base)
                    .withOutbound((server, target) -> outbound.getOrDefault(key, OutboundCheck.ANYWHERE).refusal(server, target))
                    .withStartCheck(server -> startChecks.getOrDefault(key, McpOptions.StartCheck.NONE).refusal(server));
            Map<String, McpSecrets> secrets = RunningMcpServers.secrets(specs);
            return new RunningMcpServers.Running<>(specs, McpConnections.start(specs, options,
                    status -> listener.status(key, RunningMcpServers.scrubbed(secrets, status))), base);
        });
        return current.connections();
    }

    /** Completes every SDK client before it is built: its list changes reach the listener. */
    private void listsChanged(McpClient.SyncSpec spec) {
        spec.toolsChangeConsumer(changed -> listener.toolsChanged()).promptsChangeConsumer(changed -> listener.contentChanged())
                .resourcesChangeConsumer(changed -> listener.contentChanged());
    }

    /** The connections of an open project. */
    public Optional<McpConnections> of(Path root) { return registry.of(root); }

    /** The connected client of server {@code name} of the project at {@code root}, with its configured timeout. */
    public Optional<McpExtensionTools.Connected> client(Path root, String name) { return registry.client(root, name); }

    /**
     * The servers of the project at {@code root} that are starting now (their first start, or a restart after a crash),
     * each with its configured timeout: what a call to one of their tools waits for (DESIGN §18).
     */
    public Map<String, Duration> starting(Path root) { return registry.starting(root); }

    /**
     * Every configured server's status in the project at {@code root}; empty when it has no servers running. Errors are
     * scrubbed of the entries' credentials ({@link McpSecrets}), as the statuses given to the listener are.
     */
    public List<McpServerStatus> statuses(Path root) { return registry.statuses(root); }

    /** Stops the servers of the project at {@code root}. */
    public void close(Path root) {
        var r = running.remove(root);
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
