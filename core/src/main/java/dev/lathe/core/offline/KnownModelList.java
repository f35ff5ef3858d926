package dev.lathe.core.offline;

import dev.lathe.core.config.Config;
import dev.lathe.core.config.ConfigException;
import dev.lathe.core.config.ConfigLoader;
import dev.lathe.core.config.LathePaths;
import dev.lathe.core.model.CatalogSource;
import dev.lathe.core.auth.AuthStore;
import dev.lathe.core.model.KnownModels;
import dev.lathe.core.model.ProviderSources;
import dev.lathe.core.project.ProjectRoot;
import dev.lathe.llm.catalog.Catalog;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code lathe models}: the models of the cached catalog (or the bundled one; never downloaded here) and of the
 * providers configured for a folder, sorted by {@code provider/model}.
 */
public final class KnownModelList {
    private KnownModelList() {}

    /**
     * @param directory the folder whose project config counts
     * @param provider only this provider's models
     * @throws OfflineFailure when the config does not load, or {@code provider} is neither the catalog's nor configured
     */
    public static List<KnownModels.Listed> of(Map<String, String> env, Path directory, Optional<String> provider) {
        var paths = LathePaths.fromEnvironment(env);
        Config config;
        try {
            Path folder = ProjectRoot.normalise(directory.toAbsolutePath().toString());
            ConfigLoader loader = ConfigLoader.standard(paths, env);
            config = loader.load(ProjectRoot.repoRoot(folder), loader.trustOf(folder));
        } catch (ConfigException e) {
            throw new OfflineFailure(e.getMessage());
        }
        Catalog catalog = CatalogSource.load(paths.cache().resolve("models.json"));
        if (provider.isPresent() && !KnownModels.isKnownProvider(config, catalog, provider.get())) {
            throw new OfflineFailure("unknown provider '" + provider.get() + "'; `lathe models` lists them all");
        }
        var sources = new ProviderSources(() -> catalog, new AuthStore(paths.authFile()), env);
        return KnownModels.listed(config, sources, provider);
    }
}
