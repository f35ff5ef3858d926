package dev.lathe.core.session;

import dev.lathe.core.api.LocalLathe;
import dev.lathe.core.auth.AuthStore;
import dev.lathe.core.bus.EventBus;
import dev.lathe.core.info.ProjectInfo;
import dev.lathe.core.model.CatalogSource;
import dev.lathe.core.model.ProviderSources;
import dev.lathe.llm.catalog.Catalog;
import dev.lathe.core.config.ConfigLoader;
import dev.lathe.core.config.LathePaths;
import dev.lathe.core.trust.TrustedFolders;
import dev.lathe.core.permission.PermissionBroker;
import dev.lathe.core.project.Projects;
import dev.lathe.core.store.sqlite.Db;
import dev.lathe.core.store.sqlite.SqliteStorage;
import dev.lathe.core.toolcall.ToolCallSeams;
import dev.lathe.llm.Protocols;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.CreateSessionRequest;
import dev.lathe.protocol.api.EventFilter;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.EventEnvelope;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.tools.ToolRegistry;
import dev.lathe.core.audit.AuditFiles;
import dev.lathe.core.audit.ProjectAuditLog;
import dev.lathe.core.toolcall.AuditLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** The real core (SQLite file, bus, sessions, tools) around a scripted protocol, for loop tests. */
final class Harness implements AutoCloseable {
    final Path project;
    /** Lathe's data folder: the snapshot stores live under it. */
    final Path data;
    final Db db;
    final LocalLathe api;
    /** The project instances (their configuration, their Claude Code plugins). */
    final Projects projects;
    final Journal journal;
    /** Where the projects' audit logs are (wired as {@code LatheCore} wires them). */
    final AuditFiles auditFiles;
    /** The sessions behind {@link #api}, and the audit log they write (a test's hook runs go to the same file). */
    final Sessions sessions;
    final ProjectAuditLog audit;
    final ScriptedProtocol llm = new ScriptedProtocol();
    /** The sessions' background commands, killed when the harness closes (as the core kills its own). */
    final dev.lathe.tools.builtin.BackgroundProcesses background = new dev.lathe.tools.builtin.BackgroundProcesses();
    final List<EventEnvelope> events = new CopyOnWriteArrayList<>();
    private final AutoCloseable subscription;
    /** The MCP servers of {@link #withMcpServers}, stopped with the harness. */
    private java.util.Optional<dev.lathe.core.mcp.ProjectMcpServers> mcpServers = java.util.Optional.empty();

    Harness(Path tmp, String extraConfig, int maxSteps) throws Exception {
        this(tmp, "{\"model\": \"fake/m\", \"provider\": {\"fake\": {\"protocol\": \"openai-chat\", \"baseUrl\": \"http://127.0.0.1:9/v1\","
                + " \"models\": {\"m\": {\"context\": 100000, \"output\": 4000}}}}" + extraConfig + "}", maxSteps, null);
    }

    /** The real core with {@code tools} offered and their calls going through a pipeline with {@code seams}. */
    Harness(Path tmp, String extraConfig, ToolRegistry tools, ToolCallSeams seams) throws Exception {
        this(tmp, "{\"model\": \"fake/m\", \"provider\": {\"fake\": {\"protocol\": \"openai-chat\", \"baseUrl\": \"http://127.0.0.1:9/v1\","
                + " \"models\": {\"m\": {\"context\": 100000, \"output\": 4000}}}}" + extraConfig + "}", 10, null, tools, seams);
    }

    /** The real core with {@code tools} and {@code extensions}' tools (MCP) offered after them. */
    Harness(Path tmp, String extraConfig, ToolRegistry tools, dev.lathe.core.toolcall.ExtensionTools extensions) throws Exception {
        this(tmp, "{\"model\": \"fake/m\", \"provider\": {\"fake\": {\"protocol\": \"openai-chat\", \"baseUrl\": \"http://127.0.0.1:9/v1\","
                + " \"models\": {\"m\": {\"context\": 100000, \"output\": 4000}}}}" + extraConfig + "}", 10, null, tools, ToolCallSeams.DEFAULT, extensions);
    }

    /** The real core with the given config; {@code protocols} null means the scripted one stands in for openai-chat. */
    Harness(Path tmp, String config, int maxSteps, Protocols protocols) throws Exception {
        this(tmp, config, maxSteps, protocols, ToolRegistry.builtins(), ToolCallSeams.DEFAULT);
    }

    /**
     * Trusts the project folder (as {@code lathe trust} does), so what it defines that runs code applies: what is there
     * now is approved; what is written after waits for another call (DESIGN §18 "Trust pins what it approved").
     */
    Harness trustProject() {
        dev.lathe.core.info.TrustReview.approve(loader, project);
        return this;
    }

    private ConfigLoader loader;

