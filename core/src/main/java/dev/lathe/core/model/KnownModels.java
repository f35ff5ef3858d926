package dev.lathe.core.model;

import dev.lathe.core.config.Config;
import dev.lathe.core.subscription.Plan;
import dev.lathe.llm.Pricing;
import dev.lathe.llm.catalog.Catalog;
import dev.lathe.llm.catalog.CatalogModel;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.TreeMap;

/**
 * The models Lathe knows for one configuration: every catalog model and every model of a configured provider, a
 * configured model overriding the limits it sets (as {@link ModelResolver} does). What {@code lathe models} prints and
 * {@code GET /models} answers.
 */
public final class KnownModels {
    /**
     * One model; {@code context}/{@code output} are 0 when neither the catalog nor config knows them; {@code chat} is
     * {@link CatalogModel#isChat} (a configured model is taken to be one); {@code pricing} is the catalog's.
     */
    public record Entry(String provider, String model, int context, int output, String name, boolean chat, Pricing pricing, String released) {
        /** An entry the catalog gives no release date for. */
        public Entry(String provider, String model, int context, int output, String name, boolean chat, Pricing pricing) {
            this(provider, model, context, output, name, chat, pricing, "");
        }

        public String ref() { return provider + "/" + model; }

        Entry withPricing(Pricing other) { return new Entry(provider, model, context, output, name, chat, other, released); }
    }

    private KnownModels() {}

    /** Sorted by {@code provider/model}. */
    public static List<Entry> of(Config config, Catalog catalog) {
        Map<String, Entry> rows = new TreeMap<>();
        catalog.providers().forEach((pid, p) -> {
            for (CatalogModel m : p.models().values()) rows.put(pid + "/" + m.id(), new Entry(pid, m.id(), m.context(), m.output(), m.name(), m.isChat(),
                    m.pricing(), m.releaseDate()));
        });
        config.providers().forEach((pid, p) -> p.models().forEach((mid, m) -> {
            Entry listed = rows.get(pid + "/" + mid);
            rows.put(pid + "/" + mid, new Entry(pid, mid, m.context() > 0 || listed == null ? m.context() : listed.context(),
                    m.output() > 0 || listed == null ? m.output() : listed.output(), listed == null ? mid : listed.name(), true,
                    listed == null ? Pricing.UNKNOWN : listed.pricing(), listed == null ? "" : listed.released()));
        }));
        return List.copyOf(rows.values());
    }

    /**
     * A model as {@code lathe models} and {@code GET /models} show it: with where its provider's key comes from and
     * whether a new session gets it when none is named ({@link DefaultModel}).
     */
    public record Listed(Entry entry, KnownProviders.KeySource keySource, boolean sessionDefault, boolean configured) {}

    /** {@link #of} with key sources and the session default; {@code provider} keeps only that provider's models. */
    public static List<Listed> listed(Config config, ProviderSources sources, Optional<String> provider) {
        Map<String, KnownProviders.KeySource> keys = new HashMap<>();
        for (KnownProviders.Entry p : KnownProviders.of(config, sources)) keys.put(p.id(), p.keySource());
        Optional<String> chosen = config.model().or(() -> DefaultModel.of(config, sources));
        java.util.Set<String> signedIn = signedIn(config, sources);
        return of(config, sources.catalog().get()).stream().filter(e -> provider.isEmpty() || e.provider().equals(provider.get()))
                // a provider served by a subscription sign-in offers only the plan's models (the rest would be refused)
                .filter(e -> !signedIn.contains(e.provider()) || SignedInPlan.gives(e.provider(), e.model()))
                // and costs nothing per token: the catalog's API prices would misstate what a step costs
                .map(e -> signedIn.contains(e.provider()) ? e.withPricing(Pricing.UNKNOWN) : e)
                .map(e -> new Listed(e, keys.getOrDefault(e.provider(), KnownProviders.KeySource.NONE), chosen.filter(e.ref()::equals).isPresent(),
                        config.providers().containsKey(e.provider())))
                .toList();
    }

    /** The providers whose requests go through the user's subscription: signed in, and no key in config for them. */
    private static java.util.Set<String> signedIn(Config config, ProviderSources sources) {
        java.util.Set<String> out = new java.util.HashSet<>();
        for (Plan plan : Plan.values()) {
            String provider = plan.provider();
            boolean keyed = Optional.ofNullable(config.providers().get(provider)).flatMap(Config.ProviderConfig::apiKey).isPresent();
            if (!keyed && sources.auth().oauth(provider).isPresent()) out.add(provider);
        }
        return out;
    }

    /** Whether {@code provider} is a provider of the catalog or of config. */
    public static boolean isKnownProvider(Config config, Catalog catalog, String provider) {
        return catalog.provider(provider).isPresent() || config.providers().containsKey(provider);
    }
}
