package dev.lathe.core.mcp;

import dev.lathe.core.toolcall.ExtensionTools;
import dev.lathe.mcp.Elicitor;
import dev.lathe.mcp.McpServerStatus;
import dev.lathe.mcp.bridge.McpTool;
import dev.lathe.mcp.bridge.QuestionElicitor;
import dev.lathe.mcp.bridge.RunningCalls;
import dev.lathe.mcp.bridge.DeferredTools;
import dev.lathe.mcp.bridge.McpToolName;
import dev.lathe.mcp.bridge.ServerTools;
import dev.lathe.tools.Tool;
import dev.lathe.mcp.client.ServerClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToIntFunction;

/**
 * {@link ExtensionTools} over the MCP servers of each open project (decision 87): one {@link ServerTools} per connected
 * server, built when the server reports {@code connected} and its list fetched on a background thread (never in a
 * step), and one {@link DeferredTools} per project over all its servers' tools. A server that goes down keeps offering
 * what it offered (a call gives the model a readable error) until it connects again, with a new client, or the
 * project closes.
 *
 * <p>It hears the project's servers ({@link ProjectMcpServers.Listener}): {@link #status}, and {@link #toolsChanged}
 * from the SDK's {@code toolsChangeConsumer} (the client hook knows no server name, so any server's change refetches
 * every list of the projects: a few cheap {@code tools/list} calls, rare).
 */
public final class McpExtensionTools implements ExtensionTools, ProjectMcpServers.Listener {
    private static final System.Logger LOG = System.getLogger(McpExtensionTools.class.getName());
    /** How long a call waits for a crash its server's supervisor saw to reach {@link #status} (normally milliseconds). */
    private static final Duration NOTICE = Duration.ofSeconds(5);

    /** One project's servers' tools, what its sessions are offered, and the calls running on its servers now. */
    private record ProjectTools(Map<String, ServerTools> servers, DeferredTools deferred, RunningCalls calls, ServerOutages outages) {}

    private final Map<Path, ProjectTools> projects = new ConcurrentHashMap<>();
    /** Asked only once a project has MCP tools: counting the built-ins' tokens loads the tokenizer (issue 43). */
    private final ToolAllowance allowance;
    private final ClientLookup clients;
    /** The servers of a project not connected yet but on their way, with their timeouts. */
    private final StartingLookup startingServers;
    /** The servers of a project whose tools are offered through Code Mode, not one each (DESIGN §28). */
    private final CodeModeLookup codeMode;

    /** Which configured servers of a project offer their tools through Code Mode. */
    @FunctionalInterface
    public interface CodeModeLookup {
        java.util.Set<String> servers(Path root);
    }

    /** How the connected client of a project's server, and how long a call on it may take, are found. */
    @FunctionalInterface
    public interface ClientLookup {
        Optional<Connected> client(Path root, String server);
    }

    /**
     * The servers of a project that are starting now (a first start, or a restart after a crash or a change), each
     * with its configured {@code timeout}: their tools are not known yet, and a call waits for them.
     */
    @FunctionalInterface
    public interface StartingLookup {
        Map<String, Duration> starting(Path root);
    }

    /** A connected server's client and its configured {@code timeout}, which bounds each tool call. */
    public record Connected(ServerClient client, Duration timeout) {}

    /**
     * @param allowanceTokens the tokens left for MCP tool definitions in the first request (DESIGN §16); at most 0
     *     means MCP tools are always deferred behind {@code tool_search}
     * @param tokens how many tokens one tool's definition costs
     */
    public McpExtensionTools(int allowanceTokens, ToIntFunction<Tool<?>> tokens, ClientLookup clients) {
        this(ToolAllowance.fixed(allowanceTokens, tokens), clients, root -> Map.of());
    }

