package dev.lathe.core.info;

import dev.lathe.core.hooks.Hook;
import dev.lathe.core.network.OutboundGate;
import dev.lathe.core.network.Purpose;
import dev.lathe.core.store.SessionStore;
import dev.lathe.core.subscription.Plan;
import dev.lathe.core.subscription.PlanEndpoints;
import dev.lathe.core.subscription.PlanSignIns;
import dev.lathe.core.subscription.SignInException;
import dev.lathe.core.worktree.WorktreeLocation;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.BlockedConnection;
import dev.lathe.protocol.api.HookListing;
import dev.lathe.protocol.api.LspServerInfo;
import dev.lathe.protocol.api.MemoryListing;
import dev.lathe.core.auth.AuthStore;
import dev.lathe.core.config.ConfigEditor;
import dev.lathe.core.config.ConfigException;
import dev.lathe.protocol.api.ClientEnvironment;
import dev.lathe.core.config.ConfigLoader;
import dev.lathe.core.model.KnownModels;
import dev.lathe.core.model.KnownProviders;
import dev.lathe.core.model.ProviderSources;
import dev.lathe.core.project.Project;
import dev.lathe.core.project.ProjectRoot;
import dev.lathe.core.project.Projects;
import dev.lathe.protocol.RawJson;
import dev.lathe.protocol.api.AgentInfo;
import dev.lathe.protocol.api.ModesInfo;
import dev.lathe.protocol.api.PermissionMode;
import dev.lathe.core.agent.BuiltinAgents;
import dev.lathe.core.permission.AutoApproval;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.AuthRequest;
import dev.lathe.protocol.api.CommandInfo;
import dev.lathe.protocol.api.FileContent;
import dev.lathe.protocol.api.FileEntry;
import dev.lathe.protocol.api.ModelInfo;
import dev.lathe.protocol.api.ProjectFolder;
import dev.lathe.protocol.api.ProviderInfo;
import dev.lathe.protocol.api.ProviderSignInStarted;
import dev.lathe.protocol.api.SessionMcpServer;
import dev.lathe.protocol.api.SkillInfo;
import dev.lathe.protocol.api.McpServerInfo;
import dev.lathe.protocol.api.McpSignInStarted;
import dev.lathe.mcp.McpServerSpec;
import dev.lathe.protocol.api.McpResourceInfo;
import dev.lathe.core.mcp.McpContent;
import dev.lathe.core.command.McpPromptCommands;
import dev.lathe.protocol.api.TextMatch;
import dev.lathe.protocol.api.TrustInfo;
import dev.lathe.protocol.api.TrustRequest;
import dev.lathe.tools.builtin.ProjectSearch;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The project and user routes of the API (DESIGN §6) in process: what clients ask about a folder (agents, commands,
 * skills, models, providers, configuration, files, search) and the keys stored for the user.
 *
 * <p>Contract: called on the request's virtual thread, blocking. Bad input answers a {@link LatheException} case with a
 * message that says what to fix (InvalidInput a bad argument, Forbidden a path outside the project, NotFound missing,
 * TooLarge too large, InvalidConfig invalid configuration); a key is never logged, echoed or put in a message.
 */
public final class ProjectInfo {
    /** Provider ids as the catalog and config spell them ({@code openrouter}, {@code llama.cpp}, {@code my-local}). */
    private static final Pattern PROVIDER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final int MAX_KEY = 8192;

    private final List<CommandInfo> builtinCommands;
    private final Projects projects;
    private final ConfigLoader loader;
    private final ConfigEditor editor;
    private final ProviderSources sources;
    private final AuthStore auth;
    private final FileFinder finder;
    private final TrustAnswers trust;
    /** The environment of the client asking ({@link #withEnvironment}): its config and keys, in memory only. */
    private final ClientEnvironment environment;
    private final McpStatuses mcp;
    private final McpContent content;
    /** What the server runs beside the projects (shared with every {@link #withEnvironment} copy). */
    private final Wiring wiring;

