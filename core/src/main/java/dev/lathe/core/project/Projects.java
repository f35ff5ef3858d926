package dev.lathe.core.project;

import dev.lathe.core.config.Config;
import dev.lathe.core.config.ConfigLoader;
import dev.lathe.core.config.LathePaths;
import dev.lathe.core.model.ModelResolver;
import dev.lathe.core.model.ProviderSources;
import dev.lathe.core.permission.Ruleset;
import dev.lathe.core.snapshot.Snapshots;
import dev.lathe.core.store.ProjectStore;
import dev.lathe.llm.Protocols;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Lazily created {@link Project}s, one per folder; a bad config fails the call with a {@code ConfigException}. */
public final class Projects {
    private final ConfigLoader loader;
    private final LathePaths paths;
    private final ProjectStore store;
    private final Protocols protocols;
    private final ProviderSources sources;
    private final Map<Path, Project> byDirectory = new ConcurrentHashMap<>();
    /** Kept across {@link #invalidate}: a running turn and the next one must share one snapshot lock per folder. */
    private final Map<Path, Snapshots> snapshots = new ConcurrentHashMap<>();

    public Projects(ConfigLoader loader, LathePaths paths, ProjectStore store, Protocols protocols, ProviderSources sources) {
        this.sources = sources;
        this.loader = loader;
        this.paths = paths;
        this.store = store;
        this.protocols = protocols;
    }

    public Project get(String directory) {
        Path dir = ProjectRoot.normalise(directory);
        return byDirectory.computeIfAbsent(dir, this::open);
    }

    /**
     * Forgets every project whose configuration is read at {@code repoRoot}, so the next {@link #get} loads it again:
     * called after that configuration changed. A turn already running keeps the configuration it started with.
     */
    public void invalidate(Path repoRoot) {
        byDirectory.values().removeIf(p -> p.repoRoot().equals(repoRoot));
    }

    private Project open(Path dir) {
        Path repo = ProjectRoot.repoRoot(dir);
        Config config = loader.load(repo);
        var rules = Project.rulesOf(config);
        String instructions = Instructions.load(dir, repo, paths.config(), config.instructions());
        return new Project(store.idFor(dir.toString()), dir, repo, config, rules, new ModelResolver(config, protocols, sources), instructions,
                snapshots.computeIfAbsent(dir, d -> new Snapshots(paths.data(), d)));
    }
}
