package dev.lathe.core;

import dev.lathe.core.api.LocalLathe;
import dev.lathe.core.auth.AuthStore;
import dev.lathe.core.bus.EventBus;
import dev.lathe.core.info.ProjectInfo;
import dev.lathe.core.model.CatalogSource;
import dev.lathe.core.model.ProviderSources;
import dev.lathe.core.config.ConfigLoader;
import dev.lathe.core.audit.AuditFiles;
import dev.lathe.core.audit.ProjectAuditLog;
import dev.lathe.core.cluster.Cluster;
import dev.lathe.core.cluster.TeamNode;
import dev.lathe.core.config.LathePaths;
import dev.lathe.core.hooks.ToolCallHooks;
import dev.lathe.core.toolcall.ExtensionTools;
import dev.lathe.core.toolcall.ToolCallSeams;
import dev.lathe.core.plugin.PluginTools;
import dev.lathe.core.trust.TrustedFolders;
import dev.lathe.core.permission.PermissionBroker;
import dev.lathe.core.project.Projects;
import dev.lathe.core.session.SessionWiring;
import dev.lathe.core.session.Sessions;
import dev.lathe.core.store.Storage;
import dev.lathe.llm.Protocols;
import dev.lathe.tools.ToolRegistry;
import dev.lathe.tools.builtin.BackgroundProcesses;
import dev.lathe.llm.http.BackgroundHttpClient;
import dev.lathe.llm.http.DeferredTrust;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.nio.file.Path;
import dev.lathe.protocol.event.Event;

