package dev.lathe.core;

import dev.lathe.core.acpagent.AgentEngines;
import dev.lathe.core.audit.AuditFiles;
import dev.lathe.core.audit.ProjectAuditLog;
import dev.lathe.core.auth.AuthStore;
import dev.lathe.core.bus.EventBus;
import dev.lathe.core.cluster.Cluster;
import dev.lathe.core.config.ConfigException;
import dev.lathe.core.config.ConfigLoader;
import dev.lathe.core.config.LathePaths;
import dev.lathe.core.config.ServerEnvironment;
import dev.lathe.core.hooks.Hook;
import dev.lathe.core.hooks.HookRunRecorder;
import dev.lathe.core.hooks.HookStops;
import dev.lathe.core.hooks.SessionHooks;
import dev.lathe.core.hooks.ToolCallHooks;
import dev.lathe.core.mcp.McpContent;
import dev.lathe.core.lsp.LspModule;
import dev.lathe.core.model.ProviderSources;
import dev.lathe.core.network.BlockedConnections;
import dev.lathe.core.notify.NoticeCommand;
import dev.lathe.core.notify.Notifier;
import dev.lathe.core.notify.WebhookPost;
import dev.lathe.core.network.NetworkPolicy;
import dev.lathe.core.network.Purpose;
import dev.lathe.core.permission.PermissionBroker;
import dev.lathe.core.plugin.PluginTools;
import dev.lathe.core.project.OneLook;
import dev.lathe.core.project.OpenProjects;
import dev.lathe.core.project.Project;
import dev.lathe.core.project.Projects;
import dev.lathe.core.schedule.Schedules;
import dev.lathe.core.session.inbox.Arrival;
import dev.lathe.core.session.context.RunningTurns;
import dev.lathe.core.session.context.Secrets;
import dev.lathe.core.session.SessionWiring;
import dev.lathe.core.session.Sessions;
import dev.lathe.core.store.ScheduleStore;
import dev.lathe.core.store.SessionPlaces;
import dev.lathe.core.store.Storage;
import dev.lathe.core.telemetry.TelemetrySwitch;
import dev.lathe.core.telemetry.MeteredEvents;
import dev.lathe.core.telemetry.NodeMetrics;
import dev.lathe.core.telemetry.TracedEvents;
import dev.lathe.core.toolcall.AuditLog;
import dev.lathe.core.toolcall.ExtensionTools;
import dev.lathe.core.websearch.WebSearchTools;
import dev.lathe.core.transcript.TranscriptFiles;
import dev.lathe.core.trust.TrustedFolders;
import dev.lathe.llm.Protocols;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.api.CreateSessionRequest;
import dev.lathe.protocol.api.EventFilter;
import dev.lathe.protocol.event.Event;
import dev.lathe.tools.Diagnostics;
import dev.lathe.tools.Tool;
import dev.lathe.tools.builtin.BackgroundProcesses;
import dev.lathe.tools.builtin.WritesInFlight;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * The composition root, in stages (issue 54): {@link #base} (what needs no project: HTTP, the cluster and its bus, the
 * store, the brokers, the providers), {@link #extensions} (plugins, language servers, MCP), {@link #services} (projects,
 * audit, hooks, sessions). Each stage is built from the ones before it and from {@link CoreInputs}, so nothing needs a
 * forward reference or a holder; a test builds the same stages, overriding inputs or putting a stage of its own in
 * place of {@link #extensions}. Nothing here starts work on sessions: {@link Sessions#start} is the caller's, once the
 * whole graph is wired ({@link LatheCore#open}). This file, {@code SessionWiring} and {@code LatheCore} are the only
 * places that construct the services (rule test {@code WiringTest}).
 */
public final class CoreBuilder {
    private static final System.Logger LOG = System.getLogger(CoreBuilder.class.getName());

    private CoreBuilder() {}

    /**
     * The first stage: what every later one uses, and needs no project, in three named groups (decision 524); the
     * accessors read through them.
     */
    public record Base(Shared shared, Models models, Work work) {
        /** What is stored and who hears of it: the inputs, the cluster, the bus, the storage, notifications, telemetry. */
        public record Shared(CoreInputs inputs, Cluster cluster, EventBus bus, Storage storage, Notifier notifier, TracedEvents telemetry,
                NodeMetrics metrics) {}

        /** How models and agents are reached: the HTTP client, keys, the refused connections, providers, protocols, ACP agents. */
        public record Models(HttpClient http, AuthStore auth, BlockedConnections blocked, ProviderSources sources, Protocols protocols,
                AgentEngines agents) {}

        /** What runs across projects: the permission asks, the open project instances, the background commands. */
        public record Work(PermissionBroker broker, OpenProjects open, BackgroundProcesses background) {}

        public LathePaths paths() { return shared.inputs().paths(); }

        public CoreInputs inputs() { return shared.inputs(); }

        public Cluster cluster() { return shared.cluster(); }

        public EventBus bus() { return shared.bus(); }

        public Storage storage() { return shared.storage(); }

        public Notifier notifier() { return shared.notifier(); }

        public TracedEvents telemetry() { return shared.telemetry(); }

        public NodeMetrics metrics() { return shared.metrics(); }

        public HttpClient http() { return models.http(); }

        public AuthStore auth() { return models.auth(); }

        public BlockedConnections blocked() { return models.blocked(); }

        public ProviderSources sources() { return models.sources(); }

        public Protocols protocols() { return models.protocols(); }

        public AgentEngines agents() { return models.agents(); }

        public PermissionBroker broker() { return work.broker(); }

        public OpenProjects open() { return work.open(); }

        public BackgroundProcesses background() { return work.background(); }
    }

    /**
     * What the extensions give the services: tools offered after the built-ins, MCP prompts and resources, what follows
     * each project instance (servers opened and closed with it), what they add to what hooks see, the diagnostics of
     * changed files.
     */
    public record Extensions(ExtensionTools tools, McpContent content, Projects.Lifecycle lifecycle, ForHooks hooks, Diagnostics diagnostics) {
        /** Only {@code tools} (a test's own): no MCP content, nothing follows projects, no plugin hooks, no diagnostics. */
        public static Extensions of(ExtensionTools tools) {
            return new Extensions(tools, McpContent.NONE, Projects.Lifecycle.NONE, ForHooks.NONE, Diagnostics.NONE);
        }

        /** What the extensions add to what a tool call's hooks see (decision 536). */
        public interface ForHooks {
            /** The Java plugins' hooks of the project folder {@code directory}: they fire after the configured ones. */
            List<Hook> pluginHooks(Path directory);

            /** The MCP servers a client brought for session {@code sessionId}: hooks see their tools as {@code mcp__NAME__TOOL}. */
            Set<String> sessionServers(String sessionId);

            /** No plugins, no servers brought by a client. */
            ForHooks NONE = new ForHooks() {
                @Override public List<Hook> pluginHooks(Path directory) { return List.of(); }

                @Override public Set<String> sessionServers(String sessionId) { return Set.of(); }
            };
        }
    }

    /** The production extensions, and what the core closes of them. */
    record StandardExtensions(Extensions parts, PluginTools plugins, AutoCloseable pluginEvents, LspWiring lsp, McpWiring mcp) {}

    /** The last stage: the projects, the audit log and the sessions (wired, not started). */
    public record Services(Projects projects, AuditFiles auditFiles, ProjectAuditLog audit, RunningTurns running, Sessions sessions, Schedules schedules) {}

    /** The first stage over {@code in}. */
    public static Base base(CoreInputs in) {
        LathePaths paths = in.paths();
        // first: its TLS set-up runs beside the database and config work below (BackgroundHttpClient, DeferredTrust)
        HttpClient http = in.http().open();
        // the cluster first: the bus publishes through its events (DESIGN §20). A team server's store opens with it;
        // SQLite's opens below, after the work that needs no database (StoreChoice.Chosen)
        var chosen = StoreChoice.choose(in.store(), in.node(), paths);
        var cluster = chosen.cluster();
        // the user's notifications of the asks, ends and failures this node appends (DESIGN §18): the session's folder and
        // title are read from the storage, which opens below, by then (a notice is sent only for a session's event)
        var opened = new CompletableFuture<Storage>();
        var notifier = new Notifier(() -> in.loader().load(paths.config()), id -> opened.join().sessions().find(id),
                new WebhookPost(http, Notifier.TIMEOUT), new NoticeCommand(in.env(), Notifier.TIMEOUT));
        // OpenTelemetry (DESIGN §29) hears this node's appends too: whether it is on is decided, and the SDK started, on
        // its own thread; off, no class of the SDK is loaded
        // GET /metrics (DESIGN §34) counts this node's appends too; the queue and the leases are read from the store per scrape
        var metrics = new NodeMetrics(new NodeMetrics.Load() {
            @Override public long queueDepth() { return cluster.leases().queueDepth(); }

            @Override public long leasesHeld() { return cluster.leases().held(); }
        });
        var telemetry = new TracedEvents(new MeteredEvents(chosen.events(notifier), metrics), () -> TelemetrySwitch.decide(() -> in.loader().load(paths.config()), in.env()),
                id -> opened.join().sessions().find(id));
        var bus = EventBus.over(telemetry);
        notifier.watchedThrough(bus::followed);
        // the temporary files of writes a killed process left are removed now, not at the next write of each file
        WritesInFlight.start(paths.state().resolve("writes-in-flight"));
        var broker = new PermissionBroker(cluster.asks());
        var auth = new AuthStore(paths.authFile());
        // every connection local-only mode refuses: told to clients once, and kept for `lathe doctor` (decision 120)
        var blocked = new BlockedConnections(Optional.of(BlockedConnections.fileIn(paths.state())), b -> bus.publish(
                b.folder().isEmpty() ? Optional.empty() : Optional.of(b.folder()), new Event.NetworkBlocked(b.folder(), b.host(), b.by())));
        // the open project instances, before the projects: the catalog refresh (below) waits while a local-only one is open
        var open = new OpenProjects();
        var sources = new ProviderSources(in.catalog().open(paths, in.env(), http, url -> catalogMayRefresh(url, in.loader(), paths, open, blocked)),
                auth, in.env());
        var protocols = in.protocols().over(http);
        // SQLite's file, unless the team server's PostgreSQL was opened above
        Storage storage = chosen.storage().get();
        opened.complete(storage);
        // the ACP agents sessions run in: they start from the daemon's environment and stop with their project
        var agents = new AgentEngines(in.env());
        // background commands: made here, killed when the core closes (and by a shutdown hook, for an exit that skips it)
        var background = in.background().start();
        // what a server of this folder killed outright left running ends now (decision 582)
        List<Long> reaped = background.adoptScope(paths.state());
        if (!reaped.isEmpty()) LOG.log(System.Logger.Level.WARNING, "ended " + reaped.size() + " background processes a stopped Lathe server left running");
        return new Base(new Base.Shared(in, cluster, bus, storage, notifier, telemetry, metrics), new Base.Models(http, auth, blocked, sources, protocols, agents),
                new Base.Work(broker, open, background));
    }

    /** Plugins (the user's, and a trusted project's own), each project's language servers, and MCP. */
    static StandardExtensions extensions(Base base) {
        LathePaths paths = base.paths();
        var env = base.inputs().env();
        var tools = base.inputs().tools();
        // script tools and plugins: the user's, and a trusted project's own; their listeners hear the bus
        var plugins = new PluginTools(paths, TrustedFolders.in(paths.data()), tools.all().stream().map(Tool::name).collect(Collectors.toSet()));
        AutoCloseable pluginEvents = base.bus().watch(EventFilter.ALL, plugins.events());
        // each project instance's language servers: none starts before the first file of its language
        var lsp = LspWiring.start(LspModule.FACTORY, base.bus(), env);
        // the plugins' tools and the lsp tool come before MCP's in every request: they take from the same allowance
        // and websearch, offered only to a project that configures it (DESIGN §29)
        var search = new WebSearchTools(new AuthStore(paths.authFile()));
        var beforeMcp = ExtensionTools.concat(ExtensionTools.concat(plugins, lsp.servers()), search);
        var sessionStore = base.storage().sessions();
        // a subagent's session sees the servers a client brought for its parent
        var mcp = McpWiring.start(paths, tools, base.bus(), env, beforeMcp,
                id -> id.startsWith(SessionId.PREFIX) ? sessionStore.find(new SessionId(id))
                        .flatMap(Session::parentId).map(SessionId::value) : Optional.empty());
        var lifecycle = closing(LspWiring.both(LspWiring.both(mcp.lifecycle(), lsp.lifecycle()), search.lifecycle()), plugins);
        // plugins and the lsp tool first: their sets are stable, while MCP's may grow at its end (tool_search), as the
        // cached prefix needs; a changed file's diagnostics come from its project's language servers
        var forHooks = new Extensions.ForHooks() {
            @Override public List<Hook> pluginHooks(Path directory) { return plugins.hooks(directory); }

            @Override public Set<String> sessionServers(String sessionId) { return mcp.sessionServers().names(sessionId); }
        };
        var parts = new Extensions(ExtensionTools.concat(beforeMcp, mcp.offered()), mcp.content(), lifecycle, forHooks, lsp.servers().diagnostics());
        return new StandardExtensions(parts, plugins, pluginEvents, lsp, mcp);
    }

    /** The projects, audit, hooks and sessions over {@code base} and {@code extensions}; the sessions are not started. */
    public static Services services(Base base, Extensions extensions) {
        CoreInputs in = base.inputs();
        LathePaths paths = in.paths();
        var bus = base.bus();
        var storage = base.storage();
        var sessionStore = storage.sessions();
        var agents = base.agents();
        // a config edited while the server runs applies from the next step; every attached client is told (config.*)
        var projects = new Projects(in.loader(), paths, storage.projects(), base.protocols(), base.sources(), new Projects.Wiring(new Projects.ConfigEvents() {
            @Override
            public void updated(Path directory) {
                bus.publish(Optional.of(directory.toString()), new Event.ConfigUpdated(directory.toString()));
            }

            @Override
            public void failed(Path directory, String message) {
                bus.publish(Optional.of(directory.toString()), new Event.ConfigErrored(directory.toString(), message));
            }
        }, LspWiring.both(extensions.lifecycle(), new Projects.Lifecycle() {
            @Override public void read(Project project) { }

            @Override public void closed(Path directory) { agents.closeProject(directory); }
        }), base.blocked(), base.open(), new ServerEnvironment(in.env())));
        // a session's folder and parent, read once: each tool call asks for them several times (audit, hooks)
        var places = new SessionPlaces(sessionStore);
        // every call, permission decision and answer of every session goes to its project's tamper-evident audit file
        var auditFiles = new AuditFiles(paths.audit());
        // masked with the secrets of every open instance of the entry's folder (DESIGN §26), before the entry is chained
        var audit = new ProjectAuditLog(auditFiles, places::directoryOf, directory -> {
            Set<String> secrets = new HashSet<>();
            for (Project p : projects.opened(directory)) secrets.addAll(Secrets.of(p, Optional.empty()));
            return secrets;
        });
        // the sessions' running turns, before the sessions: hook runs are added to them, tool hooks read their projects
        var running = new RunningTurns(storage, base.cluster(), places, projects, bus);
        // every hook run: a part of the running turn (shown by every client) and an audit entry, never silent
        var hookRuns = in.hookRuns().orElseGet(() -> new HookRunRecorder((id, part) -> running.addPart(id, part), audit));
        // the Claude Code transcript a hook is pointed at (transcript_path), brought up to date before hooks run
        var transcriptFiles = new TranscriptFiles(paths.state().resolve("transcripts"), sessionStore, storage.messages(), in.version());
        SessionHooks.Transcripts transcripts = id -> transcriptFiles.sync(new SessionId(id));
        var hookStops = new HookStops();
        var sessionHooks = new SessionHooks(in.env(), base.http(), hookRuns, transcripts, hookStops);
        // PreToolUse and PostToolUse hooks of each call's project as its session sees it (DESIGN §14), on the pipeline's seams
        var toolHooks = new ToolCallHooks(sessionId -> running.project(new SessionId(sessionId)).map(p -> {
            // the configured hooks (Claude Code plugins' included), then the Java plugins'
            var hooks = new ArrayList<>(p.config().hooks());
            hooks.addAll(extensions.hooks().pluginHooks(p.directory()));
            // the project's servers and those a client brought for the session: hooks see both as mcp__NAME__TOOL
            var names = new HashSet<>(extensions.hooks().sessionServers(sessionId));
            names.addAll(p.config().mcp().keySet());
            var found = new ToolCallHooks.Found(hooks, names, p.hookRules());
            // hooks that may run end a call's one look (decision 546): its ruling after them looks at the files afresh
            if (!hooks.isEmpty()) OneLook.end();
            return found;
        }).orElse(ToolCallHooks.Found.NONE), in.env(), base.http(), hookRuns, hookStops, transcripts);
        // the seams the inputs set (a test's launcher, audit or diagnostics) win; the tool hooks come after their hooks
        var seams = in.seams().audit() == AuditLog.NONE ? in.seams().withAudit(audit) : in.seams();
        seams = seams.withPreCall(toolHooks).withPostCall(toolHooks);
        if (seams.diagnostics() == Diagnostics.NONE) seams = seams.withDiagnostics(extensions.diagnostics());
        var sessions = SessionWiring.wire(new SessionWiring.Inputs(storage, base.cluster(), projects, bus, running, extensions.content(),
                new SessionWiring.Checks(base.broker(), base.telemetry().decisions(audit), sessionHooks),
                new SessionWiring.Calls(in.tools(), extensions.tools(), seams, paths.toolOutput(), in.maxSteps(), base.background(), agents)));
        // cron schedules: each due run claimed in the store (one node of a team server runs it), then a session of its owner
        var schedules = new Schedules(storage.schedules(), storage.accounts(), in.clock(), base.cluster().node().id(), scheduledRun(sessions, paths, in.env()),
                (s, reason) -> base.notifier().scheduleFailed(s.id().value(), s.directory().orElse(s.repo().orElse("")), reason));
        return new Services(projects, auditFiles, audit, running, sessions, schedules);
    }

    /**
     * A schedule's run: a new session in its folder, or a fleet task of its repository (DESIGN §20), titled with the
     * schedule's id, under the mode and config its owner's {@code lathe} had when adding it
     * ({@link Schedules#runEnvironment}), then prompted with its message once it is recorded as the owner's. Its asks
     * wait for the user as any session's do (and notify).
     */
    private static Schedules.Starter scheduledRun(Sessions sessions, LathePaths paths, Map<String, String> serverEnv) {
        return new Schedules.Starter() {
            @Override
            public SessionId create(ScheduleStore.Stored s, Instant due) {
                String title = "schedule " + s.id().value() + ": " + s.message().strip().lines().findFirst().orElse("");
                var request = new CreateSessionRequest(s.directory().orElse(paths.data().toString()),
                        Optional.of(title.length() > 100 ? title.substring(0, 100) + "…" : title), Optional.empty(), Optional.empty(), Optional.empty());
                if (s.repo().isPresent()) request = request.withWorktree(new CreateSessionRequest.NewWorktree(Optional.empty(), s.repo(), Optional.empty()));
                return sessions.create(request, Schedules.runEnvironment(s, serverEnv)).id();
            }

            @Override
            public void prompt(ScheduleStore.Stored s, SessionId session) {
                // through the session's inbox; nobody watches a schedule's run: its asks follow permission.unattended (DESIGN §26)
                sessions.deliver(new Arrival.ScheduleFiring(session, s.id(), s.message()));
            }
        };
    }

    /**
     * Whether the server-wide catalog refresh may download from {@code url}: not when the server's own configuration (the
     * global layers and its environment, {@code LATHE_NETWORK} included) is local-only, nor while a project instance in
     * local-only mode is open, since a shared daemon cannot tell whose the refresh is; a refusal is recorded for the
     * server. A global configuration that does not load refuses too: its mode is unknown.
     */
    private static boolean catalogMayRefresh(URI url, ConfigLoader loader, LathePaths paths, OpenProjects projects, BlockedConnections blocked) {
        NetworkPolicy policy;
        try {
            policy = NetworkPolicy.of(loader.load(paths.config()));
        } catch (ConfigException e) {
            return false;
        }
        boolean local = policy.isLocal() || projects.anyLocal();
        if (!local) return true;
        blocked.record("", Purpose.catalog(), url);
        return false;
    }

    /** {@code lifecycle}, and a closed project's plugins unloaded. */
    private static Projects.Lifecycle closing(Projects.Lifecycle lifecycle, PluginTools plugins) {
        return new Projects.Lifecycle() {
            @Override public void read(Project project) { lifecycle.read(project); }

            @Override
            public void closed(Path directory) {
                lifecycle.closed(directory);
                plugins.close(directory);
            }
        };
    }
}