    /**
     * As above, the room for MCP tools asked of {@code allowance} when first needed (and as often as needed: it caches
     * what is costly); {@code starting} finds the starting servers of a project (DESIGN §18: a call waits for a
     * starting server).
     */
    public McpExtensionTools(ToolAllowance allowance, ClientLookup clients, StartingLookup starting) {
        this(allowance, clients, starting, root -> java.util.Set.of());
    }

    /** As above, the servers {@code codeMode} names offered through {@code mcp_search}/{@code mcp_execute} instead. */
    public McpExtensionTools(ToolAllowance allowance, ClientLookup clients, StartingLookup starting, CodeModeLookup codeMode) {
        this.codeMode = codeMode;
        this.allowance = allowance;
        this.clients = clients;
        this.startingServers = starting;
    }

    @Override
    public List<Tool<?>> offered(Path projectDir, String sessionId) {
        ProjectTools p = projects.get(projectDir);
        if (p == null && waiting(projectDir).isEmpty()) return List.of();
        return (p == null ? project(projectDir) : p).deferred().offered(sessionId);
    }

    @Override
    public Optional<Tool<?>> find(Path projectDir, String name) {
        ProjectTools p = projects.get(projectDir);
        if (p == null && waiting(projectDir).isEmpty()) return Optional.empty();
        p = p == null ? project(projectDir) : p;
        Optional<Tool<?>> found = lookup(projectDir, p, name);
        if (found.isPresent() && found.get() instanceof McpTool tool) return reachable(projectDir, p, tool, name);
        if (found.isPresent() || name.equals(ExtensionTools.SEARCH_TOOL)) return found;
        // a tool of a server still starting, called by its exact name: wait for that server, up to its timeout
        for (var e : waiting(projectDir).entrySet()) {
            if (!name.startsWith(McpToolName.of(e.getKey(), ""))) continue;
            awaitTools(projectDir, java.util.Set.of(e.getKey()), e.getValue());
            return lookup(projectDir, p, name);
        }
        return found;
    }

    /** The tool called {@code name}: offered one each or deferred, or of a server in Code Mode (run by {@code mcp_execute}). */
    private Optional<Tool<?>> lookup(Path root, ProjectTools p, String name) {
        // never waits: mcp_execute waited for the servers in Code Mode (codeModeTools) before its script called any
        return p.deferred().find(name).or(() -> connectedCodeModeTools(root).stream().filter(t -> t.name().equals(name)).findFirst());
    }

    /** Whether some configured server of the project at {@code root} offers its tools through Code Mode. */
    public boolean codeModeOn(Path root) {
        return !codeMode.servers(root).isEmpty();
    }

    /**
     * The tools of the project's connected servers in Code Mode, sorted by name, after waiting (each at most its
     * timeout) for those still on their way: what {@code mcp_search} searches and {@code mcp_execute} may call.
     */
    public List<Tool<?>> codeModeTools(Path root) {
        java.util.Set<String> names = codeMode.servers(root);
        if (names.isEmpty()) return List.of();
        Map<String, Duration> starting = new java.util.HashMap<>(waiting(root));
        starting.keySet().retainAll(names);
        if (!starting.isEmpty()) awaitTools(root, starting.keySet(), starting.values().stream().max(Duration::compareTo).orElse(Duration.ZERO));
        return connectedCodeModeTools(root);
    }

    /** The tools of the project's connected servers in Code Mode, sorted by name; never waits. */
    private List<Tool<?>> connectedCodeModeTools(Path root) {
        java.util.Set<String> names = codeMode.servers(root);
        if (names.isEmpty()) return List.of();
        ProjectTools p = projects.get(root);
        if (p == null) return List.of();
        var out = new ArrayList<Tool<?>>();
        p.servers().forEach((name, tools) -> {
            if (names.contains(name)) out.addAll(tools.tools());
        });
        out.sort(java.util.Comparator.comparing(Tool::name));
        return List.copyOf(out);
    }

