package dev.lathe.core.mcp;

import dev.lathe.core.toolcall.ExtensionTools;
import dev.lathe.mcp.Elicitor;
import dev.lathe.mcp.McpServerStatus;
import dev.lathe.mcp.bridge.DeferredTools;
import dev.lathe.mcp.bridge.McpTool;
import dev.lathe.mcp.bridge.McpToolName;
import dev.lathe.mcp.bridge.QuestionElicitor;
import dev.lathe.mcp.bridge.RunningCalls;
import dev.lathe.mcp.bridge.ServerTools;
import dev.lathe.tools.Tool;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The MCP tools as each session sees them: the project's ({@link McpExtensionTools}) and, for a session a client
 * brought servers for ({@link SessionMcpServers}), theirs too. Such a session gets its own {@link DeferredTools} over
 * both lists under the same allowance (all offered when they fit, else {@code tool_search}); a project server with the
 * name of one of the session's is hidden from that session (the session's wins: the editor's entry is the user's
 * latest word, and two servers of one name would give tools the same names). Its subagents' sessions (children, at
 * any depth) see what it sees, as its own work; every other session sees exactly the project's tools. A session
 * server's tools are fetched in the background when it connects, as the project's are.
 */
public final class SessionMcpTools implements ExtensionTools {
    private static final System.Logger LOG = System.getLogger(SessionMcpTools.class.getName());

    /** One session's servers: its project, the names it brought, their tools, what its requests carry, its calls. */
    private record Scope(Path root, Set<String> names, Map<String, ServerTools> servers, DeferredTools deferred, RunningCalls calls,
                         ServerOutages outages) {}

    /** How the connected client of a session's server is found. */
    @FunctionalInterface
    public interface ClientLookup {
        Optional<McpExtensionTools.Connected> client(String sessionId, String server);
    }

    private final McpExtensionTools project;
    private final ClientLookup clients;
    private final Map<String, Scope> sessions = new ConcurrentHashMap<>();
    /** A session's servers on their way (starting, or connected), with their timeouts, by session id. */
    private final java.util.function.Function<String, Map<String, Duration>> startingServers;
    /** The parent of a session, if it is a subagent's. */
    private final java.util.function.Function<String, Optional<String>> parents;

    /** Without starting servers to wait for, and no session with a parent. */
    public SessionMcpTools(McpExtensionTools project, ClientLookup clients) {
        this(project, clients, id -> Map.of(), id -> Optional.empty());
    }

    /**
     * {@code starting} finds a session's starting servers: while one is on its way its tools count as deferred, so
     * {@code tool_search} is offered from the first request and a call by exact name waits for it (as a project's do,
     * decision 133); {@code parents} finds a session's parent (a subagent's session sees its parent's servers).
     */
    public SessionMcpTools(McpExtensionTools project, ClientLookup clients, java.util.function.Function<String, Map<String, Duration>> starting,
            java.util.function.Function<String, Optional<String>> parents) {
        this.project = project;
        this.clients = clients;
        this.startingServers = starting;
        this.parents = parents;
    }

    /**
     * Session {@code sessionId} of the project at {@code root} now brings the servers {@code names} (none: it sees the
     * project's tools only again). Tools of servers it no longer brings go at once; those of a replaced server of the
     * same name are kept until it connects again, as a project server's are.
     */
    public void servers(String sessionId, Path root, Set<String> names) {
        if (names.isEmpty()) {
            sessions.remove(sessionId);
            return;
        }
        Set<String> given = Set.copyOf(names);
        sessions.compute(sessionId, (id, old) -> {
            Scope scope = old != null && old.root().equals(root) ? old : scope(id, root, old);
            scope.servers().keySet().retainAll(given);
            return new Scope(root, given, scope.servers(), scope.deferred(), scope.calls(), scope.outages());
        });
    }

    /**
     * A server of session {@code sessionId} changed status: a connected one gets its tools (in the background); one that
     * crashed while connected is waited for by a call, as a project's is (decision 133).
     */
    public void status(String sessionId, McpServerStatus status) {
        Scope scope = sessions.get(sessionId);
        if (scope != null) {
            scope.outages().status(status, Optional.ofNullable(scope.servers().get(status.name())).map(ServerTools::timeout));
        }
        switch (status.phase()) {
            case CONNECTED -> Thread.ofVirtual().name("mcp-tools-" + status.name()).start(() -> connected(sessionId, status.name()));
            case DISABLED -> Optional.ofNullable(sessions.get(sessionId)).ifPresent(s -> s.servers().remove(status.name()));
            case STARTING, FAILED, NEEDS_AUTH -> { }
        }
    }