    /** What these answers read from the rest of the server, given when they are made: one port (decision 536). */
    public interface Wiring {
        /** The Java plugins' hooks of the project folder {@code directory} (they fire after the configured ones). */
        List<Hook> pluginHooks(Path directory);

        /** The language servers of the open project at {@code root} and their states. */
        List<LspServerInfo> languageServers(Path root);

        /**
         * Whether the folder {@code directory} has sessions: with a trusted or answered folder, what the file routes
         * serve ({@link ServedFiles}; projects of this server, issue 40).
         */
        boolean hasSessions(Path directory);

        /** The server's subscription sign-ins ({@code /connect}); empty where none are run. */
        Optional<PlanSignIns> signIns();

        /** No plugins, no language servers, no folder with sessions, no sign-ins (tests of the answers alone). */
        Wiring NONE = new Wiring() {
            @Override public List<Hook> pluginHooks(Path directory) { return List.of(); }

            @Override public List<LspServerInfo> languageServers(Path root) { return List.of(); }

            @Override public boolean hasSessions(Path directory) { return false; }

            @Override public Optional<PlanSignIns> signIns() { return Optional.empty(); }
        };
    }

    /**
     * The MCP servers of an open project root with their statuses now (the core's {@code ProjectMcpServers}), and what a
     * client may do to them. Where none run (tests, a lambda of {@link #of} alone) the actions are unavailable.
     */
    @FunctionalInterface
    public interface McpStatuses {
        List<McpServerInfo> of(Path root);

        /** Restarts the configured, enabled server {@code name} of the open project at {@code root}; its status now. */
        default McpServerInfo restart(Path root, String name) {
            throw new LatheException.Unavailable("MCP servers are not run here");
        }

        /**
         * Starts the sign-in to the remote server {@code spec} of the open project at {@code root}; the URL to open. Its
         * OAuth requests ask {@code gate}, the project's (local-only mode: loopback only, each refusal recorded).
         */
        default McpSignInStarted signIn(Path root, McpServerSpec spec, OutboundGate gate) {
            throw new LatheException.Unavailable("MCP servers are not run here");
        }

        /** The servers a client brought for session {@code id}, with their statuses now; empty when none. */
        default List<McpServerInfo> session(SessionId id) {
            return List.of();
        }

        /** Runs {@code servers} for session {@code id} of {@code project} instead of what it ran; their statuses now. */
        default List<McpServerInfo> setSession(SessionId id, Project project,
                List<SessionMcpServer> servers) {
            throw new LatheException.Unavailable("MCP servers are not run here");
        }
    }

    /** @param content the MCP servers' prompts (listed as commands) and resources (for {@code @} completion) */
    public ProjectInfo(Projects projects, ConfigLoader loader, ProviderSources sources, AuthStore auth, ProjectSearch search,
            List<CommandInfo> builtinCommands, McpStatuses mcp, McpContent content, Wiring wiring) {
        this.mcp = mcp;
        this.content = content;
        this.wiring = wiring;
        this.environment = ClientEnvironment.NONE;
        this.builtinCommands = List.copyOf(builtinCommands);
        this.projects = projects;
        this.loader = loader;
        this.editor = new ConfigEditor(loader);
        this.sources = sources;
        this.auth = auth;
        this.finder = new FileFinder(search, FileFinder.REUSE);
        this.trust = new TrustAnswers(this::project, projects, loader);
    }

    private ProjectInfo(ProjectInfo base, ClientEnvironment environment) {
        this.environment = environment;
        this.mcp = base.mcp;
        this.content = base.content;
        this.wiring = base.wiring;
        this.builtinCommands = base.builtinCommands;
        this.projects = base.projects;
        this.loader = environment.equals(ClientEnvironment.NONE) ? base.loader : base.loader.withEnvironment(environment.over(base.loader.environment()));
        this.editor = base.editor;
        this.sources = environment.equals(ClientEnvironment.NONE) ? base.sources
                : new ProviderSources(base.sources.catalog(), base.sources.auth(), environment.over(base.sources.env()));
        this.auth = base.auth;
        this.finder = base.finder;
        this.trust = new TrustAnswers(this::project, projects, loader);
    }