/** Opens everything the server needs for one data folder and closes it again. */
public final class LatheCore implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(LatheCore.class.getName());

    private final Storage storage;
    /** What the nodes serving these sessions share (one process alone, or a team server's nodes). */
    private final Cluster cluster;
    private final HttpClient http;
    private final LocalLathe api;
    private final McpWiring mcp;
    private final LspWiring lsp;
    /** The ACP agents sessions run in: stopped with Lathe. */
    private final dev.lathe.core.acpagent.AgentEngines agents;
    /** Subscription sign-ins under way for clients (/connect); each waits for its user until closed. */
    private final dev.lathe.core.subscription.PlanSignIns planSignIns;
    private final PluginTools plugins;
    private final AutoCloseable pluginEvents;
    /** The commands sessions run in the background: they live as long as this server, never longer. */
    private final BackgroundProcesses background;
    /** Looks at open projects' config files and closes idle ones ({@link #closeIdleProjects}); interrupted by {@link #close}. */
    private final Thread idleProjects;

    /**
     * The core over what {@link #open} built; the facade is made here because closing it ({@code LatheApi.close})
     * closes the core: the one place the API reaches back to what built it.
     */
    private LatheCore(Storage storage, Cluster cluster, HttpClient http, McpWiring mcp, LspWiring lsp, PluginTools plugins, AutoCloseable pluginEvents,
            Sessions sessions, ProjectInfo info, PermissionBroker broker, EventBus bus, dev.lathe.core.subscription.PlanSignIns planSignIns,
            Thread idleProjects, BackgroundProcesses background) {
        this.background = background;
        this.mcp = mcp;
        this.lsp = lsp;
        this.plugins = plugins;
        this.pluginEvents = pluginEvents;
        this.storage = storage;
        this.cluster = cluster;
        this.http = http;
        this.agents = sessions.agents();
        this.planSignIns = planSignIns;
        this.idleProjects = idleProjects;
        this.api = new LocalLathe(sessions.api(), info, broker, bus, this::close);
    }

    /** @param env the process environment (config layers and XDG folders are read from it) */
    public static LatheCore open(LathePaths paths, Map<String, String> env, ConfigLoader loader) {
        return open(paths, env, loader, Optional.empty());
    }

    /** @param store the team server's PostgreSQL store URL (DESIGN §20, {@code lathe serve --store}); empty: SQLite */
    public static LatheCore open(LathePaths paths, Map<String, String> env, ConfigLoader loader, Optional<String> store) {
        return open(paths, env, loader, store, TeamNode.random());
    }

    /** @param node who this node is on a team server's store: its id and lease (unused without {@code store}) */
    public static LatheCore open(LathePaths paths, Map<String, String> env, ConfigLoader loader, Optional<String> store,
            TeamNode node) {
        // first: its TLS set-up runs beside the database and config work below (BackgroundHttpClient, DeferredTrust)
        HttpClient http = BackgroundHttpClient.start(() -> HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .version(HttpClient.Version.HTTP_1_1).sslContext(DeferredTrust.context()).build());
        // the cluster first: the bus publishes through its events (DESIGN §20). A team server's store opens with it;
        // SQLite's opens below, after the work that needs no database (StoreChoice.Chosen)
        var chosen = StoreChoice.choose(store, node, paths);
        var cluster = chosen.cluster();
        var bus = chosen.bus();
        // the temporary files of writes a killed process left are removed now, not at the next write of each file
        dev.lathe.tools.builtin.WritesInFlight.start(paths.state().resolve("writes-in-flight"));
        var broker = new PermissionBroker(cluster.asks());
        var auth = new AuthStore(paths.authFile());
        // every connection local-only mode refuses: told to clients once, and kept for `lathe doctor` (decision 120)
        var blocked = new dev.lathe.core.network.BlockedConnections(Optional.of(dev.lathe.core.network.BlockedConnections.fileIn(paths.state())), b -> bus.publish(
                b.folder().isEmpty() ? Optional.empty() : Optional.of(b.folder()), new Event.NetworkBlocked(b.folder(), b.host(), b.by())));
        // the open project instances, before the projects: the catalog refresh (below) waits while a local-only one is open
        var open = new dev.lathe.core.project.OpenProjects();
        var sources = new ProviderSources(CatalogSource.start(paths.cache(), env, http,
                url -> catalogMayRefresh(url, loader, paths, open, blocked)), auth, env);
        var protocols = Protocols.standard(http);
        var tools = ToolRegistry.builtins();
        var search = dev.lathe.tools.builtin.ProjectSearch.auto();
        var commands = Sessions.builtinCommands();
        // SQLite's file, unless the team server's PostgreSQL was opened above
        Storage storage = chosen.storage().get();
        var messages = storage.messages();
        // script tools and plugins: the user's, and a trusted project's own; their listeners hear the bus
        var plugins = new PluginTools(paths, TrustedFolders.in(paths.data()), tools.all().stream().map(dev.lathe.tools.Tool::name)
                .collect(java.util.stream.Collectors.toSet()));
        AutoCloseable pluginEvents = bus.watch(dev.lathe.protocol.api.EventFilter.ALL, plugins.events());
        // each project instance's language servers: none starts before the first file of its language
        var lsp = LspWiring.start(dev.lathe.core.lsp.LspModule.FACTORY, bus, env);
        // the plugins' tools and the lsp tool come before MCP's in every request: they take from the same allowance
        var beforeMcp = ExtensionTools.concat(plugins, lsp.servers());
        var sessionStore = storage.sessions();
        // a subagent's session sees the servers a client brought for its parent
        var mcp = McpWiring.start(paths, tools, bus, env, root -> McpWiring.cost(beforeMcp.offered(root, "")),
                id -> id.startsWith(dev.lathe.protocol.SessionId.PREFIX) ? sessionStore.find(new dev.lathe.protocol.SessionId(id))
                        .flatMap(dev.lathe.protocol.session.Session::parentId).map(dev.lathe.protocol.SessionId::value) : Optional.empty());
        var extensionsLifecycle = closing(LspWiring.both(mcp.lifecycle(), lsp.lifecycle()), plugins);
        // the ACP agents sessions run in: they start from the daemon's environment (env, above) and stop with their project
        var agents = new dev.lathe.core.acpagent.AgentEngines(env);
        // a config edited while the server runs applies from the next step; every attached client is told (config.*)
        var projects = new Projects(loader, paths, storage.projects(), protocols, sources, new Projects.Wiring(new Projects.ConfigEvents() {
            @Override
            public void updated(Path directory) {
                bus.publish(Optional.of(directory.toString()), new Event.ConfigUpdated(directory.toString()));
            }

            @Override
            public void failed(Path directory, String message) {
                bus.publish(Optional.of(directory.toString()), new Event.ConfigErrored(directory.toString(), message));
            }
        }, LspWiring.both(extensionsLifecycle, new Projects.Lifecycle() {
            @Override public void read(dev.lathe.core.project.Project project) { }

            @Override public void closed(Path directory) { agents.closeProject(directory); }
        }), blocked, open, new dev.lathe.core.config.ServerEnvironment(env)));
        // every call, permission decision and answer of every session goes to its project's tamper-evident audit file
        // a session's folder and parent, read once: each tool call asks for them several times (audit, hooks)
        var places = new dev.lathe.core.store.SessionPlaces(sessionStore);
        var audit = new ProjectAuditLog(new AuditFiles(paths.audit()), places::directoryOf);
        // PreToolUse and PostToolUse hooks of each call's project as its session sees it (DESIGN §14), on the pipeline's seams
        // the sessions' running turns, before the sessions: hook runs are added to them, tool hooks read their projects
        var running = new dev.lathe.core.session.RunningTurns(storage, cluster, places, projects, bus);
        // every hook run: a part of the running turn (shown by every client) and an audit entry, never silent
        var hookRuns = new dev.lathe.core.hooks.HookRunRecorder((id, part) -> running.addPart(id, part), audit);
        // the Claude Code transcript a hook is pointed at (transcript_path), brought up to date before hooks run
        var transcriptFiles = new dev.lathe.core.transcript.TranscriptFiles(paths.state().resolve("transcripts"), sessionStore, messages,
                dev.lathe.protocol.Version.current());
        dev.lathe.core.hooks.SessionHooks.Transcripts transcripts = id -> transcriptFiles.sync(new dev.lathe.protocol.SessionId(id));
        var hookStops = new dev.lathe.core.hooks.HookStops();
        var sessionHooks = new dev.lathe.core.hooks.SessionHooks(env, http, hookRuns, transcripts, hookStops);
        var toolHooks = new ToolCallHooks(new ToolCallHooks.ProjectHooks() {
            @Override
            public java.util.List<dev.lathe.core.hooks.Hook> hooks(String sessionId) {
                // the configured hooks (Claude Code plugins' included), then the Java plugins'
                return running.project(new dev.lathe.protocol.SessionId(sessionId)).map(p -> {
                    var all = new java.util.ArrayList<>(p.config().hooks());
                    all.addAll(plugins.hooks(p.directory()));
                    return java.util.List.copyOf(all);
                }).orElse(java.util.List.of());
            }

            @Override
            public java.util.Set<String> mcpServers(String sessionId) {
                // the project's servers and those a client brought for the session: hooks see both as mcp__NAME__TOOL
                var names = new java.util.HashSet<String>(mcp.sessionServers().names(sessionId));
                running.project(new dev.lathe.protocol.SessionId(sessionId)).ifPresent(p -> names.addAll(p.config().mcp().keySet()));
                return java.util.Set.copyOf(names);
            }
        }, env, http, hookRuns, hookStops, transcripts);
        // plugins and the lsp tool first: their sets are stable, while MCP's may grow at its end (tool_search), as the
        // cached prefix needs; a changed file's diagnostics come from its project's language servers
        // background commands: made here, killed when this core closes (and by a shutdown hook, for an exit that skips it)
        var background = BackgroundProcesses.killedAtExit();
        var sessions = SessionWiring.wire(new SessionWiring.Inputs(storage, cluster, projects, bus, running, broker, tools,
                ExtensionTools.concat(beforeMcp, mcp.sessionTools()), mcp.content(),
                ToolCallSeams.DEFAULT.withAudit(audit).withPreCall(toolHooks).withPostCall(toolHooks)
                        .withDiagnostics(lsp.servers().diagnostics()), audit, paths.toolOutput(),
                Sessions.DEFAULT_MAX_STEPS, sessionHooks, agents, background));
        // /connect: subscription sign-ins the server runs for a client; every client hears how each ended (auth.signin)
        var planSignIns = dev.lathe.core.subscription.PlanSignIns.standard(auth, done -> bus.publish(Optional.empty(),
                new Event.ProviderSignInFinished(done.provider(), done.error().isEmpty(), done.error())));
        var info = new ProjectInfo(projects, loader, sources, auth, search, commands, mcp, mcp.content(),
                new ProjectInfo.Wiring(plugins::hooks, lsp::statuses, dir -> sessionStore.hasSessions(dir.toString()), Optional.of(planSignIns)));
        // everything is wired: the sessions' side effects start (fleet copies pruned, the bus watched, leases taken)
        sessions.start();
        var idleProjects = Thread.ofVirtual().name("lathe-idle-projects").start(() -> closeIdleProjects(projects, sessions, mcp));
        return new LatheCore(storage, cluster, http, mcp, lsp, plugins, pluginEvents, sessions, info, broker, bus, planSignIns, idleProjects, background);
    }

    public LocalLathe api() { return api; }

    /** The store's accounts and sessions' owners: a team server's users (DESIGN §20), read by the server's HTTP layer. */
    public dev.lathe.core.store.AccountStore accounts() { return storage.accounts(); }

    /**
     * Who may use this server, as its cluster says: the store's {@link #accounts} (a team server, DESIGN §20), or the one
     * user holding {@code server.json}'s token.
     */
    public Cluster.Users users() { return cluster.users(); }

    /**
     * Whether the server-wide catalog refresh may download from {@code url}: not when the server's own configuration (the
     * global layers and its environment, {@code LATHE_NETWORK} included) is local-only, nor while a project instance in
     * local-only mode is open, since a shared daemon cannot tell whose the refresh is; a refusal is recorded for the
     * server. A global configuration that does not load refuses too: its mode is unknown.
     */
    private static boolean catalogMayRefresh(java.net.URI url, ConfigLoader loader, LathePaths paths, dev.lathe.core.project.OpenProjects projects,
            dev.lathe.core.network.BlockedConnections blocked) {
        dev.lathe.core.network.NetworkPolicy policy;
        try {
            policy = dev.lathe.core.network.NetworkPolicy.of(loader.load(paths.config()));
        } catch (dev.lathe.core.config.ConfigException e) {
            return false;
        }
        boolean local = policy.isLocal() || projects.anyLocal();
        if (!local) return true;
        blocked.record("", dev.lathe.core.network.Purpose.catalog(), url);
        return false;
    }

    /** {@code lifecycle}, and a closed project's plugins unloaded. */
    private static Projects.Lifecycle closing(Projects.Lifecycle lifecycle, PluginTools plugins) {
        return new Projects.Lifecycle() {
            @Override public void read(dev.lathe.core.project.Project project) { lifecycle.read(project); }

            @Override
            public void closed(Path directory) {
                lifecycle.closed(directory);
                plugins.close(directory);
            }
        };
    }

    /** The MCP servers of every open project (their statuses for {@code GET /mcp}). */
    public dev.lathe.core.mcp.ProjectMcpServers mcpServers() { return mcp.servers(); }

    /** The MCP wiring, for tests that look at what a session is offered. */
    McpWiring mcpWiring() { return mcp; }

    /** How often open projects' config files are looked at between prompts and steps (a stat per file). */
    private static final Duration CONFIG_CHECK = Duration.ofSeconds(2);

    /**
     * Every {@link #CONFIG_CHECK}, reads the config files of open projects that changed, so attached clients hear of an
     * edit (or its error) at once, and stops the session MCP servers no client follows any more
     * ({@link McpWiring#closeUnwatched}); every minute, closes project instances nobody used for {@link Projects#IDLE_CLOSE};
     * until interrupted.
     */
    private static void closeIdleProjects(Projects projects, Sessions sessions, McpWiring mcp) {
        try {
            long checks = 0;
            while (true) {
                Thread.sleep(CONFIG_CHECK);
                projects.checkOpen();
                // the servers of an editor that died without removing them stop (and no longer keep their project open)
                mcp.closeUnwatched();
                if (++checks % (Duration.ofMinutes(1).toMillis() / CONFIG_CHECK.toMillis()) != 0) continue;
                // a project whose sessions run servers an editor brought stays open: closing it would stop them under the editor
                var closed = projects.closeIdle(Projects.IDLE_CLOSE, dir -> sessions.busyDirectories().contains(dir) || mcp.sessionServersIn(dir));
                if (!closed.isEmpty()) LOG.log(System.Logger.Level.DEBUG, "closed idle project instances {0}", closed);
            }
        } catch (InterruptedException e) {
            // the core is closing
        }
    }

    @Override
    public void close() {
        // background commands live as long as the server that started them, never longer
        background.killAll();
        idleProjects.interrupt();
        // every project's MCP and language servers, their process groups killed
        mcp.close();
        lsp.close();
        agents.close();
        planSignIns.close();
        try {
            pluginEvents.close();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.DEBUG, "closing the plugins' event subscription", e);
        }
        plugins.close();
        http.shutdownNow();
        storage.close();
    }
}