    /** Who answers the elicitations of session {@code sessionId}'s servers: that session, through its question. */
    public Elicitor elicitor(String sessionId) {
        return (server, request) -> {
            Scope s = sessions.get(sessionId);
            return new QuestionElicitor(s == null ? new RunningCalls() : s.calls()).elicit(server, request);
        };
    }

    /** Some server announced {@code tools/list_changed}: every session server's list is fetched again at its next use. */
    public void listChanged() {
        sessions.values().forEach(s -> s.servers().values().forEach(ServerTools::listChanged));
    }

    /** Session {@code sessionId}'s servers stopped: it sees the project's tools only. */
    public void close(String sessionId) {
        sessions.remove(sessionId);
    }

    @Override
    public List<Tool<?>> offered(Path projectDir, String sessionId) {
        Scope s = scope(projectDir, sessionId);
        return s == null ? project.offered(projectDir, sessionId) : s.deferred().offered(sessionId);
    }

    @Override
    public Optional<Tool<?>> find(Path projectDir, String name) {
        return project.find(projectDir, name);
    }

    @Override
    public Optional<Tool<?>> find(Path projectDir, String sessionId, String name) {
        Scope s = scope(projectDir, sessionId);
        if (s == null) return project.find(projectDir, name);
        Optional<Tool<?>> found = s.deferred().find(name);
        String owner = owner(s);
        if (found.isPresent() && found.get() instanceof McpTool tool && s.names().contains(tool.server())) {
            return reachable(owner, s, tool, name);
        }
        if (found.isPresent() || name.equals(ExtensionTools.SEARCH_TOOL)) return found;
        // a tool of one of the session's servers still starting, called by its exact name: wait for it, up to its timeout
        for (var e : waiting(owner).entrySet()) {
            if (!name.startsWith(McpToolName.of(e.getKey(), ""))) continue;
            awaitTools(owner, Set.of(e.getKey()), e.getValue());
            return s.deferred().find(name);
        }
        // not the session's: a project server's tool (one starting is waited for there)
        return project.find(projectDir, name).filter(t -> !(t instanceof McpTool m) || !s.names().contains(m.server()));
    }

    /**
     * {@code tool} of one of the session's servers, or, when that server crashed, the same tool of the restarted server
     * once it is back (waiting up to the server's timeout), or a tool that fails at once when no restart is on its way.
     */
    private Optional<Tool<?>> reachable(String owner, Scope s, McpTool tool, String name) {
        String server = tool.server();
        if (s.outages().down(server).isEmpty() && live(owner, tool)) return Optional.of(tool);
        // the supervisor sees a crash a moment before its status reaches here: wait for the status first
        long deadline = System.nanoTime() + NOTICE.toNanos();
        while (System.nanoTime() < deadline && s.outages().down(server).isEmpty() && !live(owner, tool)) sleep(Duration.ofMillis(10));
        if (s.outages().down(server).isEmpty()) return Optional.of(tool);
        Duration wait = waiting(owner).get(server);
        if (wait != null) awaitTools(owner, Set.of(server), wait);
        Optional<Tool<?>> now = s.deferred().find(name);
        Optional<String> why = s.outages().down(server);
        if (now.isEmpty() || why.isEmpty() || !(now.get() instanceof McpTool again)) return now;
        return Optional.of(new UnreachableTool<>(again, server, why.get()));
    }

    /** Whether {@code tool}'s connection is the live one of its server (of session {@code owner}). */
    private boolean live(String owner, McpTool tool) {
        return clients.client(owner, tool.server()).map(c -> tool.callsThrough(c.client())).orElse(false);
    }

    /** The session that brought scope {@code s}'s servers. */
    private String owner(Scope s) {
        return sessions.entrySet().stream().filter(e -> e.getValue() == s).map(Map.Entry::getKey).findFirst().orElse("");
    }

    /** Session {@code sessionId}'s servers on their way whose tools are not known yet (starting, or restarting after a crash). */
    private Map<String, Duration> waiting(String sessionId) {
        Map<String, Duration> starting = startingServers.apply(sessionId);
        Scope s = sessions.get(sessionId);
        Map<String, Duration> restarting = s == null ? Map.of() : s.outages().restarting();
        if (starting.isEmpty() && restarting.isEmpty()) return Map.of();
        Map<String, Duration> out = new java.util.HashMap<>(restarting);
        out.putAll(starting);
        // a server whose tools came from its live connection is not waited for
        if (s != null) {
            out.keySet().removeIf(name -> (s.servers().containsKey(name) && s.outages().down(name).isEmpty()) || !s.names().contains(name));
        }
        return out;
    }