    /**
     * These answers as a client with {@code client}'s environment sees the folder: the config, models and key sources
     * its sessions use ({@link ClientEnvironment}).
     */
    public ProjectInfo withEnvironment(ClientEnvironment client) {
        return client.equals(environment) ? this : new ProjectInfo(this, client);
    }

    public List<AgentInfo> agents(String directory) { return ProjectAgents.of(project(directory)); }

    /**
     * The permission modes a prompt in {@code directory} may ask for, in Shift+Tab's order, and the one sessions start in
     * (DESIGN §31): {@code plan} where the folder has that agent, {@code auto} where a classifier is named and the
     * administrator has not turned it off ({@code autoOff} says why not otherwise).
     */
    public ModesInfo modes(String directory) {
        Project project = project(directory);
        List<PermissionMode> modes = new java.util.ArrayList<>(List.of(PermissionMode.DEFAULT, PermissionMode.ACCEPT_EDITS));
        boolean plan = project.agents().find(BuiltinAgents.PLAN).isPresent();
        if (plan) modes.add(PermissionMode.PLAN);
        Optional<AutoApproval> auto = project.config().permissionPolicy().auto();
        if (auto.isPresent()) modes.add(PermissionMode.AUTO);
        PermissionMode start = auto.filter(a -> a.start() == AutoApproval.Start.ALWAYS).isPresent() ? PermissionMode.AUTO
                : plan && project.config().startAgent().filter(BuiltinAgents.PLAN::equals).isPresent() ? PermissionMode.PLAN : PermissionMode.DEFAULT;
        return new ModesInfo(modes, start, auto.map(AutoApproval::model), project.autoOff());
    }

    /** The built-in commands, the project's and the user's files, then the prompts of the folder's connected MCP servers. */
    public List<CommandInfo> commands(String directory) {
        Project project = project(directory);
        var out = new java.util.ArrayList<>(ProjectCommands.of(projects.commands(project), builtinCommands));
        out.addAll(McpPromptCommands.info(content, project));
        return List.copyOf(out);
    }

    /** The resources and resource templates of the folder's connected MCP servers, for {@code @server:uri} completion. */
    public List<McpResourceInfo> mcpResources(String directory) {
        Project project = project(directory);
        return content.resources(project.directory(), project.config().mcp());
    }

    /** The skills the {@code skill} tool can load in {@code directory}, sorted by name. */
    public List<SkillInfo> skills(String directory) {
        return projects.skills(project(directory)).skills().stream().map(s -> new SkillInfo(s.name(), s.description(), s.file().toString())).toList();
    }

    /** The folder's memory files as block B is read from them now, with why, and what was not read (DESIGN §27). */
    public MemoryListing memory(String directory) {
        return projects.memory(project(directory));
    }

    /** The folder's hooks as its sessions fire them, and what an untrusted folder's files defined that was skipped. */
    public HookListing hooks(String directory) {
        var project = project(directory);
        return HookListings.of(project.config(), wiring.pluginHooks(project.directory()));
    }

    /**
     * The folder's language servers and their states now (opens the folder; a server not needed yet is listed, not
     * started); empty when {@code lsp} is off or none is found.
     */
    public List<LspServerInfo> lsp(String directory) {
        return wiring.languageServers(project(directory).directory());
    }

    /** The connections local-only mode refused for the folder and the server (every folder's: empty); opens nothing. */
    public List<BlockedConnection> blockedConnections(String directory) {
        var record = projects.blocked();
        return (directory.isEmpty() ? record.all() : record.concerning(folder(directory).toString())).stream()
                .map(b -> new BlockedConnection(b.folder(), b.host(), b.by(), b.at())).toList();
    }

