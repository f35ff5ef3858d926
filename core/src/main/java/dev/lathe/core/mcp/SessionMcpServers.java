package dev.lathe.core.mcp;

import dev.lathe.mcp.Elicitor;
import dev.lathe.mcp.McpConnections;
import dev.lathe.mcp.McpOptions;
import dev.lathe.mcp.McpServerSpec;
import dev.lathe.mcp.McpServerStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiPredicate;

/**
 * The MCP servers clients bring for single sessions (an editor's {@code mcpServers} over ACP), one
 * {@link McpConnections} per session: the machinery of {@link ProjectMcpServers} (background start, timeouts,
 * restart with backoff, statuses scrubbed of the entries' credentials) keyed by session id instead of project root.
 * {@link #set} never blocks on a server. A local server starts from the environment {@link #set} is given (Lathe's own
 * scrubbed of provider keys), its entry's {@code env} added; its stderr goes to {@code STATE/mcp/session-ID/NAME.log}.
 *
 * <p>The core calls {@link #set} for {@code PUT /sessions/{id}/mcp}, {@link #close(String)} when a session is deleted,
 * {@link #closeProject} when a project instance closes, {@link #closeUnwatched} periodically (a client that brought
 * servers and went away without removing them), and {@link #close()} when the server stops.
 */
public final class SessionMcpServers implements AutoCloseable {
    /**
     * Who hears a session's servers: the session, its project root and a server's status now (scrubbed), a server
     * saying its tools changed, and who answers a server's elicitation (decision 536).
     */
    @FunctionalInterface
    public interface Listener {
        void status(String sessionId, Path root, McpServerStatus status);

        /** Some server of some session said its tools changed (the SDK's hook names no server). */
        default void toolsChanged() { }

        /** Who answers the elicitations of session {@code sessionId}'s servers; by default nobody (declined). */
        default Elicitor elicitor(String sessionId) { return Elicitor.DECLINE; }
    }

    /**
     * How long a session's servers run while no client's event stream reaches the session: the editor that brought
     * them is gone (killed or crashed without {@code PUT []}), and nothing else would stop them before the session is
     * deleted (they also keep its project instance open). Five minutes: longer than a client's reconnect after a
     * daemon hiccup or a laptop's short sleep, short enough that a crashed editor's processes do not linger.
     */
    public static final Duration UNWATCHED_GRACE = Duration.ofMinutes(5);

    /**
     * What is kept with a session's servers: its project's {@code root}, and {@code watchedAt}, when a client's event
     * stream last reached the session ({@link System#nanoTime}).
     */
    public record Watch(Path root, AtomicLong watchedAt) {}

    private final Path stateFolder;
    private final McpOptions.Backoff backoff;
    private final Listener listener;
    /** Each session's servers: shared with who looks them up ({@link #registry}). */
    private final RunningMcpServers<String, Watch> registry;
    private final Map<String, RunningMcpServers.Running<Watch>> running;
    private volatile Duration unwatchedGrace = UNWATCHED_GRACE;

    /** @param stateFolder Lathe's state folder ({@code LathePaths.state()}) */
    public SessionMcpServers(Path stateFolder, McpOptions.Backoff backoff, Listener listener) {
        this(stateFolder, backoff, registry(), listener);
    }

    /** As above, keeping the running servers in {@code registry}, which the tools that use them were given first. */
    public SessionMcpServers(Path stateFolder, McpOptions.Backoff backoff, RunningMcpServers<String, Watch> registry, Listener listener) {
        this.registry = registry;
        this.running = registry.byKey;
        this.stateFolder = stateFolder;
        this.backoff = backoff;
        this.listener = listener;
    }

    /** A registry for sessions' servers: built first, then given to {@link SessionMcpServers} and to who looks them up. */
    public static RunningMcpServers<String, Watch> registry() {
        return new RunningMcpServers<>();
    }

