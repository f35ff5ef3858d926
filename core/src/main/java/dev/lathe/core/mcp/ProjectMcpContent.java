package dev.lathe.core.mcp;

import dev.lathe.mcp.McpServerSpec;
import dev.lathe.mcp.McpServerStatus;
import dev.lathe.mcp.bridge.ResourceMention;
import dev.lathe.mcp.bridge.ServerPrompts;
import dev.lathe.mcp.bridge.ServerResources;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.McpResourceInfo;
import dev.lathe.mcp.client.ServerClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@link McpContent} over the connections of {@link ProjectMcpServers}. Each connected server's prompts and resources
 * are fetched once it connects ({@link #status}, on a virtual thread) and again after it says they changed
 * ({@link #listChanged}) or when its client is a new one (it reconnected); lists are answered from that catalog. A
 * server's catalog belongs to the client it was fetched with, so a restarted server is never described by its old list.
 */
public final class ProjectMcpContent implements McpContent {
    private static final System.Logger LOG = System.getLogger(ProjectMcpContent.class.getName());
    private static final Duration POLL = Duration.ofMillis(50);

    private record Key(Path root, String server) {}

    /** What one connection listed; empty lists until fetched. */
    private static final class Catalog {
        final String server;
        final ServerClient client;
        volatile List<ServerPrompts.PromptCommand> prompts = List.of();
        volatile List<ServerResources.Listed> resources = List.of();
        volatile boolean fetched;
        final AtomicBoolean stale = new AtomicBoolean(false);
        final AtomicBoolean fetching = new AtomicBoolean(false);

        Catalog(String server, ServerClient client) {
            this.server = server;
            this.client = client;
        }
    }

    /** The projects' running servers, looked up by root. */
    private final RunningMcpServers<Path, ?> servers;
    private final Map<Key, Catalog> catalogs = new ConcurrentHashMap<>();

    public ProjectMcpContent(ProjectMcpServers servers) {
        this(servers.running());
    }

    /** Over the registry {@code servers} keeps its running servers in (built before them: they tell this content). */
    public ProjectMcpContent(RunningMcpServers<Path, ?> servers) {
        this.servers = servers;
    }

    /** A server of the project at {@code root} changed status: a connected one is listed in the background. */
    public void status(Path root, McpServerStatus status) {
        if (status.phase() == McpServerStatus.Phase.CONNECTED) {
            Thread.ofVirtual().name("mcp-catalog-" + status.name()).start(() -> servers.client(root, status.name())
                    .ifPresent(c -> refresh(catalog(new Key(root, status.name()), c.client()))));
        } else if (status.phase() == McpServerStatus.Phase.DISABLED) {
            catalogs.remove(new Key(root, status.name()));
        }
    }

    /** Some server announced that its prompts or resources changed: every catalog is fetched again at its next use. */
    public void listChanged() {
        catalogs.values().forEach(c -> c.stale.set(true));
    }

    /** The project at {@code root} closed: its catalogs are forgotten. */
    public void close(Path root) {
        catalogs.keySet().removeIf(k -> k.root().equals(root));
    }

    @Override
    public List<Attached> attach(Path root, Map<String, McpServerSpec> configured, String text) {
        var out = new ArrayList<Attached>();
        for (ResourceMention m : ResourceMention.in(text)) {
            String what = m + " was not attached: ";
            ServerClient client = connected(root, configured, m.server(), what);
            try {
                ServerResources.Attached read = new ServerResources(m.server(), client).read(m.uri());
                out.add(new Attached(m, read.text(), read.attachments()));
            } catch (ServerResources.ResourceFailure e) {
                throw new LatheException.InvalidInput("mcp_resource", e.getMessage());
            }
        }
        return out;
    }

    @Override
    public List<McpResourceInfo> resources(Path root, Map<String, McpServerSpec> configured) {
        var out = new ArrayList<McpResourceInfo>();
        for (String name : configured.keySet()) {
            listed(root, name).ifPresent(c -> c.resources.forEach(r ->
                    out.add(new McpResourceInfo(name, r.uri(), r.name(), r.description(), r.mimeType(), r.template()))));
        }
        return out;
    }

    @Override
    public List<ServerPrompts.PromptCommand> prompts(Path root, Map<String, McpServerSpec> configured) {
        var out = new ArrayList<ServerPrompts.PromptCommand>();
        for (String name : configured.keySet()) listed(root, name).ifPresent(c -> out.addAll(c.prompts));
        return out;
    }

    @Override
    public Optional<ServerPrompts.PromptCommand> prompt(Path root, Map<String, McpServerSpec> configured, String command) {
        int colon = command.indexOf(':');
        if (colon <= 0 || !configured.containsKey(command.substring(0, colon))) return Optional.empty();
        String server = command.substring(0, colon);
        ServerClient client = connected(root, configured, server, "/" + command + " cannot run: ");
        Catalog catalog = catalog(new Key(root, server), client);
        Optional<ServerPrompts.PromptCommand> found = find(catalog, command);
        if (found.isEmpty() || !catalog.fetched) {
            // listed before the server added it, or not listed yet (the command came right after it connected)
            fetch(catalog);
            found = find(catalog, command);
        }
        if (found.isPresent()) return found;
        List<String> names = catalog.prompts.stream().map(p -> "/" + p.command()).toList();
        throw new LatheException.NotFound("MCP server " + server + " has no prompt " + command.substring(colon + 1)
                + (names.isEmpty() ? " (it offers none)" : "; its prompts: " + String.join(", ", names)));
    }

    @Override
    public ServerPrompts.Expanded expand(Path root, Map<String, McpServerSpec> configured, ServerPrompts.PromptCommand command, String arguments) {
        String server = command.command().substring(0, command.command().indexOf(':'));
        ServerClient client = connected(root, configured, server, "/" + command.command() + " cannot run: ");
        try {
            return new ServerPrompts(server, client).expand(command, arguments);
        } catch (ServerPrompts.PromptFailure e) {
            throw new LatheException.InvalidInput("mcp_prompt", e.getMessage());
        }
    }

    private static Optional<ServerPrompts.PromptCommand> find(Catalog catalog, String command) {
        return catalog.prompts.stream().filter(p -> p.command().equals(command)).findFirst();
    }

    /** The catalog of a connected server, fetched again in the background when stale; empty when it is not connected. */
    private Optional<Catalog> listed(Path root, String server) {
        return servers.client(root, server).map(c -> {
            Catalog catalog = catalog(new Key(root, server), c.client());
            if ((catalog.stale.get() || !catalog.fetched) && catalog.fetching.compareAndSet(false, true)) {
                Thread.ofVirtual().name("mcp-catalog-" + server).start(() -> {
                    try {
                        fetch(catalog);
                    } finally {
                        catalog.fetching.set(false);
                    }
                });
            }
            return catalog;
        });
    }

    private Catalog catalog(Key key, ServerClient client) {
        return catalogs.compute(key, (k, old) -> old != null && old.client == client ? old : new Catalog(k.server(), client));
    }

    private static void refresh(Catalog catalog) {
        if (!catalog.fetching.compareAndSet(false, true)) return;
        try {
            fetch(catalog);
        } finally {
            catalog.fetching.set(false);
        }
    }

    /** Lists the server's prompts and resources now; a failing list keeps the last one and is tried again next time. */
    private static void fetch(Catalog catalog) {
        catalog.stale.set(false);
        try {
            catalog.prompts = List.copyOf(new ServerPrompts(catalog.server, catalog.client).commands());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "prompts/list failed: {0}", e.getMessage());
        }
        try {
            catalog.resources = List.copyOf(new ServerResources(catalog.server, catalog.client).list());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "resources/list failed: {0}", e.getMessage());
        }
        // a failed list (a server without prompts or resources answers "method not found") keeps the last one: it is
        // asked again when the server says its lists changed or reconnects, not at every listing
        catalog.fetched = true;
    }

    /**
     * The client of configured server {@code server}, waiting while it starts (up to its timeout).
     * @param what how the refusal begins ({@code @NAME:uri was not attached: })
     */
    private ServerClient connected(Path root, Map<String, McpServerSpec> configured, String server, String what) {
        McpServerSpec spec = configured.get(server);
        if (spec == null) {
            throw new LatheException.InvalidInput("mcp_unknown_server", what + "no MCP server is called " + server + " in this folder ("
                    + (configured.isEmpty() ? "it configures none" : "its servers: " + String.join(", ", configured.keySet())) + ")");
        }
        long deadline = System.nanoTime() + spec.timeout().toNanos();
        while (true) {
            Optional<McpExtensionTools.Connected> client = servers.client(root, server);
            if (client.isPresent()) return client.get().client();
            Optional<McpServerStatus> status = servers.statuses(root).stream().filter(s -> s.name().equals(server)).findFirst();
            McpServerStatus.Phase phase = status.map(McpServerStatus::phase).orElse(McpServerStatus.Phase.STARTING);
            String error = status.flatMap(McpServerStatus::lastError).map(e -> ": " + e).orElse("");
            switch (phase) {
                case DISABLED -> throw new LatheException.Unavailable("mcp_unavailable", what + "MCP server " + server + " is disabled in the config");
                case NEEDS_AUTH -> throw new LatheException.Unavailable("mcp_unavailable", what + "MCP server " + server
                        + " needs a sign-in (run lathe mcp auth " + server + ")");
                case FAILED -> throw new LatheException.Unavailable("mcp_unavailable", what + "MCP server " + server + " is not connected" + error
                        + " (lathe mcp list shows its state)");
                case STARTING, CONNECTED -> {
                    if (System.nanoTime() > deadline) {
                        throw new LatheException.Unavailable("mcp_unavailable", what + "MCP server " + server + " did not connect within "
                                + spec.timeout().toSeconds() + " s" + error);
                    }
                    sleep();
                }
            }
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LatheException.Conflict("interrupted while waiting for an MCP server");
        }
    }
}
