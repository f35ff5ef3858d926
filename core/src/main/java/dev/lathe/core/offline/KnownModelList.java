package dev.lathe.core.offline;

import dev.lathe.core.config.Config;
import dev.lathe.core.config.ConfigException;
import dev.lathe.core.config.ConfigLoader;
import dev.lathe.core.config.LathePaths;
import dev.lathe.core.model.CatalogSource;
import dev.lathe.core.auth.AuthStore;
import dev.lathe.core.model.KnownModels;
import dev.lathe.core.model.KnownProviders;
import dev.lathe.core.model.LocalServerModels;
import dev.lathe.core.model.ProviderSources;
import dev.lathe.core.project.ProjectRoot;
import dev.lathe.llm.catalog.Catalog;
import dev.lathe.llm.Pricing;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code lathe models}: the models of the cached catalog (or the bundled one; never downloaded here) and of the
 * providers configured for a folder, sorted by {@code provider/model}; for one provider whose server is on this machine
 * ({@code lathe models ollama}), also the models that server has ({@link LocalServerModels}).
 */
public final class KnownModelList {
    private KnownModelList() {}

    /**
     * @param directory the folder whose project config counts
     * @param provider only this provider's models
     * @throws OfflineFailure when the config does not load, or {@code provider} is neither the catalog's nor configured
     * @throws LocalServerModels.Unreachable when {@code provider} is a server on this machine that does not answer
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
        List<KnownModels.Listed> known = KnownModels.listed(config, sources, provider);
        if (provider.isEmpty()) return known;
        // an OpenAI-compatible server on this machine is asked what it has loaded: the catalog lists no model of Ollama's
        Optional<KnownProviders.Entry> local = KnownProviders.of(config, sources).stream().filter(p -> p.id().equals(provider.get()))
                .filter(p -> p.baseUrl().filter(LocalServerModels::isLocal).isPresent() && p.protocol().filter("openai-chat"::equals).isPresent())
                .findFirst();
        if (local.isEmpty()) return known;
        List<String> served = LocalServerModels.ids(local.get().name(), local.get().baseUrl().orElseThrow());
        List<KnownModels.Listed> out = new ArrayList<>(known);
        for (String id : served) {
            if (known.stream().anyMatch(k -> k.entry().model().equals(id))) continue;
            out.add(new KnownModels.Listed(new KnownModels.Entry(provider.get(), id, 0, 0, id, true, Pricing.UNKNOWN), local.get().keySource(),
                    config.model().filter((provider.get() + "/" + id)::equals).isPresent(), config.providers().containsKey(provider.get())));
        }
        out.sort(java.util.Comparator.comparing(l -> l.entry().ref()));
        return out;
    }
}