    /**
     * {@code tool} (found by {@code name}), or, when its server crashed, the same tool of the restarted server once it is
     * back (waiting up to the server's timeout), or a tool that fails at once when no restart is on its way.
     */
    private Optional<Tool<?>> reachable(Path root, ProjectTools p, McpTool tool, String name) {
        String server = tool.server();
        if (p.outages().down(server).isEmpty() && live(root, tool)) return Optional.of(tool);
        // the server's supervisor sees a crash a moment before its status reaches this class: a call in that moment
        // would go to the dead client and wait for the SDK's timeout, so it waits for the status first
        awaitNoticed(root, p, tool);
        if (p.outages().down(server).isEmpty()) return Optional.of(tool);
        Duration wait = waiting(root).get(server);
        if (wait != null) awaitTools(root, java.util.Set.of(server), wait);
        Optional<Tool<?>> now = p.deferred().find(name);
        Optional<String> why = p.outages().down(server);
        if (now.isEmpty() || why.isEmpty()) return now;
        return Optional.of(new UnreachableTool<>((McpTool) now.get(), server, why.get()));
    }

    /** Whether {@code tool}'s connection is its server's live one. */
    private boolean live(Path root, McpTool tool) {
        return clients.client(root, tool.server()).map(c -> tool.callsThrough(c.client())).orElse(false);
    }

    /** Waits (a few seconds at most) until the crash of {@code tool}'s connection is recorded, or it is live again. */
    private void awaitNoticed(Path root, ProjectTools p, McpTool tool) {
        long deadline = System.nanoTime() + NOTICE.toNanos();
        while (System.nanoTime() < deadline && p.outages().down(tool.server()).isEmpty() && !live(root, tool)) sleep(Duration.ofMillis(10));
    }

    /**
     * The project's servers on their way whose tools are not known yet: starting, or connected with their list still
     * being fetched.
     */
    private Map<String, Duration> waiting(Path root) {
        Map<String, Duration> starting = startingServers.starting(root);
        ProjectTools p = projects.get(root);
        if (p == null) return starting;
        Map<String, Duration> restarting = p.outages().restarting();
        if (starting.isEmpty() && restarting.isEmpty()) return Map.of();
        Map<String, Duration> out = new java.util.HashMap<>(restarting);
        out.putAll(starting);
        // a server whose tools came from its live connection is not waited for
        out.keySet().removeIf(name -> p.servers().containsKey(name) && p.outages().down(name).isEmpty());
        return out;
    }

    /** The project's servers on their way without tools yet, for a session's own list (which shares them). */
    Map<String, Duration> startingIn(Path root) { return direct(root, waiting(root)); }

    /** Waits until none of {@code names} of the project at {@code root} is on its way without tools, or {@code timeout} passed. */
    void awaitStarting(Path root, java.util.Set<String> names, Duration timeout) { awaitTools(root, names, timeout); }