    /** Takes the project folder's trust back ({@code lathe trust --revoke}). */
    void revokeProject() {
        TrustedFolders.in(data).revoke(project);
    }

    private Harness(Path tmp, String config, int maxSteps, Protocols protocols, ToolRegistry tools, ToolCallSeams seams) throws Exception {
        this(tmp, config, maxSteps, protocols, tools, seams, dev.lathe.core.toolcall.ExtensionTools.NONE);
    }

    private Harness(Path tmp, String config, int maxSteps, Protocols protocols, ToolRegistry tools, ToolCallSeams seams,
            dev.lathe.core.toolcall.ExtensionTools extensions) throws Exception {
        this(tmp, config, maxSteps, protocols, tools, seams, extensions, false, null);
    }

    /**
     * The real core with hooks wired as {@code LatheCore} wires them: tool hooks on the pipeline's seams, the session's
     * own events through {@code SessionHooks}, transcripts written, every run handed to {@code runs}.
     */
    static Harness withHooks(Path tmp, String extraConfig, int maxSteps, dev.lathe.core.hooks.HookRunLog runs) throws Exception {
        return new Harness(tmp, "{\"model\": \"fake/m\", \"provider\": {\"fake\": {\"protocol\": \"openai-chat\", \"baseUrl\": \"http://127.0.0.1:9/v1\","
                + " \"models\": {\"m\": {\"context\": 100000, \"output\": 4000}}}}" + extraConfig + "}", maxSteps, null, ToolRegistry.builtins(),
                ToolCallSeams.DEFAULT, dev.lathe.core.toolcall.ExtensionTools.NONE, false, runs);
    }

    /** As {@link #withHooks}, with the whole configuration given. */
    static Harness withHooksAndConfig(Path tmp, String config, dev.lathe.core.hooks.HookRunLog runs) throws Exception {
        return new Harness(tmp, config, 10, null, ToolRegistry.builtins(), ToolCallSeams.DEFAULT, dev.lathe.core.toolcall.ExtensionTools.NONE, false, runs);
    }

    /**
     * The real core whose projects start the MCP servers of their config (as {@code LatheCore} wires them: servers
     * opened with the project, their prompts and resources through {@code ProjectMcpContent}); no MCP tools.
     */
    static Harness withMcpServers(Path tmp, String extraConfig) throws Exception {
        return new Harness(tmp, "{\"model\": \"fake/m\", \"provider\": {\"fake\": {\"protocol\": \"openai-chat\", \"baseUrl\": \"http://127.0.0.1:9/v1\","
                + " \"models\": {\"m\": {\"context\": 100000, \"output\": 4000}}}}" + extraConfig + "}", 10, null, ToolRegistry.builtins(), ToolCallSeams.DEFAULT,
                dev.lathe.core.toolcall.ExtensionTools.NONE, true, null);
    }

