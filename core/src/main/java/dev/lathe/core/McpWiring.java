package dev.lathe.core;

import dev.lathe.core.agent.BuiltinAgents;
import dev.lathe.core.config.LathePaths;
import dev.lathe.core.bus.EventBus;
import dev.lathe.core.info.ProjectInfo;
import dev.lathe.core.mcp.CodeModeTools;
import dev.lathe.core.mcp.McpExtensionTools;
import dev.lathe.core.mcp.McpPins;
import dev.lathe.core.network.OutboundGate;
import dev.lathe.core.network.Purpose;
import dev.lathe.core.toolcall.ExtensionTools;
import dev.lathe.core.mcp.McpOutbound;
import dev.lathe.core.mcp.McpSignIns;
import dev.lathe.mcp.Elicitor;
import dev.lathe.mcp.McpServerSpec;
import dev.lathe.mcp.oauth.McpOAuth;
import dev.lathe.mcp.oauth.OAuthException;
import dev.lathe.protocol.api.EventFilter;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.McpSignInStarted;
import dev.lathe.core.mcp.ProjectMcpContent;
import dev.lathe.core.mcp.ProjectMcpServers;
import dev.lathe.core.project.Project;
import dev.lathe.core.project.Projects;
import dev.lathe.llm.TokenEstimate;
import dev.lathe.mcp.McpOptions;
import dev.lathe.tools.Tool;
import dev.lathe.tools.ToolRegistry;
import dev.lathe.llm.ToolSpec;
import dev.lathe.mcp.McpServerStatus;
import dev.lathe.protocol.api.McpServerInfo;
import dev.lathe.protocol.event.Event;
import dev.lathe.core.mcp.SessionMcpServers;
import dev.lathe.core.mcp.SessionMcpTools;
import dev.lathe.core.mcp.ToolAllowance;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.SessionMcpServer;
import dev.lathe.tools.builtin.ChildEnvironment;
import dev.lathe.tools.Effect;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The MCP servers of a running Lathe (DESIGN §14): each project's servers start in the background when its instance is
 * read, restart when its {@code mcp} changes, stop when it closes and when Lathe stops; their tools reach sessions
 * through {@link McpExtensionTools}, their prompts and resources through {@link ProjectMcpContent}. The servers a client
 * brings for one session ({@code PUT /sessions/{id}/mcp}) run in {@link SessionMcpServers}, their tools reach that
 * session only through {@link SessionMcpTools} ({@link #sessionTools}, which also answers the project's), and they stop
 * when replaced, when the session is deleted, when its project closes and when Lathe stops.
 *
 * @param env Lathe's environment, which local servers (the project's and a session's) start from scrubbed of
 *     credentials and provider keys ({@link #serverEnvironment})
 */
record McpWiring(ProjectSide projects, SessionSide sessions, Map<String, String> env, EventBus bus) implements AutoCloseable, ProjectInfo.McpStatuses {
    private static final System.Logger LOG = System.getLogger(McpWiring.class.getName());

    /** A project's servers, their tools and content, and the sign-ins of its remote servers. */
    record ProjectSide(ProjectMcpServers servers, McpExtensionTools tools, ProjectMcpContent content, McpSignIns signIns) {}

    /** The servers clients brought for sessions, their tools, and the subscription that stops them with a deleted session. */
    record SessionSide(SessionMcpServers servers, SessionMcpTools tools, AutoCloseable ends) {}

    ProjectMcpServers servers() { return projects.servers(); }

    McpExtensionTools tools() { return projects.tools(); }

    ProjectMcpContent content() { return projects.content(); }

    McpSignIns signIns() { return projects.signIns(); }

    SessionMcpServers sessionServers() { return sessions.servers(); }

    SessionMcpTools sessionTools() { return sessions.tools(); }

    AutoCloseable sessionEnds() { return sessions.ends(); }

    /** DESIGN §16: the system prompt and every tool definition of the first request fit in this many tokens. */
    static final int FIRST_REQUEST_BUDGET = 5_000;

    /**
     * Everything MCP, built in dependency order: the registries of running servers first, then the tools and content
     * that look servers up in them, then the servers, whose statuses and list changes reach those tools and content
     * (no forward reference, issue 41). {@code beforeMcp} are the extension tools offered before MCP's in a project
     * (the plugins' and the lsp tool: they share the allowance); {@code parents} finds a session's parent (a
     * subagent's session sees the servers a client brought for its parent).
     */
    static McpWiring start(LathePaths paths, ToolRegistry builtins, EventBus bus, Map<String, String> env,
            ExtensionTools beforeMcp, java.util.function.Function<String, Optional<String>> parents) {
        var allowance = new FirstRequest(builtins, beforeMcp);
        var running = ProjectMcpServers.registry();
        // tool_search is offered while servers start, and a call to a starting server's tool waits for it (issue 42)
        var tools = new McpExtensionTools(allowance, running::client, running::starting, running::codeMode);
        var content = new ProjectMcpContent(running);
        ProjectMcpServers servers = new ProjectMcpServers(paths.state(), McpOptions.Backoff.DEFAULT, running, new ProjectMcpServers.Listener() {
            @Override
            public void status(Path root, McpServerStatus status) {
                tools.status(root, status);
                content.status(root, status);
                bus.publish(Optional.of(root.toString()), new Event.McpStatusChanged(root.toString(), info(status)));
            }

            @Override public void toolsChanged() { tools.toolsChanged(); }

            @Override public void contentChanged() { content.listChanged(); }

            @Override public Elicitor elicitor(Path root) { return tools.elicitor(root); }
        }, Optional.of(ProjectMcpServers.serverOAuth(paths.data())));
        // a sign-in a client started ends here: a success restarts the server (it was needs_auth), either way clients hear
        var signIns = new McpSignIns(browser -> McpOAuth.standard(paths.data(), browser), done -> {
            if (done.signedIn()) servers.of(done.root()).ifPresent(c -> c.restart(done.server()));
            bus.publish(Optional.of(done.root().toString()),
                    new Event.McpSignInFinished(done.root().toString(), done.server(), done.signedIn(), done.error()));
        });
        // a session's servers, as a project's: tool_search from the first request, a call waits for its starting server
        var sessionRunning = SessionMcpServers.registry();
        var sessionTools = new SessionMcpTools(tools, sessionRunning::client, sessionRunning::starting, parents);
        var sessionServers = new SessionMcpServers(paths.state(), McpOptions.Backoff.DEFAULT, sessionRunning, new SessionMcpServers.Listener() {
            @Override
            public void status(String id, Path root, McpServerStatus status) {
                sessionTools.status(id, status);
                bus.publish(Optional.of(root.toString()), new Event.SessionMcpStatusChanged(new SessionId(id), info(status)));
            }

            @Override public void toolsChanged() { sessionTools.listChanged(); }

            @Override public Elicitor elicitor(String id) { return sessionTools.elicitor(id); }
        });
        // a deleted session's servers stop with it (its children's too: each has its own session.deleted)
        AutoCloseable sessionEnds = bus.watch(EventFilter.ALL, envelope -> {
            if (envelope.event() instanceof Event.SessionDeleted deleted) {
                sessionTools.close(deleted.sessionId().value());
                sessionServers.close(deleted.sessionId().value());
            }
        });
        return new McpWiring(new ProjectSide(servers, tools, content, signIns), new SessionSide(sessionServers, sessionTools, sessionEnds), Map.copyOf(env), bus);
    }

    /** The MCP tools sessions are offered: the session's and project's servers', with Code Mode's pair where config asks (DESIGN §28). */
    ExtensionTools offered() {
        return CodeModeTools.over(sessionTools(), tools(), env);
    }

    /**
     * The room for MCP tools in a project's first request: {@link #FIRST_REQUEST_BUDGET} less the build agent's prompt
     * and the built-in tools (counted once, when a project first has MCP tools, not at every start: it loads the
     * tokenizer's vocabulary, issue 43) and less what the extension tools offered before MCP's take in that project.
     */
    static final class FirstRequest implements ToolAllowance {
        private final ToolRegistry builtins;
        private final ExtensionTools before;
        private volatile Integer builtIn;

        FirstRequest(ToolRegistry builtins, ExtensionTools before) {
            this.builtins = builtins;
            this.before = before;
        }

        @Override
        public int left(Path root) {
            return afterBuiltIns() - McpWiring.cost(before.offered(root, ""));
        }

        @Override
        public int cost(Tool<?> tool) {
            return toolCost(tool.spec());
        }

        private int afterBuiltIns() {
            Integer v = builtIn;
            if (v != null) return v;
            synchronized (this) {
                if (builtIn == null) {
                    builtIn = FIRST_REQUEST_BUDGET - builtInCost(builtins);
                    LOG.log(System.Logger.Level.DEBUG, "MCP tool allowance: {0} tokens", builtIn);
                }
                return builtIn;
            }
        }
    }

    /**
     * What one tool definition adds to a request: its estimate plus the wrapping every protocol puts around it
     * ({@code {"type":"function","function":{…}}} and the like). Measured: the first request of McpCacheLayoutTest cost
     * 248–350 tokens more on the wire than the estimates of its 17 tools, about 15–21 per tool.
     */
    static final int WIRE_TOKENS_PER_TOOL = 21;

    static int toolCost(ToolSpec spec) {
        return TokenEstimate.of(spec) + WIRE_TOKENS_PER_TOOL;
    }

    /** What {@code tools}' definitions add to a request. */
    static int cost(java.util.List<Tool<?>> tools) {
        int cost = 0;
        for (var t : tools) cost += toolCost(t.spec());
        return cost;
    }

    /** The tokens the build agent's prompt and the built-in tools' definitions cost before any MCP tool. */
    static int builtInCost(ToolRegistry builtins) {
        int cost = TokenEstimate.of(BuiltinAgents.ALL.getFirst().prompt());
        // the default tools: not those offered only where they apply (spend limits, a review, background tasks, teams)
        for (var tool : builtins.all()) {
            if (!Effect.offeredOnlyWhereItApplies(tool.effects())) cost += toolCost(tool.spec());
        }
        return cost;
    }

    /** The statuses of the servers of the open project at {@code root}, as the API answers them. */
    List<McpServerInfo> statuses(Path root) {
        return servers().statuses(root).stream().map(McpWiring::info).toList();
    }

    static McpServerInfo info(McpServerStatus status) {
        return new McpServerInfo(status.name(), status.phase().wire(), status.lastError(), status.restarts());
    }

    @Override
    public List<McpServerInfo> of(Path root) {
        return statuses(root);
    }

    @Override
    public McpServerInfo restart(Path root, String name) {
        var connections = servers().of(root).orElseThrow(() -> new LatheException.NotFound("no MCP servers run for " + root));
        connections.restart(name);
        return connections.statuses().stream().filter(s -> s.name().equals(name)).findFirst().map(McpWiring::info)
                .orElseThrow(() -> new LatheException.NotFound("no MCP server called '" + name + "' runs for " + root));
    }

    @Override
    public McpSignInStarted signIn(Path root, McpServerSpec spec, OutboundGate gate) {
        try {
            return new McpSignInStarted(spec.name(), signIns().start(root, McpSignIns.remote(spec, McpOutbound.of(gate))).toString());
        } catch (McpSignIns.NotSignable e) {
            throw new LatheException.InvalidInput(e.getMessage());
        } catch (OAuthException.Blocked e) {
            // as the refusal of the server itself (ProjectInfo.signInMcp): a rule said no, trying later will not help
            throw new LatheException.InvalidInput("could not sign in to " + spec.name() + ": " + e.getMessage());
        } catch (OAuthException e) {
            throw new LatheException.Unavailable("could not sign in to " + spec.name() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LatheException.Unavailable("the sign-in to " + spec.name() + " was interrupted");
        }
    }

    @Override
    public List<McpServerInfo> session(SessionId id) {
        return sessionServers().statuses(id.value()).stream().map(McpWiring::info).toList();
    }

    @Override
    public List<McpServerInfo> setSession(SessionId id, Project project, List<SessionMcpServer> servers) {
        List<McpServerSpec> specs = List.copyOf(reachable(servers.stream().map(McpWiring::spec)
                .collect(java.util.stream.Collectors.toMap(McpServerSpec::name, s -> s, (a, b) -> b, java.util.LinkedHashMap::new)),
                project.network()).values());
        var names = new java.util.LinkedHashSet<String>();
        specs.forEach(s -> names.add(s.name()));
        // the tools first: a server that connects at once finds its session's scope
        sessionTools().servers(id.value(), project.directory(), names);
        return sessionServers().set(id.value(), project.directory(), specs, serverEnvironment(project))
                .stream().map(McpWiring::info).toList();
    }

    /**
     * What a local MCP server of {@code project} starts from, before its entry's own {@code env}: Lathe's environment
     * without anything named like a credential and without any variable holding one of the project's provider keys —
     * the scrub every child process gets ({@link ChildEnvironment}). A key the user wants a server to have goes in
     * its {@code env}, which is added untouched.
     */
    Map<String, String> serverEnvironment(Project project) {
        return ChildEnvironment.scrubbed(env, LspWiring.secrets(project));
    }

    /**
     * Stops the servers a client brought for a session no client's event stream has reached for
     * {@link SessionMcpServers#UNWATCHED_GRACE}: the editor that brought them died without removing them. A stream that
     * carries the session's events counts ({@code lathe acp} holds one on the project's folder while the editor has the
     * session open); observers inside the server ({@link EventBus#watch}) do not.
     */
    void closeUnwatched() {
        Set<String> closed = sessionServers().closeUnwatched((id, root) -> bus.reaches(Optional.of(root.toString()),
                new Event.SessionMcpStatusChanged(new SessionId(id), new McpServerInfo("probe", "connected", Optional.empty(), 0))));
        for (String id : closed) {
            sessionTools().close(id);
            LOG.log(System.Logger.Level.INFO, "stopped the MCP servers a client brought for session {0}: no client has followed it for {1}",
                    id, SessionMcpServers.UNWATCHED_GRACE);
        }
    }

    /** Whether a session of the project at {@code root} runs servers a client brought (its instance is kept open then). */
    boolean sessionServersIn(Path root) {
        return sessionServers().roots().contains(root);
    }

    /**
     * A client's server as the MCP module runs it: enabled, the default timeout, and for a remote one no OAuth (the
     * editor's headers carry what it authenticates with; Lathe's sign-in is for servers configured in the project).
     */
    static McpServerSpec spec(SessionMcpServer server) {
        return switch (server) {
            case SessionMcpServer.Stdio s -> {
                var command = new java.util.ArrayList<String>();
                command.add(s.command());
                command.addAll(s.args());
                yield new McpServerSpec.Local(s.name(), command, s.env(), McpServerSpec.Activation.ENABLED, McpServerSpec.DEFAULT_TIMEOUT);
            }
            case SessionMcpServer.Http h -> new McpServerSpec.Remote(h.name(), java.net.URI.create(h.url()), h.headers(), McpServerSpec.OAuth.OFF,
                    McpServerSpec.Activation.ENABLED, McpServerSpec.DEFAULT_TIMEOUT);
        };
    }

    /**
     * {@code servers} without the enabled remote ones local-only mode does not let Lathe reach ({@code gate}), each
     * recorded as blocked: they never start, so their tools are not offered. Local (stdio) servers all stay: they run
     * on this machine, and what their own processes connect to is theirs, not Lathe's, to police (docs/config.md).
     */
    static Map<String, McpServerSpec> reachable(Map<String, McpServerSpec> servers, OutboundGate gate) {
        if (!gate.isLocal()) return servers;
        var out = new java.util.LinkedHashMap<String, McpServerSpec>();
        servers.forEach((name, spec) -> {
            if (spec instanceof McpServerSpec.Remote r && r.activation() == McpServerSpec.Activation.ENABLED
                    && !gate.allows(Purpose.mcp(name), r.url())) {
                LOG.log(System.Logger.Level.INFO, "local-only mode: MCP server {0} at {1} not started", name, r.url().getHost());
                return;
            }
            out.put(name, spec);
        });
        return java.util.Collections.unmodifiableMap(out);
    }

    Projects.Lifecycle lifecycle() {
        return new Projects.Lifecycle() {
            @Override
            public void read(Project project) {
                Map<String, McpServerSpec> allowed = reachable(project.config().mcp(), project.network());
                servers().open(project.directory(), allowed, serverEnvironment(project), McpOutbound.of(project.network()),
                        McpPins.of(project.repoRoot(), allowed, project.config().plugins()));
                tools().retain(project.directory(), allowed.keySet());
            }

            @Override
            public void closed(Path directory) {
                sessionServers().closeProject(directory).forEach(sessionTools()::close);
                servers().close(directory);
                tools().close(directory);
                content().close(directory);
            }
        };
    }

    @Override
    public void close() {
        signIns().close();
        try {
            sessionEnds().close();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.DEBUG, "closing the session.deleted subscription", e);
        }
        sessionServers().close();
        servers().close();
    }
}
