package dev.lathe.core.model;

import dev.lathe.core.config.Config;
import dev.lathe.llm.catalog.CatalogModel;
import dev.lathe.llm.catalog.CatalogProvider;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The model a session uses when neither the request nor config names one (decisions.md, "Works with just a key"): a
 * model of the first provider, in {@link #ORDER} and then by id, that has a key in config, in {@code lathe auth login}
 * or in its catalog environment variable. A local server (no key) is never picked: nothing says it runs.
 *
 * <p>Of that provider: its first model configured in {@code provider.<id>.models}, else the newest chat model
 * ({@link CatalogModel#isChat}, not deprecated) of its {@link #FAMILY}, else its newest chat model. A family and not a
 * model id, because ids change every few months while the lines stay, and the catalog refreshes daily.
 */
public final class DefaultModel {
    /** The providers tried first, in this order: the ones most coding-agent users hold a key for. */
    public static final List<String> ORDER = List.of("anthropic", "openai", "google", "openrouter", "xai", "mistral", "deepseek", "groq");

    /** The line a provider's default comes from: the vendor's capable mid-price model, neither its cheapest nor its priciest. */
    static final Map<String, String> FAMILY = Map.of("anthropic", "claude-sonnet", "openai", "gpt", "google", "gemini-pro",
            "openrouter", "claude-sonnet", "xai", "grok", "mistral", "mistral-medium", "deepseek", "deepseek");

    private static final Comparator<CatalogModel> NEWEST = Comparator.comparing(CatalogModel::releaseDate)
            .thenComparing(Comparator.comparingInt((CatalogModel m) -> m.id().length()).reversed())
            .thenComparing(CatalogModel::id, Comparator.reverseOrder());

    private DefaultModel() {}

    /** The model a new session gets without one named, as {@code provider/model}; empty when no provider has a key. */
    public static Optional<String> of(Config config, ProviderSources sources) {
        Set<String> saved = sources.auth().providers();
        for (String id : candidates(config, sources, ORDER)) {
            Optional<String> model = ofProvider(id, config, sources, saved);
            if (model.isPresent()) return model;
        }
        // the rest of the catalog: every provider is parsed only now, when none of the usual ones has a key
        var rest = new ArrayList<>(sources.catalog().get().providers().keySet());
        for (String id : rest) {
            if (ORDER.contains(id) || config.providers().containsKey(id)) continue;
            Optional<String> model = ofProvider(id, config, sources, saved);
            if (model.isPresent()) return model;
        }
        return Optional.empty();
    }

    /** {@link #ORDER}, then the configured providers by id. */
    private static Set<String> candidates(Config config, ProviderSources sources, List<String> first) {
        Set<String> out = new LinkedHashSet<>(first);
        config.providers().keySet().stream().sorted().forEach(out::add);
        return out;
    }

    /** {@code id}'s default model when it has a key and a protocol Lathe speaks. */
    private static Optional<String> ofProvider(String id, Config config, ProviderSources sources, Set<String> saved) {
        KnownProviders.Entry entry = KnownProviders.of(id, config, sources, saved);
        boolean keyed = switch (entry.keySource()) {
            case CONFIG, AUTH, ENV -> true;
            case NONE, NOT_NEEDED -> false;
        };
        if (!keyed || entry.protocol().isEmpty()) return Optional.empty();
        Optional<String> configured = Optional.ofNullable(config.providers().get(id)).flatMap(p -> p.models().keySet().stream().findFirst());
        // signed in to a plan: only a model the plan gives
        boolean signedIn = entry.keySource() == KnownProviders.KeySource.AUTH && sources.auth().oauth(id).isPresent();
        return configured.or(() -> sources.catalog().get().provider(id).flatMap(p -> pick(p, m -> !signedIn || SignedInPlan.gives(id, m.id()))))
                .map(m -> id + "/" + m);
    }

    /** The newest chat model of the provider's family, else its newest chat model. */
    static Optional<String> pick(CatalogProvider provider) { return pick(provider, m -> true); }

    static Optional<String> pick(CatalogProvider provider, java.util.function.Predicate<CatalogModel> allowed) {
        List<CatalogModel> chat = provider.models().values().stream().filter(m -> m.isChat() && !m.deprecated() && allowed.test(m)).toList();
        Optional<String> family = Optional.ofNullable(FAMILY.get(provider.id()));
        return chat.stream().filter(m -> family.isPresent() && m.family().equals(family)).max(NEWEST)
                .or(() -> chat.stream().max(NEWEST)).map(CatalogModel::id);
    }

    /**
     * Why a session cannot start when nothing names a model and no provider has a key: the config files read, and the
     * three ways out (a {@code model}, a key, or {@code /model} / {@code --model}).
     */
    public static String nothingUsable(Config config, java.nio.file.Path globalConfig) {
        List<String> files = config.sources().stream().filter(s -> !s.startsWith("<")).toList();
        // the path itself, resolved as the server resolves it: not a variable the user must work out (issue 82)
        return "no model configured and no provider key found (config read: "
                + (files.isEmpty() ? "no config file; the global one would be " + globalConfig : String.join(", ", files))
                + "). Set \"model\": \"provider/model\" there, or set a provider key (ANTHROPIC_API_KEY, OPENAI_API_KEY, GEMINI_API_KEY,"
                + " OPENROUTER_API_KEY, …) or run `lathe auth login PROVIDER`; or choose a model with /model in the terminal UI or"
                + " --model provider/model";
    }
}