    /** Waits until none of {@code names} is on its way without tools any more, or {@code timeout} passed. */
    private void awaitTools(Path root, java.util.Set<String> names, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && waiting(root).keySet().stream().anyMatch(names::contains)) {
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** A server of the project at {@code root} changed status: a connected one gets its tools (in the background). */
    @Override
    public void status(Path root, McpServerStatus status) {
        ProjectTools p = project(root);
        p.outages().status(status, Optional.ofNullable(p.servers().get(status.name())).map(ServerTools::timeout));
        switch (status.phase()) {
            case CONNECTED -> Thread.ofVirtual().name("mcp-tools-" + status.name()).start(() -> connected(root, status.name()));
            case DISABLED -> project(root).servers().remove(status.name());
            case STARTING, FAILED, NEEDS_AUTH -> { }
        }
    }

    /**
     * Who answers the elicitations of the project at {@code root}'s servers: the session whose tool call runs on the
     * asking server, through its question (decision 91); cancelled at once when no call runs there.
     */
    @Override
    public Elicitor elicitor(Path root) {
        // looked up when the server asks, so a project closed and opened again asks through its current calls
        return (server, request) -> new QuestionElicitor(project(root).calls()).elicit(server, request);
    }

    /** Some server announced {@code tools/list_changed}: every known list is fetched again at its next use. */
    @Override
    public void toolsChanged() {
        projects.values().forEach(p -> p.servers().values().forEach(ServerTools::listChanged));
    }

    /** The project at {@code root} now configures only {@code names}: the tools of servers no longer configured go. */
    public void retain(Path root, java.util.Set<String> names) {
        ProjectTools p = projects.get(root);
        if (p != null) p.servers().keySet().retainAll(names);
    }

    /** The project at {@code root} closed: its tools and what its sessions found are forgotten. */
    public void close(Path root) {
        projects.remove(root);
    }

    private void connected(Path root, String name) {
        // the status can arrive before ProjectMcpServers.open has returned the connections: wait a moment for them
        Optional<Connected> client = Optional.empty();
        for (int i = 0; i < 100 && client.isEmpty(); i++) {
            client = clients.client(root, name);
            if (client.isEmpty()) sleep(Duration.ofMillis(20));
        }
        if (client.isEmpty()) return;
        var tools = new ServerTools(name, client.get().client(), client.get().timeout(), project(root).calls());
        if (!tools.refresh()) LOG.log(System.Logger.Level.DEBUG, "MCP server {0}: tools/list failed, retried at the next step", name);
        project(root).servers().put(name, tools);
        project(root).outages().up(name);
    }

    /**
     * The tools of the connected servers of the project at {@code root} but those named in {@code hidden} (a session's
     * own servers of those names replace them), unsorted; never waits on a server.
     */
    public List<Tool<?>> serverTools(Path root, java.util.Set<String> hidden) {
        ProjectTools p = projects.get(root);
        if (p == null) return List.of();
        var out = new ArrayList<Tool<?>>();
        java.util.Set<String> coded = codeMode.servers(root);
        p.servers().forEach((name, tools) -> {
            if (!hidden.contains(name) && !coded.contains(name)) out.addAll(tools.tools());
        });
        return out;
    }

    /** The tokens left for MCP tool definitions in the first request of a session of the project at {@code root}. */
    public int allowance(Path root) {
        return allowance.left(root);
    }

    /** What {@code tool}'s definition costs in a request. */
    public int tokens(Tool<?> tool) {
        return allowance.cost(tool);
    }

    private ProjectTools project(Path root) {
        return projects.computeIfAbsent(root, _ -> {
            Map<String, ServerTools> servers = new ConcurrentHashMap<>();
            // a server in Code Mode is searched through mcp_search: its start does not offer tool_search
            DeferredTools.Starting starting = new DeferredTools.Starting() {
                @Override public boolean any() { return !direct(root, waiting(root)).isEmpty(); }

                @Override public void await() {
                    Map<String, Duration> now = direct(root, waiting(root));
                    Duration longest = now.values().stream().max(Duration::compareTo).orElse(Duration.ZERO);
                    awaitTools(root, now.keySet(), longest);
                }
            };
            return new ProjectTools(servers, new DeferredTools(() -> all(root, servers), () -> allowance.left(root), allowance::cost,
                    starting), new RunningCalls(), new ServerOutages());
        });
    }

    /** The tools of {@code servers} offered one each: those of servers in Code Mode are not. */
    private List<Tool<?>> all(Path root, Map<String, ServerTools> servers) {
        java.util.Set<String> coded = codeMode.servers(root);
        var out = new ArrayList<Tool<?>>();
        servers.forEach((name, s) -> {
            if (!coded.contains(name)) out.addAll(s.tools());
        });
        return out;
    }

    /** {@code servers} but those in Code Mode. */
    private Map<String, Duration> direct(Path root, Map<String, Duration> servers) {
        java.util.Set<String> coded = codeMode.servers(root);
        if (coded.isEmpty()) return servers;
        Map<String, Duration> out = new java.util.HashMap<>(servers);
        out.keySet().removeAll(coded);
        return out;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
