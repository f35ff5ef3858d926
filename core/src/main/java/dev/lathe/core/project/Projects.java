package dev.lathe.core.project;

import dev.lathe.core.command.file.CommandFile;
import dev.lathe.core.command.file.CommandFiles;
import dev.lathe.core.agent.AgentLoader;
import dev.lathe.core.config.Config;
import dev.lathe.core.config.ConfigLoader;
import dev.lathe.core.config.LathePaths;
import dev.lathe.core.model.ModelResolver;
import dev.lathe.core.model.ProviderSources;
import dev.lathe.core.permission.Ruleset;
import dev.lathe.core.skill.SkillFiles;
import dev.lathe.core.snapshot.Snapshots;
import dev.lathe.core.store.ProjectStore;
import dev.lathe.core.trust.FolderTrust;
import dev.lathe.llm.Protocols;
import dev.lathe.protocol.ProjectId;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lazily created {@link Project}s, one per folder; a bad config fails the call with a {@code ConfigException}. One
 * server serves many folders, so an instance nobody used for a while and no running session needs is closed
 * ({@link #closeIdle}); the next request for that folder opens it again, with its configuration read afresh. A folder
 * trusted or revoked meanwhile ({@code lathe trust}) is opened afresh by the next request (DESIGN §18).
 */
public final class Projects {
    private static final System.Logger LOG = System.getLogger(Projects.class.getName());
    /** How long an unused project instance stays open. */
    public static final Duration IDLE_CLOSE = Duration.ofMinutes(15);

    private final ConfigLoader loader;
    private final LathePaths paths;
    private final ProjectStore store;
    private final Protocols protocols;
    private final ProviderSources sources;
    private final Map<Path, Project> byDirectory = new ConcurrentHashMap<>();
    private final Map<Path, Long> lastUsed = new ConcurrentHashMap<>();
    /** What each open project's instructions were read from, to tell when they are stale. */
    private final Map<Path, Instructions.Loaded> instructions = new ConcurrentHashMap<>();
    /** What each open project's agents were read from, to tell when an agent file changed. */
    private final Map<Path, AgentLoader.Loaded> agents = new ConcurrentHashMap<>();
    private final Clock clock;
    /**
     * Kept across {@link #invalidate} and {@link #closeIdle}: a running turn and the next one must share one snapshot
     * lock per folder.
     */
    private final Map<Path, Snapshots> snapshots = new ConcurrentHashMap<>();

    public Projects(ConfigLoader loader, LathePaths paths, ProjectStore store, Protocols protocols, ProviderSources sources) {
        this(loader, paths, store, protocols, sources, Clock.systemUTC());
    }

    Projects(ConfigLoader loader, LathePaths paths, ProjectStore store, Protocols protocols, ProviderSources sources, Clock clock) {
        this.clock = clock;
        this.sources = sources;
        this.loader = loader;
        this.paths = paths;
        this.store = store;
        this.protocols = protocols;
    }

    /**
     * The project at {@code directory}, opened on first use. Its instructions (block B) are read again when a file they
     * came from changed or an {@code AGENTS.md}/{@code CLAUDE.md} appeared where they looked (after {@code /init}, or
     * an edit), and its agents when an agent file was added, changed or removed, so the next turn sees them; a turn
     * already running keeps the project it started with.
     */
    public Project get(String directory) {
        Path dir = ProjectRoot.normalise(directory);
        lastUsed.put(dir, clock.millis());
        Project project = byDirectory.computeIfAbsent(dir, this::open);
        if (project.trust() != loader.trustOf(dir)) {
            // trusted or revoked since it was opened (lathe trust, a client's answer): the next prompt reads it afresh
            byDirectory.remove(dir, project);
            return get(directory);
        }
        Project updated = project;
        Instructions.Loaded loaded = instructions.get(dir);
        if (loaded != null && !loaded.isCurrent()) {
            Instructions.Loaded fresh = blockB(project.directory(), project.repoRoot(), project.config());
            instructions.put(dir, fresh);
            updated = updated.withInstructions(fresh.text());
        }
        AgentLoader.Loaded agentFiles = agents.get(dir);
        if (agentFiles != null && !agentFiles.isCurrent()) {
            AgentLoader.Loaded fresh = AgentLoader.load(project.config(), AgentLoader.userFolders(paths), project.repoRoot(), project.directory());
            agents.put(dir, fresh);
            updated = updated.withAgents(fresh.agents());
        }
        if (updated == project) return project;
        // an invalidate() meanwhile wins: the next get opens the folder afresh
        return byDirectory.replace(dir, project, updated) ? updated : get(directory);
    }

    /** Warnings about agent files of the project at {@code directory} that were skipped (file, line, problem). */
    public List<String> agentWarnings(String directory) {
        Path dir = ProjectRoot.normalise(directory);
        get(directory);
        AgentLoader.Loaded loaded = agents.get(dir);
        return loaded == null ? List.of() : loaded.warnings();
    }

    /** Folders with an open instance. */
    public Set<Path> open() { return Set.copyOf(byDirectory.keySet()); }

    /**
     * Closes the instances unused for {@code idleFor} whose folder {@code inUse} does not claim (a running session).
     *
     * @return the folders closed
     */
    public List<Path> closeIdle(Duration idleFor, Predicate<Path> inUse) {
        long cutoff = clock.millis() - idleFor.toMillis();
        List<Path> closed = new ArrayList<>();
        for (Path dir : byDirectory.keySet()) {
            if (lastUsed.getOrDefault(dir, 0L) > cutoff || inUse.test(dir)) continue;
            // a get() racing with this simply opens the folder again
            if (byDirectory.remove(dir) != null) closed.add(dir);
        }
        return closed;
    }

    /**
     * Forgets every project whose configuration is read at {@code repoRoot}, so the next {@link #get} loads it again:
     * called after that configuration changed. A turn already running keeps the configuration it started with.
     */
    public void invalidate(Path repoRoot) {
        byDirectory.values().removeIf(p -> p.repoRoot().equals(repoRoot));
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
        return CommandFiles.find(ProjectRoot.upToRoot(project.directory(), project.repoRoot()), paths.userCommands());
    }

    /** The skills of {@code project}, read now; block B lists those found when it was last read. */
    public SkillFiles.Found skills(Project project) {
        return SkillFiles.find(ProjectRoot.upToRoot(project.directory(), project.repoRoot()), paths.userSkills());
    }

    /**
     * System block B: the instructions, then the skills list (DESIGN §7), with the stamps of everything both were read
     * from, so a new, changed or removed {@code SKILL.md} makes it stale like an edited {@code AGENTS.md}.
     */
    private Instructions.Loaded blockB(Path dir, Path repo, Config config) {
        Instructions.Loaded instructions = Instructions.read(dir, repo, paths.config(), home(), config.instructions());
        SkillFiles.Found skills = SkillFiles.find(ProjectRoot.upToRoot(dir, repo), paths.userSkills());
        skills.problems().values().forEach(p -> LOG.log(System.Logger.Level.WARNING, "skill left out: {0}", p));
        Map<Path, Instructions.FileStamp> stamps = new java.util.HashMap<>(instructions.stamps());
        for (Path p : skills.watched()) stamps.put(p, Instructions.FileStamp.of(p));
        String listing = SkillFiles.listing(skills.skills());
        String text = instructions.text().isEmpty() ? listing : listing.isEmpty() ? instructions.text() : instructions.text() + "\n\n" + listing;
        return new Instructions.Loaded(text, stamps);
    }

    private Path home() {
        return Path.of(sources.env().getOrDefault("HOME", System.getProperty("user.home")));
    }

    private Project open(Path dir) {
        Path repo = ProjectRoot.repoRoot(dir);
        FolderTrust trust = loader.trustOf(dir);
        Config config = loader.load(repo, trust);
        var rules = Project.rulesOf(config);
        Instructions.Loaded loaded = blockB(dir, repo, config);
        instructions.put(dir, loaded);
        AgentLoader.Loaded agentFiles = AgentLoader.load(config, AgentLoader.userFolders(paths), repo, dir);
        agents.put(dir, agentFiles);
        return new Project(store.idFor(dir.toString()), dir, repo, trust, config, rules, new ModelResolver(config, protocols, sources), loaded.text(),
                snapshots.computeIfAbsent(dir, d -> new Snapshots(paths.data(), d)), agentFiles.agents());
    }
}
