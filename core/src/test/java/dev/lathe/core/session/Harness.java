package dev.lathe.core.session;

import dev.lathe.core.CoreBuilder;
import dev.lathe.core.CoreInputs;
import dev.lathe.core.api.LocalLathe;
import dev.lathe.core.hooks.HookRunLog;
import dev.lathe.core.info.ProjectInfo;
import dev.lathe.core.mcp.ProjectMcpContent;
import dev.lathe.core.mcp.ProjectMcpServers;
import dev.lathe.core.project.Project;
import dev.lathe.core.schedule.Schedules;
import dev.lathe.core.store.Storage;
import dev.lathe.core.store.sqlite.Db;
import dev.lathe.core.store.sqlite.SqliteStorage;
import dev.lathe.core.toolcall.ExtensionTools;
import dev.lathe.mcp.McpOptions;
import dev.lathe.tools.Diagnostics;
import dev.lathe.tools.builtin.ProjectSearch;
import dev.lathe.core.model.CatalogSource;
import dev.lathe.llm.catalog.Catalog;
import dev.lathe.core.config.ConfigLoader;
import dev.lathe.core.config.LathePaths;
import dev.lathe.core.trust.TrustedFolders;
import dev.lathe.core.project.Projects;
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
import dev.lathe.core.session.journal.Journal;
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
    /** The store (SQLite in the data folder), closed with the harness. */
    final Storage storage;
    /** The cluster port the root chose with the storage (one process here). */
    final dev.lathe.core.cluster.Cluster cluster;
    /** The SQLite database under {@link #storage}, for tests that query it directly. */
    final Db db;
    final LocalLathe api;
    /** The cron schedules, over the harness's clock ({@link #clock}): tests call {@code runDue} themselves. */
    final Schedules schedules;
    /** What time it is for the schedules: set by the test. */
    final MovableClock clock = new MovableClock(java.time.Instant.parse("2026-01-05T09:00:30Z"));
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
    private AutoCloseable subscription;
    /** The core's event bus, for {@link #detachClient}. */
    private dev.lathe.core.bus.EventBus bus;
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
        return withHooksAndConfig(tmp, config, runs, null);
    }

    /** As {@link #withHooksAndConfig}, the model reached through {@code protocols} (the config's provider over HTTP). */
    static Harness withHooksAndConfig(Path tmp, String config, dev.lathe.core.hooks.HookRunLog runs, Protocols protocols) throws Exception {
        return new Harness(tmp, config, 10, protocols, ToolRegistry.builtins(), ToolCallSeams.DEFAULT, dev.lathe.core.toolcall.ExtensionTools.NONE, false, runs);
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
            ExtensionTools extensions, boolean mcp, HookRunLog hookRuns) throws Exception {
        project = Files.createDirectories(tmp.resolve("project"));
        // an explicit environment: the test's folders, its config, and a PATH for the commands hooks and tools run
        Map<String, String> env = Map.of("HOME", tmp.toString(), "XDG_DATA_HOME", tmp.resolve("data").toString(),
                "XDG_CONFIG_HOME", tmp.resolve("config").toString(), "XDG_STATE_HOME", tmp.resolve("state").toString(),
                "LATHE_CONFIG_CONTENT", config, "PATH", "/usr/local/bin:/usr/bin:/bin");
        var paths = LathePaths.fromEnvironment(env);
        data = paths.data();
        loader = new ConfigLoader(paths, env, tmp.resolve("managed.json"));
        // the root's own stages, with the scripted protocol (unless one is given), the bundled catalog and the test's tools
        var base = CoreBuilder.base(CoreInputs.of(paths, env, loader).withHttp(java.net.http.HttpClient::newHttpClient)
                .withProtocols(http -> protocols != null ? protocols : Protocols.of(Map.of("openai-chat", llm)))
                .withCatalog((p, e, http, mayRefresh) -> CatalogSource.of(Catalog.bundled())).withTools(tools).withMaxSteps(maxSteps)
                .withSeams(seams).withHookRuns(hookRuns == null ? HookRunLog.NONE : hookRuns).withVersion("9.9.9")
                .withBackground(() -> background).withClock(clock));
        storage = base.storage();
        cluster = base.cluster();
        db = ((SqliteStorage) storage).db();
        var given = mcp ? mcpServers(paths, env) : CoreBuilder.Extensions.of(extensions);
        var services = CoreBuilder.services(base, given);
        projects = services.projects();
        auditFiles = services.auditFiles();
        audit = services.audit();
        sessions = services.sessions();
        sessions.start();
        journal = sessions.journal();
        schedules = services.schedules();
        api = new LocalLathe(sessions.api(), schedules, new ProjectInfo(projects, loader, base.sources(), base.auth(),
                ProjectSearch.auto(), Sessions.builtinCommands(), root -> List.of(), given.content(),
                ProjectInfo.Wiring.NONE), base.broker(), base.bus(), storage::close, base.metrics(),
                () -> java.time.Duration.ofSeconds(dev.lathe.core.config.Config.DEFAULT_DRAIN_SECONDS));
        subscription = api.subscribe(EventFilter.ALL, 0, events::add);
        bus = base.bus();
    }

    /**
     * Leaves the sessions with no client attached (DESIGN §26: nobody could answer their asks): the test goes on
     * seeing the events as an observer inside the server does, which is no client.
     */
    void detachClient() throws Exception {
        var observing = bus.watch(EventFilter.ALL, events::add);
        subscription.close();
        subscription = observing;
    }

    /**
     * The projects' MCP servers (opened with each project, closed with it), their prompts and resources through
     * {@code ProjectMcpContent}; no MCP tools. The servers' registry first, so the content and the servers share it.
     */
    private CoreBuilder.Extensions mcpServers(LathePaths paths, Map<String, String> env) {
        var running = ProjectMcpServers.registry();
        var content = new ProjectMcpContent(running);
        var servers = new ProjectMcpServers(paths.state(), McpOptions.Backoff.DEFAULT, running, content::status, java.util.Optional.empty());
        mcpServers = java.util.Optional.of(servers);
        return new CoreBuilder.Extensions(ExtensionTools.NONE, content, new Projects.Lifecycle() {
            @Override public void read(Project p) { servers.open(p.directory(), p.config().mcp(), env); }

            @Override public void closed(Path directory) { servers.close(directory); }
        }, CoreBuilder.Extensions.ForHooks.NONE, Diagnostics.NONE);
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
        // as the core closes: the turns end before the store does, so nothing writes the folder the test is deleting
        sessions.stop(java.time.Duration.ofSeconds(5));
        mcpServers.ifPresent(dev.lathe.core.mcp.ProjectMcpServers::close);
        background.killAll();
        api.close();
    }
}
