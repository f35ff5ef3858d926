package dev.lathe.core;

import dev.lathe.core.acpagent.AgentEngines;
import dev.lathe.core.api.LocalLathe;
import dev.lathe.core.audit.ProjectAuditLog;
import dev.lathe.core.cluster.Cluster;
import dev.lathe.core.cluster.TeamNode;
import dev.lathe.core.config.ConfigLoader;
import dev.lathe.core.config.LathePaths;
import dev.lathe.core.hooks.Hook;
import dev.lathe.core.info.ProjectInfo;
import dev.lathe.core.mcp.ProjectMcpServers;
import dev.lathe.core.plugin.PluginTools;
import dev.lathe.core.project.Projects;
import dev.lathe.core.schedule.Schedules;
import dev.lathe.core.session.Sessions;
import dev.lathe.core.session.runner.NodeDrain;
import dev.lathe.core.store.AccountStore;
import dev.lathe.core.store.Storage;
import dev.lathe.core.telemetry.TracedEvents;
import dev.lathe.core.subscription.PlanSignIns;
import dev.lathe.protocol.api.LspServerInfo;
import dev.lathe.protocol.event.Event;
import dev.lathe.tools.builtin.BackgroundProcesses;
import dev.lathe.tools.builtin.ProjectSearch;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Opens everything the server needs for one data folder and closes it again: {@link #open} runs the composition root's
 * stages ({@link CoreBuilder}) over {@link CoreInputs}, then starts the sessions and the idle-project watch.
 */
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
    private final AgentEngines agents;
    /** Subscription sign-ins under way for clients (/connect); each waits for its user until closed. */
    private final PlanSignIns planSignIns;
    private final PluginTools plugins;
    private final AutoCloseable pluginEvents;
    /** The commands sessions run in the background: they live as long as this server, never longer. */
    private final BackgroundProcesses background;
    private final TracedEvents telemetry;
    /** Cron schedules: looked at every few seconds, stopped by {@link #close}. */
    private final Schedules schedules;
    /** Looks at open projects' config files and closes idle ones ({@link #closeIdleProjects}); interrupted by {@link #close}. */
    private final Thread idleProjects;
    private final Sessions sessions;
    /** Every project's audit log: the HTTP layer records there what it refused on a session's behalf. */
    private final ProjectAuditLog audit;
    /** How long a stopping server waits for its running turns to end after aborting them. */
    private static final Duration TURNS_STOP = Duration.ofSeconds(5);
    /** The same wait after a drain (DESIGN §34), whose own stop of the turns has waited already. */
    private static final Duration DRAINED_STOP = Duration.ofSeconds(1);

    /**
     * The core over what {@link #open} built; the facade is made here because closing it ({@code LatheApi.close})
     * closes the core: the one place the API reaches back to what built it.
     */
    private LatheCore(CoreBuilder.Base base, CoreBuilder.StandardExtensions extensions, Sessions sessions, Schedules schedules, ProjectInfo info,
            PlanSignIns planSignIns, Thread idleProjects, ProjectAuditLog audit, NodeDrain.Grace drainGrace) {
        this.schedules = schedules;
        this.audit = audit;
        this.sessions = sessions;
        this.background = base.background();
        this.telemetry = base.telemetry();
        this.mcp = extensions.mcp();
        this.lsp = extensions.lsp();
        this.plugins = extensions.plugins();
        this.pluginEvents = extensions.pluginEvents();
        this.storage = base.storage();
        this.cluster = base.cluster();
        this.http = base.http();
        this.agents = base.agents();
        this.planSignIns = planSignIns;
        this.idleProjects = idleProjects;
        this.api = new LocalLathe(sessions.api(), schedules, info, base.broker(), base.bus(), this::close, base.metrics(), drainGrace);
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
        return open(CoreInputs.of(paths, env, loader).withStore(store, node));
    }

    /**
     * The core built by the composition root's stages ({@link CoreBuilder}) from {@code inputs}; the sessions start once
     * everything is wired.
     */
    public static LatheCore open(CoreInputs inputs) {
        var base = CoreBuilder.base(inputs);
        var extensions = CoreBuilder.extensions(base);
        var services = CoreBuilder.services(base, extensions.parts());
        var bus = base.bus();
        var auth = base.auth();
        // /connect: subscription sign-ins the server runs for a client; every client hears how each ended (auth.signin)
        var planSignIns = PlanSignIns.standard(auth, done -> bus.publish(Optional.empty(),
                new Event.ProviderSignInFinished(done.provider(), done.error().isEmpty(), done.error())));
        var mcp = extensions.mcp();
        var lsp = extensions.lsp();
        var sessionStore = base.storage().sessions();
        var info = new ProjectInfo(services.projects(), inputs.loader(), base.sources(), auth, ProjectSearch.auto(), Sessions.builtinCommands(), mcp,
                mcp.content(), new ProjectInfo.Wiring() {
                    @Override public List<Hook> pluginHooks(Path directory) { return extensions.plugins().hooks(directory); }

                    @Override public List<LspServerInfo> languageServers(Path root) { return lsp.statuses(root); }

                    @Override public boolean hasSessions(Path directory) { return sessionStore.hasSessions(directory.toString()); }

                    @Override public Optional<PlanSignIns> signIns() { return Optional.of(planSignIns); }
                });
        var sessions = services.sessions();
        // everything is wired: the sessions' side effects start (fleet copies pruned, the bus watched, leases taken)
        sessions.start();
        // due schedules are looked for from now on (a run missed while no server ran is run once now)
        services.schedules().start();
        var projects = services.projects();
        var idleProjects = Thread.ofVirtual().name("lathe-idle-projects").start(() -> closeIdleProjects(projects, sessions, mcp));
        // a drain's grace is the server's config as it stands when the drain starts (DESIGN §34)
        NodeDrain.Grace drainGrace = () -> Duration.ofSeconds(inputs.loader().load(inputs.paths().config()).drainSeconds());
        return new LatheCore(base, extensions, sessions, services.schedules(), info, planSignIns, idleProjects, services.audit(), drainGrace);
    }

    public LocalLathe api() { return api; }

    /** Completes once this node's drain (DESIGN §34) let go of its sessions: its server stops then. */
    public java.util.concurrent.CompletableFuture<Void> drained() { return sessions.drain().drained(); }

    /** Every project's audit log (what the HTTP layer refused on a request's behalf is recorded there too). */
    public ProjectAuditLog audit() { return audit; }

    /** The store's accounts and sessions' owners: a team server's users (DESIGN §20), read by the server's HTTP layer. */
    public AccountStore accounts() { return storage.accounts(); }

    /**
     * Who may use this server, as its cluster says: the store's {@link #accounts} (a team server, DESIGN §20), or the one
     * user holding {@code server.json}'s token.
     */
    public Cluster.Users users() { return cluster.users(); }

    /** The MCP servers of every open project (their statuses for {@code GET /mcp}). */
    public ProjectMcpServers mcpServers() { return mcp.servers(); }

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
        schedules.close();
        // running turns end (aborted, their parts written) while the store is still open
        // after a drain what still runs is a turn its stop did not end within the drain: the node exits within drain + 5 s
        sessions.stop(sessions.drain().draining() ? DRAINED_STOP : TURNS_STOP);
        // background commands live as long as the server that started them, never longer
        background.killAll();
        // the turns' last spans and the metrics sent, the wait for the collector bounded
        telemetry.close();
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
