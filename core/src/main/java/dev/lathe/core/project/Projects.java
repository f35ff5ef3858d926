package dev.lathe.core.project;

import dev.lathe.core.config.HooksFile;
import dev.lathe.core.config.ServerEnvironment;
import dev.lathe.core.hooks.Hook;
import dev.lathe.core.hooks.HookHandler;
import dev.lathe.core.network.BlockedConnections;
import dev.lathe.core.network.NetworkPolicy;
import dev.lathe.core.network.OutboundGate;
import dev.lathe.core.network.Purpose;
import dev.lathe.core.permission.Ruleset;
import dev.lathe.core.trust.Withheld;
import dev.lathe.protocol.api.MemoryListing;
import dev.lathe.core.commandfile.CommandFile;
import dev.lathe.core.commandfile.CommandFiles;
import dev.lathe.core.agent.AgentLoader;
import dev.lathe.core.config.Config;
import dev.lathe.core.config.ConfigLoader;
import dev.lathe.core.config.LathePaths;
import dev.lathe.core.model.ModelResolver;
import dev.lathe.core.model.ProviderSources;
import dev.lathe.core.permission.PrivatePaths;
import dev.lathe.core.permission.PromptFiles;
import dev.lathe.core.claudeplugin.ClaudePlugins;
import dev.lathe.core.claudeplugin.LockedPlugins;
import dev.lathe.core.claudeplugin.PluginLock;
import dev.lathe.core.skill.SkillFiles;
import dev.lathe.core.snapshot.Snapshots;
import dev.lathe.core.store.ProjectStore;
import dev.lathe.core.trust.FolderTrust;
import dev.lathe.llm.Protocols;
import dev.lathe.protocol.ProjectId;
import dev.lathe.protocol.api.ClientEnvironment;
import dev.lathe.core.config.ConfigException;
import java.util.Optional;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Lazily created {@link Project}s, one per folder and client environment ({@link ClientEnvironment}: a client's
 * {@code LATHE_CONFIG}, {@code LATHE_CONFIG_CONTENT} and keys, held in memory only); a bad config fails the call with a
 * {@code ConfigException}. One server serves many folders, so an instance nobody used for a while and no running session
 * needs is closed ({@link #closeIdle}); the next request for that folder opens it again. A folder trusted or revoked
 * meanwhile ({@code lathe trust}) is opened afresh by the next request (DESIGN §18).
 *
 * <p>The configuration is always current: every {@link #get} and {@link #current} (each prompt, each step, each tool
 * call) compares the project's config files with what they were when read ({@link ConfigStamps}: a stat per file while
 * nothing changed) and reads them again when one changed. An invalid edit keeps the last good project for the turns
 * that run ({@link #current}) while {@link #get} (new prompts, sessions) fails with the file, line and key; {@code events}
 * is told of both, so every attached client can show it.
 */
public final class Projects {
    private static final System.Logger LOG = System.getLogger(Projects.class.getName());
    /** How long an unused project instance stays open. */
    public static final Duration IDLE_CLOSE = Duration.ofMinutes(15);

    /** Told when a project's configuration was read again after a change, or failed to. */
    public interface ConfigEvents {
        ConfigEvents NONE = new ConfigEvents() {
            @Override public void updated(Path directory) { }

            @Override public void failed(Path directory, String message) { }
        };

        /** The configuration of the project at {@code directory} changed and is in use from now on. */
        void updated(Path directory);

        /** The configuration of the project at {@code directory} changed and is invalid: {@code message} says where. */
        void failed(Path directory, String message);
    }

    /**
     * Told when a project instance is read (opened, or its configuration read again after a change) and when the last
     * instance of a folder is closed: what lives as long as the instance (its MCP servers) follows it.
     */
    public interface Lifecycle {
        Lifecycle NONE = new Lifecycle() {
            @Override public void read(Project project) { }

            @Override public void closed(Path directory) { }
        };

        /** {@code project} was opened or read again; must return at once (a prompt waits on it). */
        void read(Project project);

        /** No instance of the folder at {@code directory} is open any more. */
        void closed(Path directory);
    }

    /** One open project: a folder as one client environment sees it. */
    record Key(Path directory, ClientEnvironment environment) {}

    /**
     * An open project: the last good {@code project}, what its config, instructions and agents were read from, and the
     * error of the config files as they are now, if they are invalid.
     */
    /**
     * An open project with the config stamps, instructions and agent files it was read with, the last read's error, and
     * {@code pins}: what trust had approved of the folder's definitions when it was read (a change reads it afresh).
     */
    record Entry(Project project, ConfigStamps config, Instructions.Loaded instructions, AgentLoader.Loaded agents,
            Optional<ConfigException> error, java.util.Set<String> pins) {
        Entry with(Project p, Instructions.Loaded i, AgentLoader.Loaded a) { return new Entry(p, config, i, a, error, pins); }

        Entry with(ConfigStamps stamps, Optional<ConfigException> failure) {
            return new Entry(project, stamps, instructions, agents, failure, pins);
        }

        Entry withPins(java.util.Set<String> approved) { return new Entry(project, config, instructions, agents, error, approved); }
    }

    private final ConfigLoader loader;
    private final LathePaths paths;
    private final ProjectStore store;
    private final Protocols protocols;
    private final ProviderSources sources;
    /** The last config outcome told to clients, per folder ({@link #firstReport}). */
    private final Map<Path, List<Object>> reported = new ConcurrentHashMap<>();
    private final ConfigEvents events;
    private final Lifecycle lifecycle;
    private final OpenProjects open;
    private final ServerEnvironment host;
    private final Map<Key, Entry> entries;
    private final Map<Key, Long> lastUsed = new ConcurrentHashMap<>();
    private final LongAdder looks = new LongAdder();
    private final Clock clock;
    /**
     * Kept across {@link #invalidate} and {@link #closeIdle}: a running turn and the next one must share one snapshot
     * lock per folder.
     */
    private final Map<Path, Snapshots> snapshots = new ConcurrentHashMap<>();

    private final SkippedPromptFiles skippedPromptFiles = new SkippedPromptFiles();
    private final LockedPlugins lockedPlugins;

    /** Where the outbound connections local-only mode refuses are recorded. */
    private final BlockedConnections blocked;

    /** Where the refused connections are recorded: what {@code GET /network/blocked} lists. */
    public BlockedConnections blocked() { return blocked; }

    /**
     * Whether an open project instance is in local-only mode: the server's own connections (the catalog refresh) then
     * wait, since a shared daemon cannot tell whose they are (decision 120).
     */
    public boolean anyLocal() { return open.anyLocal(); }

    /**
     * What a {@code Projects} tells and shares, given when it is built: {@code events} hears config changes,
     * {@code lifecycle} follows instances as they are read and closed (what lives as long as an instance: its MCP and
     * language servers, its ACP agents), {@code blocked} records the connections local-only mode refuses, and
     * {@code open} holds the open instances (built first by whoever must ask about them before this exists);
     * {@code host} is the server's environment, which every project carries ({@link Project#host}).
     */
    public record Wiring(ConfigEvents events, Lifecycle lifecycle, BlockedConnections blocked, OpenProjects open,
            ServerEnvironment host) {
        /** Only {@code events} told; nothing follows the instances; refusals kept in memory. */
        public static Wiring of(ConfigEvents events, ServerEnvironment host) {
            return new Wiring(events, Lifecycle.NONE, BlockedConnections.inMemory(), new OpenProjects(), host);
        }
    }

    /** The environment of the server these projects run in. */
    public ServerEnvironment host() { return host; }

    /** Where Lathe keeps things (the turn's raw log of failed attempts goes under its state folder). */
    public LathePaths paths() { return paths; }

    public Projects(ConfigLoader loader, LathePaths paths, ProjectStore store, Protocols protocols, ProviderSources sources, Wiring wiring) {
        this(loader, paths, store, protocols, sources, wiring, Clock.systemUTC());
    }

    Projects(ConfigLoader loader, LathePaths paths, ProjectStore store, Protocols protocols, ProviderSources sources, Wiring wiring,
            Clock clock) {
        this.clock = clock;
        this.sources = sources;
        this.loader = loader;
        this.paths = paths;
        this.lockedPlugins = new LockedPlugins(paths.claudePlugins());
        this.store = store;
        this.protocols = protocols;
        this.events = wiring.events();
        this.lifecycle = wiring.lifecycle();
        this.blocked = wiring.blocked();
        this.open = wiring.open();
        this.host = wiring.host();
        this.entries = open.entries;
    }

    /** The project at {@code directory} under the server's own environment; see {@link #get(String, ClientEnvironment)}. */
    public Project get(String directory) {
        return get(directory, ClientEnvironment.NONE);
    }

    /**
     * The project at {@code directory} as a client with {@code environment} sees it, opened on first use, with its
     * configuration read again if a config file changed. Its instructions (block B) are read again when a file they came
     * from changed or an {@code AGENTS.md}/{@code CLAUDE.md} appeared where they looked (after {@code /init}, or an
     * edit), and its agents when an agent file was added, changed or removed.
     *
     * @throws ConfigException when the configuration as it is now is invalid (what a new prompt must be refused with)
     */
    public Project get(String directory, ClientEnvironment environment) {
        Entry entry = refreshed(new Key(ProjectRoot.normalise(directory), environment));
        if (entry.error().isPresent()) throw entry.error().get();
        return entry.project();
    }

    /**
     * The project at {@code directory} for a turn that runs: as {@link #get} but, while an edit left the configuration
     * invalid, the last good one (the turn goes on under it; {@link #get} refuses new prompts meanwhile).
     *
     * @throws ConfigException only when the configuration was never valid since the project was opened
     */
    public Project current(String directory, ClientEnvironment environment) {
        return refreshed(new Key(ProjectRoot.normalise(directory), environment)).project();
    }

    /**
     * Looks at the config files of every open project now (a stat per file), reading those that changed, so a change is
     * applied and reported ({@link ConfigEvents}) without waiting for the next prompt.
     */
    public void checkOpen() {
        for (Key key : entries.keySet()) {
            try {
                Entry entry = entries.get(key);
                if (entry != null) refresh(key, entry);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "checking the configuration of {0}: {1}", key.directory(), e.getMessage());
            }
        }
    }

    /**
     * The freshness looks taken so far (each stats every config, memory, rules, skill and agent file of the project):
     * one per decision point ({@link OneLook}), which a test counts.
     */
    public long looks() { return looks.sum(); }

    private Entry refreshed(Key key) {
        return OneLook.shared(this, key, this::look);
    }

    private Entry look(Key key) {
        looks.increment();
        long now = clock.millis();
        // read first: a turn asks several times per step, and a write would hash and compare the key again each time
        Long used = lastUsed.get(key);
        if (used == null || now - used >= 1_000) lastUsed.put(key, now);
        Entry entry = entries.computeIfAbsent(key, this::open);
        if (entry.project().trust() != loader.trustOf(key.directory())) {
            // trusted or revoked since it was opened (lathe trust, a client's answer): read it afresh
            entries.remove(key, entry);
            return refreshed(key);
        }
        java.util.Set<String> pins = loader.trustedFolders().pinsOf(entry.project().repoRoot());
        if (!entry.pins().equals(pins)) {
            // approved anew (lathe trust, a client's answer): read as after an edit, so what was approved and is invalid is
            // reported and the last good project stays; tried once per approval
            Entry reread = reread(key, entry, ConfigStamps.of(loaderFor(key.environment()).files(entry.project().repoRoot())));
            if (reread.error().isPresent()) reread = reread.withPins(pins);
            entry = entries.replace(key, entry, reread) ? reread : entries.getOrDefault(key, reread);
        }
        return refresh(key, entry);
    }

    private Entry refresh(Key key, Entry entry) {
        Entry updated = switch (entry.config().check()) {
            case ConfigStamps.Check.Unchanged _ -> entry;
            case ConfigStamps.Check.Touched t -> entry.with(t.stamps(), entry.error());
            // the files listed again: a file that appeared (a managed drop-in) is watched from now on
            case ConfigStamps.Check.Changed _ -> reread(key, entry, ConfigStamps.of(loaderFor(key.environment()).files(entry.project().repoRoot())));
        };
        Project project = updated.project();
        Instructions.Loaded instructions = updated.instructions();
        AgentLoader.Loaded agentFiles = updated.agents();
        if (!instructions.isCurrent()) {
            instructions = blockB(project.directory(), project.repoRoot(), project.config(), promptFiles(project));
            project = project.withInstructions(instructions.text());
        }
        if (!agentFiles.isCurrent()) {
            agentFiles = AgentLoader.load(project.config(), AgentLoader.userFolders(paths), plugins(project.config()).agentSources(), project.repoRoot(),
                    project.directory(), promptFiles(project));
            project = project.withAgents(agentFiles.agents());
        }
        if (project != updated.project()) updated = updated.with(project, instructions, agentFiles);
        if (updated == entry) return entry;
        // an invalidate() or another refresh meanwhile wins: the next call starts from what it left
        return entries.replace(key, entry, updated) ? updated : entries.getOrDefault(key, updated);
    }

    /** A config file changed: the project opened again, or, when the files are invalid now, the last good one kept. */
    private Entry reread(Key key, Entry entry, ConfigStamps stamps) {
        try {
            Entry opened = open(key, stamps);
            if (firstReport(key, "updated", stamps)) events.updated(key.directory());
            return opened;
        } catch (ConfigException e) {
            if (firstReport(key, e.getMessage(), stamps)) {
                LOG.log(System.Logger.Level.WARNING, "configuration of {0} is invalid, the last good one stays in use: {1}", key.directory(),
                        e.getMessage());
                events.failed(key.directory(), e.getMessage());
            }
            return entry.with(stamps, Optional.of(e));
        }
    }

    /**
     * Whether this outcome of these files is news for the folder: every open entry of a folder (one per client
     * environment, checked by a prompt and by the background check) sees the same edit, and clients are told once.
     */
    private boolean firstReport(Key key, String outcome, ConfigStamps stamps) {
        List<Object> report = List.of(outcome, stamps);
        return !report.equals(reported.put(key.directory(), report));
    }

    /** Warnings about agent files of the project at {@code directory} that were skipped (file, line, problem). */
    public List<String> agentWarnings(String directory) {
        Key key = new Key(ProjectRoot.normalise(directory), ClientEnvironment.NONE);
        get(directory);
        Entry entry = entries.get(key);
        return entry == null ? List.of() : entry.agents().warnings();
    }

    /**
     * The instances of {@code directory} open now, one per client environment that opened it, as last read: no look at
     * its files (what the audit log masks with, once per entry, must not cost a stat per config file).
     */
    public List<Project> opened(String directory) {
        Path dir;
        try {
            dir = ProjectRoot.normalise(directory);
        } catch (RuntimeException notAPath) {
            return List.of();
        }
        List<Project> out = new ArrayList<>();
        entries.forEach((key, entry) -> {
            if (key.directory().equals(dir) && entry.project() != null) out.add(entry.project());
        });
        return out;
    }

    /** Folders with an open instance. */
    public Set<Path> open() {
        var out = new java.util.HashSet<Path>();
        for (Key k : entries.keySet()) out.add(k.directory());
        return Set.copyOf(out);
    }

    /**
     * Closes the instances unused for {@code idleFor} whose folder {@code inUse} does not claim (a running session).
     *
     * @return the folders closed
     */
    public List<Path> closeIdle(Duration idleFor, Predicate<Path> inUse) {
        long cutoff = clock.millis() - idleFor.toMillis();
        List<Path> closed = new ArrayList<>();
        for (Key key : entries.keySet()) {
            if (lastUsed.getOrDefault(key, 0L) > cutoff || inUse.test(key.directory())) continue;
            // a get() racing with this simply opens the folder again
            if (entries.remove(key) != null) {
                lastUsed.remove(key);
                if (!closed.contains(key.directory())) closed.add(key.directory());
            }
        }
        for (Path dir : closed) {
            if (entries.keySet().stream().noneMatch(k -> k.directory().equals(dir))) lifecycle.closed(dir);
        }
        return closed;
    }

    /**
     * Forgets every project whose configuration is read at {@code repoRoot}, so the next {@link #get} loads it again:
     * called after that configuration changed through the API.
     */
    public void invalidate(Path repoRoot) {
        entries.values().removeIf(e -> e.project().repoRoot().equals(repoRoot));
    }

    /**
     * The id of the project at {@code directory} (normalised), registered on first use, without loading its config:
     * the folder need not exist (a session imported from another machine).
     */
    public ProjectId idFor(String directory) {
        return store.idFor(ProjectRoot.normalise(directory).toString());
    }

    /** The custom slash commands of {@code project}, read now (they are not part of any prompt, so never stale). */
    public List<CommandFile> commands(Project project) {
        List<CommandFile> files = CommandFiles.find(ProjectRoot.upToRoot(project.directory(), project.repoRoot()), paths.userCommands(),
                plugins(project).commandSources(), promptFiles(project));
        return ConfigCommands.after(files, project.config().commands(), project.repoRoot());
    }

    /**
     * The Claude Code plugins of {@code project}, read now: those installed in the data folder ({@code lathe plugin add})
     * and those its configuration's {@code plugins} names (an untrusted folder's own are withheld). A broken plugin is
     * left out and named in {@link ClaudePlugins.Loaded#problems}. The hook engine takes their hooks from here.
     */
    public ClaudePlugins.Loaded plugins(Project project) {
        return plugins(project.config());
    }

    private ClaudePlugins.Loaded plugins(Config config) {
        // the installed ones only as lathe-plugins.lock holds them (DESIGN §33); a config's own folders are the user's or a trusted folder's
        LockedPlugins.Checked locked = lockedPlugins.check();
        List<Path> folders = new ArrayList<>(locked.allowed());
        folders.addAll(config.plugins());
        if (folders.isEmpty() && locked.refused().isEmpty()) return ClaudePlugins.Loaded.NONE;
        ClaudePlugins.Loaded loaded = ClaudePlugins.load(folders, sources.env());
        if (locked.refused().isEmpty()) return loaded;
        List<String> problems = new ArrayList<>(locked.refused().stream().map(r -> r.name() + ": " + r.why()).toList());
        problems.addAll(loaded.problems());
        return new ClaudePlugins.Loaded(loaded.plugins(), problems);
    }

    /** The installed plugins not started because their files are not the ones locked, said whatever the folder's trust. */
    public List<Withheld> pluginsNotAsLocked() {
        return lockedPlugins.check().refused().stream().map(r -> new Withheld(Withheld.Kind.PLUGINS, PluginLock.FILE, List.of(r.name() + " is " + r.why()),
                Withheld.Reason.NOT_AS_LOCKED)).toList();
    }

    /**
     * The hooks of the Claude Code plugins, after the configured ones (Claude Code merges a plugin's hooks with the
     * user's and project's); a plugin whose hooks do not read is left out with a warning naming file, line and key.
     */
    private static List<Hook> pluginHooks(ClaudePlugins.Loaded plugins) {
        List<Hook> out = new ArrayList<>();
        for (var ph : plugins.hooks()) {
            Map<String, String> events = new java.util.LinkedHashMap<>();
            Map<String, Integer> lines = new java.util.HashMap<>();
            ph.events().forEach(e -> {
                events.put(e.name(), e.json());
                lines.put(e.name(), e.line());
            });
            try {
                out.addAll(HooksFile.ofPlugin(ph.source(), ph.root(), events, lines));
            } catch (ConfigException e) {
                LOG.log(System.Logger.Level.WARNING, "the hooks of plugin " + ph.plugin() + " are left out: " + e.getMessage());
            }
        }
        return out;
    }

    /** The instruction files system block B of {@code project} is read from, in order (for {@code InstructionsLoaded} hooks). */
    public List<Path> instructionFiles(Project project) {
        return Instructions.files(project.directory(), project.repoRoot(), paths.config(), home(), project.config().instructions(),
                promptFiles(project));
    }

    /** What {@code /memory} shows: block B's files read now through the project's check, with why, and what was not read. */
    public MemoryListing memory(Project project) {
        Instructions.Loaded loaded = Instructions.read(project.directory(), project.repoRoot(), paths.config(), home(), project.config().instructions(),
                promptFiles(project));
        java.util.function.Function<Path, String> name = f -> Instructions.name(f, project.directory(), project.repoRoot(), home());
        return new MemoryListing(
                loaded.memories().stream().map(m -> new MemoryListing.Entry(name.apply(m.file()), m.why())).toList(),
                loaded.scoped().stream().map(r -> new MemoryListing.Entry(name.apply(r.file()),
                        "joins when a file matching " + String.join(", ", r.paths()) + " is read or edited")).toList(),
                loaded.problems().stream().map(MemoryFiles.Problem::message).toList());
    }

    /**
     * The check every file of {@code project} passes before it is read into a prompt (issue 40): links out of the
     * project are withheld until the folder is trusted, Lathe's and the kernel's folders are never included, and the
     * project's {@code read} rules apply to each file by the path it was found at and by its real path.
     */
    public PromptFiles promptFiles(Project project) {
        return promptFiles(project.repoRoot(), project.directory(), project.rules(), project.trust());
    }

    private PromptFiles promptFiles(Path repo, Path dir, Ruleset rules, FolderTrust trust) {
        return new PromptFiles(repo, dir, rules, trust.trusted() ? PromptFiles.Outside.READ_RULES : PromptFiles.Outside.WITHHELD, privatePaths(),
                skippedPromptFiles.listenerFor(repo, home()), home());
    }

    /** The folders no file route serves and no project file brings into a prompt: the kernel's and Lathe's own. */
    public PrivatePaths privatePaths() {
        return new PrivatePaths(List.of(paths.data(), paths.state(), paths.config()));
    }

    /** The files of the project at {@code repoRoot} left out of prompts because they link outside it and it is not trusted. */
    public List<Withheld> linksWithheld(Project project) {
        return skippedPromptFiles.withheld(project.repoRoot());
    }

    /** The global instruction folder ({@code AGENTS.md} there is the user's own, not the project's). */
    public Path userInstructionsDir() { return paths.config(); }

    /** The skills of {@code project}, read now; block B lists those found when it was last read. */
    public SkillFiles.Found skills(Project project) {
        return SkillFiles.find(ProjectRoot.upToRoot(project.directory(), project.repoRoot()), paths.userSkills(), plugins(project).skillSources(),
                promptFiles(project));
    }

    /**
     * System block B: the instructions, then the skills list (DESIGN §7), with the stamps of everything both were read
     * from, so a new, changed or removed {@code SKILL.md} makes it stale like an edited {@code AGENTS.md}.
     */
    private Instructions.Loaded blockB(Path dir, Path repo, Config config, PromptFiles guard) {
        Instructions.Loaded instructions = Instructions.read(dir, repo, paths.config(), home(), config.instructions(), guard);
        SkillFiles.Found skills = SkillFiles.find(ProjectRoot.upToRoot(dir, repo), paths.userSkills(), plugins(config).skillSources(), guard);
        skills.problems().values().forEach(p -> LOG.log(System.Logger.Level.WARNING, "skill left out: {0}", p));
        Map<Path, Instructions.FileStamp> stamps = new java.util.HashMap<>(instructions.stamps());
        for (Path p : skills.watched()) stamps.put(p, Instructions.FileStamp.of(p));
        String listing = SkillFiles.listing(skills.skills());
        String text = instructions.text().isEmpty() ? listing : listing.isEmpty() ? instructions.text() : instructions.text() + "\n\n" + listing;
        instructions.problems().forEach(p -> LOG.log(System.Logger.Level.WARNING, "memory file: {0}", p.message()));
        return instructions.withText(text, stamps);
    }

    private Path home() {
        return Path.of(sources.env().getOrDefault("HOME", System.getProperty("user.home")));
    }

    private Entry open(Key key) {
        return open(key, ConfigStamps.of(loaderFor(key.environment()).files(ProjectRoot.repoRoot(key.directory()))));
    }

    /** Reads the project afresh; {@code stamps} were taken before, so a write meanwhile is seen by the next check. */
    private Entry open(Key key, ConfigStamps stamps) {
        Path dir = key.directory();
        Path repo = ProjectRoot.repoRoot(dir);
        FolderTrust trust = loader.trustOf(dir);
        // taken before the read: an approval meanwhile differs from them, so the next prompt reads the folder again
        java.util.Set<String> pins = loader.trustedFolders().pinsOf(repo);
        Config read = loaderFor(key.environment()).load(repo, trust);
        ClaudePlugins.Loaded plugins = plugins(read);
        // a plugin's MCP servers join the configured ones, below them (as a trusted folder's .mcp.json does)
        Config withPlugins = read.withMcpBelow(plugins.mcpServers()).withHooksAfter(pluginHooks(plugins));
        var network = new OutboundGate(NetworkPolicy.of(withPlugins), dir.toString(), blocked);
        // local-only mode: an HTTP hook to a host it does not allow never runs (recorded as blocked once)
        Config config = !network.isLocal() ? withPlugins : withPlugins.withHooksWhere(h -> !(h.handler() instanceof HookHandler.Http http)
                || network.allows(Purpose.hook(h.event().wire()), http.url()));
        var rules = Project.rulesOf(config);
        // read afresh (a trust change reopens the folder): what is withheld now is said anew
        skippedPromptFiles.reset(repo);
        PromptFiles guard = promptFiles(repo, dir, rules, trust);
        Instructions.Loaded loaded = blockB(dir, repo, config, guard);
        AgentLoader.Loaded agentFiles = AgentLoader.load(config, AgentLoader.userFolders(paths), plugins.agentSources(), repo, dir, guard);
        ProviderSources seen = key.environment().equals(ClientEnvironment.NONE) ? sources
                : new ProviderSources(sources.catalog(), sources.auth(), key.environment().over(sources.env()));
        var project = new Project(store.idFor(dir.toString()), dir, repo, trust, config, rules, new ModelResolver(config, protocols, seen, network),
                loaded.text(), snapshots.computeIfAbsent(dir, d -> new Snapshots(paths.data(), d, host.gitAttributes())), agentFiles.agents(), network,
                host);
        lifecycle.read(project);
        return new Entry(project, stamps, loaded, agentFiles, Optional.empty(), pins);
    }

    /** The loader as a client with {@code environment} sees the config: its {@code LATHE_CONFIG}, inline config, keys. */
    private ConfigLoader loaderFor(ClientEnvironment environment) {
        return environment.equals(ClientEnvironment.NONE) ? loader : loader.withEnvironment(environment.over(loader.environment()));
    }
}
