package dev.lathe.core.model;

import dev.lathe.core.config.Config;
import dev.lathe.llm.catalog.Catalog;
import dev.lathe.llm.catalog.CatalogModel;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The models Lathe knows for one configuration: every catalog model and every model of a configured provider, a
 * configured model overriding the limits it sets (as {@link ModelResolver} does). What {@code lathe models} prints and
 * {@code GET /models} answers.
 */
public final class KnownModels {
    /** One model; {@code context}/{@code output} are 0 when neither the catalog nor config knows them. */
    public record Entry(String provider, String model, int context, int output) {
        public String ref() { return provider + "/" + model; }
    }

    private KnownModels() {}

    /** Sorted by {@code provider/model}. */
    public static List<Entry> of(Config config, Catalog catalog) {
        Map<String, Entry> rows = new TreeMap<>();
        catalog.providers().forEach((pid, p) -> {
            for (CatalogModel m : p.models().values()) rows.put(pid + "/" + m.id(), new Entry(pid, m.id(), m.context(), m.output()));
        });
        config.providers().forEach((pid, p) -> p.models().forEach((mid, m) -> {
            Entry listed = rows.get(pid + "/" + mid);
            rows.put(pid + "/" + mid, new Entry(pid, mid, m.context() > 0 || listed == null ? m.context() : listed.context(),
                    m.output() > 0 || listed == null ? m.output() : listed.output()));
        }));
        return List.copyOf(rows.values());
    }

    /** Whether {@code provider} is a provider of the catalog or of config. */
    public static boolean isKnownProvider(Config config, Catalog catalog, String provider) {
        return catalog.provider(provider).isPresent() || config.providers().containsKey(provider);
    }
}