    private Harness(Path tmp, String config, int maxSteps, Protocols protocols, ToolRegistry tools, ToolCallSeams seams,
            dev.lathe.core.toolcall.ExtensionTools extensions, boolean mcp, dev.lathe.core.hooks.HookRunLog hookRuns) throws Exception {
        project = Files.createDirectories(tmp.resolve("project"));
        Map<String, String> env = Map.of("HOME", tmp.toString(), "XDG_DATA_HOME", tmp.resolve("data").toString(),
                "XDG_CONFIG_HOME", tmp.resolve("config").toString(), "XDG_STATE_HOME", tmp.resolve("state").toString(),
                "LATHE_CONFIG_CONTENT", config);
        var paths = LathePaths.fromEnvironment(env);
        data = paths.data();
        db = Db.open(paths.database());
        // one process's cluster, as the root builds it without a store URL: the bus and the brokers go through it
        var cluster = dev.lathe.core.cluster.LocalCluster.alone();
        var bus = EventBus.over(cluster.events());
        var broker = new PermissionBroker(cluster.asks());
        loader = new ConfigLoader(paths, env, tmp.resolve("managed.json"));
        var sources = new ProviderSources(CatalogSource.of(Catalog.bundled()), new AuthStore(paths.authFile()), env);
        var storage = SqliteStorage.over(db);
        var sessionStore = storage.sessions();
        // as LatheCore wires it: every session audits, unless the test watches the call seam itself
        auditFiles = new AuditFiles(paths.audit());
        audit = new ProjectAuditLog(auditFiles, id -> sessionStore.find(new SessionId(id)).map(Session::directory));
        dev.lathe.core.mcp.McpContent content = dev.lathe.core.mcp.McpContent.NONE;
        var lifecycle = dev.lathe.core.project.Projects.Lifecycle.NONE;
        if (mcp) {
            var holder = new dev.lathe.core.mcp.ProjectMcpContent[1];
            var servers = new dev.lathe.core.mcp.ProjectMcpServers(paths.state(), dev.lathe.mcp.McpOptions.Backoff.DEFAULT,
                    (root, status) -> holder[0].status(root, status));
            holder[0] = new dev.lathe.core.mcp.ProjectMcpContent(servers);
            content = holder[0];
            mcpServers = java.util.Optional.of(servers);
            lifecycle = new dev.lathe.core.project.Projects.Lifecycle() {
                @Override public void read(dev.lathe.core.project.Project p) { servers.open(p.directory(), p.config().mcp(), System.getenv()); }

                @Override public void closed(Path directory) { servers.close(directory); }
            };
        }
        projects = new Projects(loader, paths, storage.projects(), protocols != null ? protocols : Protocols.of(Map.of("openai-chat", llm)), sources,
                new Projects.Wiring(Projects.ConfigEvents.NONE, lifecycle, dev.lathe.core.network.BlockedConnections.inMemory(),
                        new dev.lathe.core.project.OpenProjects(), new dev.lathe.core.config.ServerEnvironment(System.getenv())));
        var running = new RunningTurns(storage, cluster, projects, bus);
        var stops = new dev.lathe.core.hooks.HookStops();
        var transcriptFiles = new dev.lathe.core.transcript.TranscriptFiles(paths.state().resolve("transcripts"), sessionStore, storage.messages(), "9.9.9");
        dev.lathe.core.hooks.SessionHooks.Transcripts transcripts = id -> transcriptFiles.sync(new SessionId(id));
        var sessionHooks = new dev.lathe.core.hooks.SessionHooks(System.getenv(), java.net.http.HttpClient.newHttpClient(),
                hookRuns == null ? dev.lathe.core.hooks.HookRunLog.NONE : hookRuns, transcripts, stops);
        if (hookRuns != null) {
            var toolHooks = new dev.lathe.core.hooks.ToolCallHooks(new dev.lathe.core.hooks.ToolCallHooks.ProjectHooks() {
                @Override
                public List<dev.lathe.core.hooks.Hook> hooks(String sessionId) {
                    return running.project(new SessionId(sessionId)).map(p -> p.config().hooks()).orElse(List.of());
                }

                @Override
                public java.util.Set<String> mcpServers(String sessionId) { return java.util.Set.of(); }
            }, System.getenv(), java.net.http.HttpClient.newHttpClient(), hookRuns, stops, transcripts);
            seams = seams.withPreCall(toolHooks).withPostCall(toolHooks);
        }
        sessions = SessionWiring.wire(new SessionWiring.Inputs(storage, cluster, projects, bus, running, broker, tools, extensions, content,
                seams.audit() == AuditLog.NONE ? seams.withAudit(audit) : seams, audit, paths.toolOutput(), maxSteps,
                hookRuns == null ? new dev.lathe.core.hooks.SessionHooks(Map.of(), null, dev.lathe.core.hooks.HookRunLog.NONE,
                        dev.lathe.core.hooks.SessionHooks.Transcripts.NONE, stops) : sessionHooks,
                new dev.lathe.core.acpagent.AgentEngines(System.getenv()), background));
        sessions.start();
        journal = sessions.journal();
        api = new LocalLathe(sessions.api(), new dev.lathe.core.info.ProjectInfo(projects, loader, sources, sources.auth(),
                dev.lathe.tools.builtin.ProjectSearch.auto(), Sessions.builtinCommands(), root -> List.of(), content,
                dev.lathe.core.info.ProjectInfo.Wiring.NONE), broker, bus, db::close);
        subscription = api.subscribe(EventFilter.ALL, 0, events::add);
    }

    Session session() { return session(project); }

    Session session(Path directory) { return api.createSession(CreateSessionRequest.in(directory.toString())); }

    void promptAndWait(SessionId id, String text) throws InterruptedException {
        api.prompt(id, PromptRequest.text(text));
        awaitIdle(id);
    }

    void awaitIdle(SessionId id) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            boolean idleEvent = events.stream().anyMatch(e -> e.event() instanceof Event.SessionStatusChanged s
                    && s.sessionId().equals(id) && s.status() instanceof SessionStatus.Idle);
            if (idleEvent && api.status(id) instanceof SessionStatus.Idle) return;
            Thread.sleep(10);
        }
        throw new AssertionError("session did not become idle");
    }

    /** The first event (published so far or within 30 s: a loaded CI machine) that matches; events reach subscribers asynchronously. */
    Event awaitEvent(java.util.function.Predicate<Event> matching) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            var found = events.stream().map(EventEnvelope::event).filter(matching).findFirst();
            if (found.isPresent()) return found.get();
            Thread.sleep(10);
        }
        throw new AssertionError("no matching event among " + events.stream().map(e -> e.event().getClass().getSimpleName()).toList());
    }

    @Override
    public void close() throws Exception {
        subscription.close();
        mcpServers.ifPresent(dev.lathe.core.mcp.ProjectMcpServers::close);
        background.killAll();
        api.close();
    }
}
