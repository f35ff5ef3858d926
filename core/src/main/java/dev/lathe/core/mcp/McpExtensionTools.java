package dev.lathe.core.mcp;

import dev.lathe.core.toolcall.ExtensionTools;
import dev.lathe.mcp.Elicitor;
import dev.lathe.mcp.McpServerStatus;
import dev.lathe.mcp.bridge.QuestionElicitor;
import dev.lathe.mcp.bridge.RunningCalls;
import dev.lathe.mcp.bridge.DeferredTools;
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
 * <p>{@link #status} is the listener {@link ProjectMcpServers} is given; {@link #listChanged} is the SDK's
 * {@code toolsChangeConsumer} (the client hook knows no server name, so any server's change refetches every list of
 * the projects: a few cheap {@code tools/list} calls, rare).
 */
public final class McpExtensionTools implements ExtensionTools {
    private static final System.Logger LOG = System.getLogger(McpExtensionTools.class.getName());

    /** One project's servers' tools, what its sessions are offered, and the calls running on its servers now. */
    private record ProjectTools(Map<String, ServerTools> servers, DeferredTools deferred, RunningCalls calls) {}

    private final Map<Path, ProjectTools> projects = new ConcurrentHashMap<>();
    /** Asked only once a project has MCP tools: counting the built-ins' tokens loads the tokenizer (issue 43). */
    private final java.util.function.IntSupplier allowanceTokens;
    /** The tokens the extension tools offered before MCP's take in a project (they share the allowance); none until wired. */
    private volatile ToIntFunction<Path> spentBefore = root -> 0;
    private final ToIntFunction<Tool<?>> tokens;
    private final ClientLookup clients;

    /** How the connected client of a project's server, and how long a call on it may take, are found. */
    @FunctionalInterface
    public interface ClientLookup {
        Optional<Connected> client(Path root, String server);
    }

    /** A connected server's client and its configured {@code timeout}, which bounds each tool call. */
    public record Connected(ServerClient client, Duration timeout) {}

    /**
     * @param allowanceTokens the tokens left for MCP tool definitions in the first request (DESIGN §16); at most 0
     *     means MCP tools are always deferred behind {@code tool_search}
     * @param tokens how many tokens one tool's definition costs
     */
    public McpExtensionTools(int allowanceTokens, ToIntFunction<Tool<?>> tokens, ClientLookup clients) {
        this(() -> allowanceTokens, tokens, clients);
    }

    /** As above, the allowance asked for when first needed (and as often as needed: the caller caches it). */
    public McpExtensionTools(java.util.function.IntSupplier allowanceTokens, ToIntFunction<Tool<?>> tokens, ClientLookup clients) {
        this.allowanceTokens = allowanceTokens;
        this.tokens = tokens;
        this.clients = clients;
    }

    /**
     * Charges what the extension tools offered before MCP's take in a project ({@code spent}: tokens by project root) to
     * the MCP allowance, so the first request stays within DESIGN §16's budget however the tools are split.
     */
    public void shareAllowanceWith(ToIntFunction<Path> spent) {
        this.spentBefore = spent;
    }

    @Override
    public List<Tool<?>> offered(Path projectDir, String sessionId) {
        ProjectTools p = projects.get(projectDir);
        return p == null ? List.of() : p.deferred().offered(sessionId);
    }

    @Override
    public Optional<Tool<?>> find(Path projectDir, String name) {
        ProjectTools p = projects.get(projectDir);
        return p == null ? Optional.empty() : p.deferred().find(name);
    }

    /** A server of the project at {@code root} changed status: a connected one gets its tools (in the background). */
    public void status(Path root, McpServerStatus status) {
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
    public Elicitor elicitor(Path root) {
        // looked up when the server asks, so a project closed and opened again asks through its current calls
        return (server, request) -> new QuestionElicitor(project(root).calls()).elicit(server, request);
    }

    /** Some server announced {@code tools/list_changed}: every known list is fetched again at its next use. */
    public void listChanged() {
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
    }

    /**
     * The tools of the connected servers of the project at {@code root} but those named in {@code hidden} (a session's
     * own servers of those names replace them), unsorted; never waits on a server.
     */
    public List<Tool<?>> serverTools(Path root, java.util.Set<String> hidden) {
        ProjectTools p = projects.get(root);
        if (p == null) return List.of();
        var out = new ArrayList<Tool<?>>();
        p.servers().forEach((name, tools) -> {
            if (!hidden.contains(name)) out.addAll(tools.tools());
        });
        return out;
    }

    /** The tokens left for MCP tool definitions in the first request of a session of the project at {@code root}. */
    public int allowance(Path root) {
        return allowanceTokens.getAsInt() - spentBefore.applyAsInt(root);
    }

    /** What {@code tool}'s definition costs in a request. */
    public int tokens(Tool<?> tool) {
        return tokens.applyAsInt(tool);
    }

    private ProjectTools project(Path root) {
        return projects.computeIfAbsent(root, _ -> {
            Map<String, ServerTools> servers = new ConcurrentHashMap<>();
            return new ProjectTools(servers, new DeferredTools(() -> all(servers), () -> allowanceTokens.getAsInt() - spentBefore.applyAsInt(root), tokens),
                    new RunningCalls());
        });
    }

    private static List<Tool<?>> all(Map<String, ServerTools> servers) {
        var out = new ArrayList<Tool<?>>();
        servers.values().forEach(s -> out.addAll(s.tools()));
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