    /**
     * Runs {@code specs} (names unique) for session {@code sessionId} of the project at {@code root}, instead of what it
     * ran: unchanged servers keep running, otherwise the old ones stop first (their processes killed) and the new ones
     * start in the background, local ones from {@code environment} (not Lathe's own); an empty list stops them all.
     * Answers the statuses now.
     */
    public List<McpServerStatus> set(String sessionId, Path root, List<McpServerSpec> specs, Map<String, String> environment) {
        List<McpServerSpec> list = List.copyOf(specs);
        if (list.isEmpty()) {
            close(sessionId);
            return List.of();
        }
        running.compute(sessionId, (id, old) -> {
            if (old != null && old.kept().root().equals(root) && old.specs().equals(list)) {
                old.kept().watchedAt().set(System.nanoTime());  // its client just spoke
                return old;
            }
            if (old != null) old.connections().close();
            var options = new McpOptions(stateFolder.resolve("mcp").resolve("session-" + id), backoff, McpOptions.DEFAULT_HEALTH_CHECK,
                    spec -> spec.toolsChangeConsumer(changed -> listener.toolsChanged()), Optional.empty()).withElicitor(listener.elicitor(id))
                    .withEnvironment(environment);
            Map<String, McpSecrets> secrets = RunningMcpServers.secrets(list);
            return new RunningMcpServers.Running<>(list, McpConnections.start(list, options,
                    status -> listener.status(id, root, RunningMcpServers.scrubbed(secrets, status))), new Watch(root, new AtomicLong(System.nanoTime())));
        });
        return statuses(sessionId);
    }

    /** Every server's status of session {@code sessionId}, in the order given; empty when it has none. */
    public List<McpServerStatus> statuses(String sessionId) { return registry.statuses(sessionId); }

    /**
     * The servers of session {@code sessionId} that are starting now (or connected, their tools perhaps still being
     * fetched), each with its configured timeout: what a call to one of their tools waits for, as a project's (DESIGN §18).
     */
    public Map<String, Duration> starting(String sessionId) { return registry.starting(sessionId); }

    /** The names of the servers session {@code sessionId} brought. */
    public Set<String> names(String sessionId) {
        var r = running.get(sessionId);
        if (r == null) return Set.of();
        var out = new java.util.LinkedHashSet<String>();
        r.specs().forEach(s -> out.add(s.name()));
        return out;
    }

    /** The connected client of server {@code name} of session {@code sessionId}, with its timeout. */
    public Optional<McpExtensionTools.Connected> client(String sessionId, String name) { return registry.client(sessionId, name); }

    /** The project roots of the sessions that run servers now. */
    public Set<Path> roots() {
        var out = new java.util.HashSet<Path>();
        running.values().forEach(r -> out.add(r.kept().root()));
        return out;
    }

    /** Stops the servers of session {@code sessionId}; nothing when it has none. */
    public void close(String sessionId) {
        var r = running.remove(sessionId);
        if (r != null) r.connections().close();
    }

    /** Sets how long servers run unwatched before {@link #closeUnwatched} stops them ({@link #UNWATCHED_GRACE}; tests shorten it). */
    public void closeUnwatchedAfter(Duration grace) { this.unwatchedGrace = grace; }

    /**
     * Stops the servers of every session that {@code watched} (session id, project root) has said no to for the grace
     * ({@link #UNWATCHED_GRACE}) since it last said yes or since {@link #set}; the sessions whose servers stopped.
     * Called periodically: a "yes" restarts the count.
     */
    public Set<String> closeUnwatched(BiPredicate<String, Path> watched) {
        long now = System.nanoTime();
        long grace = unwatchedGrace.toNanos();
        var closed = new java.util.HashSet<String>();
        running.forEach((id, r) -> {
            if (watched.test(id, r.kept().root())) {
                r.kept().watchedAt().set(now);
            } else if (now - r.kept().watchedAt().get() >= grace && running.remove(id, r)) {
                r.connections().close();
                closed.add(id);
            }
        });
        return closed;
    }

    /** Stops the servers of every session of the project at {@code root}; the sessions whose servers stopped. */
    public Set<String> closeProject(Path root) {
        var closed = new java.util.HashSet<String>();
        running.forEach((id, r) -> {
            if (r.kept().root().equals(root)) closed.add(id);
        });
        closed.forEach(this::close);
        return closed;
    }

    /** Stops every session's servers. */
    @Override
    public void close() {
        List.copyOf(running.keySet()).parallelStream().forEach(this::close);
    }
}