    /** The project's servers on their way that session {@code sessionId} sees (not those its own servers replace). */
    private Map<String, Duration> projectWaiting(String sessionId, Path root) {
        Map<String, Duration> starting = project.startingIn(root);
        if (starting.isEmpty()) return Map.of();
        Scope s = sessions.get(sessionId);
        Map<String, Duration> out = new java.util.HashMap<>(starting);
        if (s != null) out.keySet().removeAll(s.names());
        return out;
    }

    /** Waits until none of {@code names} is on its way without tools any more, or {@code timeout} passed. */
    private void awaitTools(String sessionId, Set<String> names, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && waiting(sessionId).keySet().stream().anyMatch(names::contains)) sleep(Duration.ofMillis(25));
    }

    /** The servers {@code sessionId} sees: its own, else its nearest ancestor's; null for the project's alone. */
    private Scope scope(Path projectDir, String sessionId) {
        // the common case, no session brought servers, costs no lookup of parents
        if (sessions.isEmpty()) return null;
        String id = sessionId;
        for (int depth = 0; depth < MAX_DEPTH; depth++) {
            Scope s = sessions.get(id);
            if (s != null) return s.root().equals(projectDir) ? s : null;
            Optional<String> parent = parent(id);
            if (parent.isEmpty()) return null;
            id = parent.get();
        }
        return null;
    }

    /** The parent of session {@code id}; none when it has none or the lookup fails (it never fails a step). */
    private Optional<String> parent(String id) {
        try {
            return parents.apply(id);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "no parent found for session " + id, e);
            return Optional.empty();
        }
    }

    /** How long a call waits for a crash of its server's connection to be noticed (it usually takes milliseconds). */
    private static final Duration NOTICE = Duration.ofSeconds(5);

    /** Subagents nest far less deeply than this; a bound keeps a corrupt parent chain from looping. */
    private static final int MAX_DEPTH = 16;

    private Scope scope(String sessionId, Path root, Scope old) {
        Map<String, ServerTools> servers = old == null ? new ConcurrentHashMap<>() : old.servers();
        RunningCalls calls = old == null ? new RunningCalls() : old.calls();
        // the session's servers and the project's it sees: while any is on its way, tool_search is offered and waits
        DeferredTools.Starting starting = new DeferredTools.Starting() {
            @Override public boolean any() { return !waiting(sessionId).isEmpty() || !projectWaiting(sessionId, root).isEmpty(); }

            @Override public void await() {
                Map<String, Duration> own = waiting(sessionId);
                Map<String, Duration> shared = projectWaiting(sessionId, root);
                awaitTools(sessionId, own.keySet(), own.values().stream().max(Duration::compareTo).orElse(Duration.ZERO));
                project.awaitStarting(root, shared.keySet(), shared.values().stream().max(Duration::compareTo).orElse(Duration.ZERO));
            }
        };
        var deferred = new DeferredTools(() -> all(sessionId), () -> project.allowance(root), project::tokens, starting);
        ServerOutages outages = old == null ? new ServerOutages() : old.outages();
        return new Scope(root, Set.of(), servers, deferred, calls, outages);
    }

    /** The project's tools but those of servers the session replaces, then the session's servers' tools. */
    private List<Tool<?>> all(String sessionId) {
        Scope s = sessions.get(sessionId);
        if (s == null) return List.of();
        var out = new ArrayList<Tool<?>>(project.serverTools(s.root(), s.names()));
        s.servers().values().forEach(t -> out.addAll(t.tools()));
        return out;
    }

    private void connected(String sessionId, String name) {
        // the status can arrive before SessionMcpServers.set has stored the connections: wait a moment for them
        Optional<McpExtensionTools.Connected> client = Optional.empty();
        for (int i = 0; i < 100 && client.isEmpty(); i++) {
            client = clients.client(sessionId, name);
            if (client.isEmpty()) sleep(Duration.ofMillis(20));
        }
        Scope s = sessions.get(sessionId);
        if (client.isEmpty() || s == null || !s.names().contains(name)) return;
        var tools = new ServerTools(name, client.get().client(), client.get().timeout(), s.calls());
        if (!tools.refresh()) LOG.log(System.Logger.Level.DEBUG, "MCP server {0} of session {1}: tools/list failed, retried at the next step", name, sessionId);
        s.servers().put(name, tools);
        s.outages().up(name);
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