    /** The folder's MCP servers and their statuses now; opening the folder starts them (in the background). */
    public List<McpServerInfo> mcp(String directory) {
        return mcp.of(project(directory).directory());
    }

    /** The MCP servers a client brought for session {@code id} with their statuses now. */
    public List<McpServerInfo> sessionMcp(SessionId id) {
        return mcp.session(id);
    }

    /** Runs {@code servers} for session {@code id} of {@code project} (as the session sees it) instead of what it ran. */
    public List<McpServerInfo> setSessionMcp(SessionId id, Project project, List<SessionMcpServer> servers) {
        return mcp.setSession(id, project, servers);
    }

    /** Restarts MCP server {@code name} of the folder now; 404 when the folder configures none of that name. */
    public McpServerInfo restartMcp(String directory, String name) {
        Project project = project(directory);
        McpServerSpec spec = mcpServer(project, name);
        if (spec.activation() == McpServerSpec.Activation.DISABLED) {
            throw new LatheException.InvalidInput("MCP server '" + name + "' is disabled in the configuration of " + project.directory());
        }
        return mcp.restart(project.directory(), name);
    }

    /**
     * Starts the subscription sign-in of {@code provider} with the {@code oauth} settings of the folder's configuration;
     * what the user must open (and type).
     */
    public ProviderSignInStarted signInProvider(String directory, String provider, boolean device) {
        var plan = Plan.forProvider(provider).orElseThrow(() -> new LatheException.InvalidInput("'" + provider
                + "' has no subscription sign-in (openai: ChatGPT Plus/Pro, github-copilot: GitHub Copilot); save an API key with lathe auth login "
                + provider + (provider.equals("anthropic") ? " (Claude plans: run Claude Code as an ACP agent, docs/editors.md)" : "")));
        var signIns = wiring.signIns().orElseThrow(() -> new LatheException.Unavailable("subscription sign-in is not run here"));
        try {
            Project project = project(directory);
            var endpoints = PlanEndpoints.of(plan, project.config());
            var started = signIns.start(endpoints, project.network(), device);
            return new ProviderSignInStarted(provider, plan.label(), started.url().toString(), started.userCode());
        } catch (SignInException.PortBusy e) {
            throw new LatheException.Conflict("could not start the " + plan.label() + " sign-in: " + e.getMessage());
        } catch (SignInException.Blocked e) {
            // refused by the project's network policy (403): not a server that may answer later (503, "try again")
            throw new LatheException.Forbidden("could not start the " + plan.label() + " sign-in: " + e.getMessage());
        } catch (SignInException e) {
            throw new LatheException.Unavailable("could not start the " + plan.label() + " sign-in: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            // the config's oauth URLs are checked when it loads; whatever still cannot make a URL is the caller's to fix
            throw new LatheException.InvalidInput("could not start the " + plan.label() + " sign-in: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LatheException.Unavailable("the sign-in was interrupted");
        }
    }

    /** Starts the sign-in to remote MCP server {@code name} of the folder; the URL the user opens. */
    public McpSignInStarted signInMcp(String directory, String name) {
        Project project = project(directory);
        McpServerSpec spec = mcpServer(project, name);
        // a sign-in talks to the server's authorization server: local-only mode refuses it as it refuses the server
        if (spec instanceof McpServerSpec.Remote r && !project.network().allows(Purpose.mcp(name), r.url())) {
            throw new LatheException.InvalidInput(project.network().refusal(Purpose.mcp(name), r.url()));
        }
        return mcp.signIn(project.directory(), spec, project.network());
    }

    private static McpServerSpec mcpServer(Project project, String name) {
        McpServerSpec spec = project.config().mcp().get(name);
        if (spec == null) {
            throw new LatheException.NotFound("no MCP server called '" + name + "' is configured in " + project.directory()
                    + (project.config().mcp().isEmpty() ? "" : " (configured: " + String.join(", ", project.config().mcp().keySet()) + ")"));
        }
        return spec;
    }

    /**
     * The folders the server knows: {@code withSessions} (most recently active first), then trusted folders without
     * sessions; each says whether it is trusted.
     */
    public List<ProjectFolder> folders(List<SessionStore.Folder> withSessions) {
        var trusted = loader.trustedFolders();
        var out = new java.util.ArrayList<ProjectFolder>();
        var seen = new java.util.HashSet<String>();
        for (var f : withSessions) {
            if (!seen.add(f.directory())) continue;
            Path dir = Path.of(f.directory());
            out.add(new ProjectFolder(f.directory(), nameOf(dir), f.sessions(), f.lastActivity(), trusted.of(dir).trusted(),
                    WorktreeLocation.checkedOutBranch(dir)));
        }
        for (Path dir : trusted.list()) {
            if (seen.add(dir.toString())) out.add(new ProjectFolder(dir.toString(), nameOf(dir), 0, 0, true));
        }
        return out;
    }

    private static String nameOf(Path dir) {
        return dir.getFileName() == null ? dir.toString() : dir.getFileName().toString();
    }

    /** The folder's trust and what its untrusted definitions were (DESIGN §14). */
    public TrustInfo trust(String directory) { return trust.of(directory); }

    /** Records the user's answer for the folder; the next prompt applies it. */
    public TrustInfo setTrust(String directory, TrustRequest request) { return trust.answer(directory, request); }

    /** The models of the catalog and the configured providers, or of one provider when {@code provider} is set. */
    public List<ModelInfo> models(String directory, java.util.Optional<String> provider) {
        return KnownModels.listed(project(directory).config(), sources, provider).stream().map(ModelRows::of).toList();
    }

    public List<ProviderInfo> providers(String directory) {
        return KnownProviders.of(project(directory).config(), sources).stream()
                .map(p -> new ProviderInfo(p.id(), p.name(), p.protocol().orElse(""), p.baseUrl().orElse(""), p.keySource().wire(), p.models()))
                .toList();
    }

    /** The merged layers as written, secrets masked (see {@code ConfigMask}). */
    public RawJson config(String directory) {
        Path repo = ProjectRoot.repoRoot(folder(directory));
        try {
            return new RawJson(loader.maskedJson(repo));
        } catch (ConfigException e) {
            throw invalid(e);
        }
    }

    /**
     * Merges {@code patch} into {@code <repository root>/.lathe/lathe.json} (see {@link ConfigEditor}), then drops the
     * cached projects of that root so new turns and requests read the new configuration.
     */
    public RawJson updateConfig(String directory, RawJson patch) {
        Path repo = ProjectRoot.repoRoot(folder(directory));
        boolean allApproved = allApproved(folder(directory));
        try {
            if (editor.apply(repo, patch.json())) {
                // the user's own edit through a client is approved with it, unless something else waits for review
                if (allApproved) TrustReview.approve(loader, folder(directory));
                projects.invalidate(repo);
            }
        } catch (IllegalArgumentException e) {
            throw new LatheException.InvalidInput(e.getMessage());
        } catch (ConfigException e) {
            throw invalid(e);
        } catch (UncheckedIOException e) {
            throw new LatheException.Failed("config_unwritable", e.getMessage());
        }
        return config(directory);
    }

    /** Whether {@code dir} is trusted with nothing added or changed since (a broken config file counts as not). */
    private boolean allApproved(Path dir) {
        try {
            return loader.trustOf(dir).trusted() && TrustReview.pending(loader, dir).isEmpty();
        } catch (ConfigException e) {
            return false;
        }
    }

    public List<FileEntry> files(String directory, String path) { return FileBrowser.list(servedFolder(directory), path, served()); }

    public FileContent fileContent(String directory, String path) { return FileBrowser.read(servedFolder(directory), path, served()); }

    public List<String> findFiles(String directory, String query, int limit) {
        Path root = servedFolder(directory);
        ServedFiles served = served();
        // a search of a home folder lists no file of Lathe's own
        return finder.files(root, query, positive(limit)).stream().filter(p -> !served.isPrivate(root.resolve(p))).toList();
    }

    public List<TextMatch> findText(String directory, String pattern, int limit) {
        Path root = servedFolder(directory);
        ServedFiles served = served();
        // a search of a home folder prints no line of Lathe's own files (auth.json)
        return finder.text(root, pattern, positive(limit)).stream().filter(m -> !served.isPrivate(root.resolve(m.path()))).toList();
    }

    /** Saves the key in the owner-only auth file, as {@code lathe auth login} does. */
    public void setAuth(String provider, AuthRequest request) {
        checkProvider(provider);
        String key = request.key() == null ? "" : request.key().strip();
        if (key.isEmpty()) throw new LatheException.InvalidInput("key must not be empty");
        if (key.length() > MAX_KEY) throw new LatheException.InvalidInput("key is longer than " + MAX_KEY + " characters");
        if (key.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            throw new LatheException.InvalidInput("key must not contain spaces, line breaks or control characters");
        }
        try {
            auth.save(provider, key);
        } catch (IllegalStateException e) {
            throw authFileInvalid(e);
        }
    }

    /** @throws LatheException.NotFound when no key is saved for {@code provider} */
    public void removeAuth(String provider) {
        checkProvider(provider);
        boolean removed;
        try {
            removed = auth.remove(provider);
        } catch (IllegalStateException e) {
            throw authFileInvalid(e);
        }
        if (!removed) throw new LatheException.NotFound("no saved key for " + provider);
    }

    private Project project(String directory) {
        Path dir = folder(directory);
        try {
            return projects.get(dir.toString(), environment);
        } catch (ConfigException e) {
            throw invalid(e);
        }
    }

    /** What the file routes may serve (issue 40): projects of this server, never the kernel's nor Lathe's own folders. */
    private ServedFiles served() {
        var trusted = loader.trustedFolders();
        return new ServedFiles(dir -> wiring.hasSessions(dir) || trusted.of(dir).trusted() || trusted.answered(dir), projects.privatePaths());
    }

    /** A folder the file routes may serve, absolute and real. @throws LatheException Forbidden when it is not a project (see {@link ServedFiles}) */
    private Path servedFolder(String directory) {
        return served().folder(folder(directory));
    }

    /** The project folder, absolute and real. @throws LatheException.InvalidInput when it is not an existing absolute folder */
    private static Path folder(String directory) {
        if (directory.isBlank()) throw new LatheException.InvalidInput("directory is required");
        Path dir;
        try {
            dir = Path.of(directory);
        } catch (InvalidPathException e) {
            throw new LatheException.InvalidInput("not a valid directory: " + directory);
        }
        if (!dir.isAbsolute()) throw new LatheException.InvalidInput("directory must be an absolute path: " + directory);
        if (!Files.isDirectory(dir)) throw new LatheException.InvalidInput("directory does not exist: " + directory);
        return ProjectRoot.normalise(directory);
    }

    private static int positive(int limit) {
        if (limit <= 0) throw new LatheException.InvalidInput("limit must be a positive number");
        return limit;
    }

    private static void checkProvider(String provider) {
        if (!PROVIDER_ID.matcher(provider).matches()) {
            throw new LatheException.InvalidInput("not a provider id: use letters, digits, '.', '_' and '-' (e.g. openrouter, llama.cpp)");
        }
    }

    private static LatheException invalid(ConfigException e) {
        return new LatheException.InvalidConfig(e.getMessage());
    }

    private static LatheException authFileInvalid(IllegalStateException e) {
        return new LatheException.Failed("auth_file_invalid", e.getMessage());
    }
}
