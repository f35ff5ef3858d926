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
import dev.lathe.protocol.ProjectId;
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
     * The id of the project at {@code directory} (normalised), registered on first use, without loading its config:
     * the folder need not exist (a session imported from another machine).
     */
    public ProjectId idFor(String directory) {
        return store.idFor(ProjectRoot.normalise(directory).toString());
    }

    private Project open(Path dir) {
        Path repo = ProjectRoot.repoRoot(dir);
        Config config = loader.load(repo);
        var rules = Project.rulesOf(config);
        String instructions = Instructions.load(dir, repo, paths.config(), config.instructions());
        return new Project(store.idFor(dir.toString()), dir, repo, config, rules, new ModelResolver(config, protocols, sources), instructions,
                new Snapshots(paths.data(), dir));
    }
}
