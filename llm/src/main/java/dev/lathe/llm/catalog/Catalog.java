package dev.lathe.llm.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The models.dev catalog (its {@code api.json} shape, or the bundled snapshot's, which wraps the same providers with
 * metadata). Providers Lathe knows without the catalog (local servers) are added by {@link BuiltinProviders}.
 *
 * <p>A provider is read from the document the first time it is asked for; only listing every provider reads them all
 * (see {@link CatalogIndex} for why).
 */
public final class Catalog {
    private static final String BUNDLED = "/catalog/models.json";

    private final byte[] json;
    private final Map<String, CatalogIndex.Slice> index;
    private final Map<String, Optional<CatalogProvider>> read = new ConcurrentHashMap<>();
    private volatile Map<String, CatalogProvider> all;

    private Catalog(byte[] json, Map<String, CatalogIndex.Slice> index) {
        this.json = json;
        this.index = index;
    }

    /** The snapshot shipped inside Lathe. */
    public static Catalog bundled() {
        try (InputStream in = Catalog.class.getResourceAsStream(BUNDLED)) {
            if (in == null) throw new IllegalStateException("missing resource " + BUNDLED);
            return parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads the document and finds its providers; each is parsed when first asked for.
     *
     * @throws IllegalArgumentException when the document is not a JSON object with provider objects (not a catalog)
     */
    public static Catalog parse(InputStream in) {
        byte[] json;
        try {
            json = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var index = CatalogIndex.of(json);
        if (index.isEmpty()) throw new IllegalArgumentException("not a models.dev catalog: no providers");
        return new Catalog(json, index);
    }

    /**
     * Parses the whole document now (a downloaded copy is checked this way before it replaces the cached one).
     *
     * @throws IllegalArgumentException when it is not a catalog; {@link tools.jackson.core.JacksonException} when a
     *     provider's JSON is broken
     */
    public static Catalog parseFully(InputStream in) {
        Catalog catalog = parse(in);
        if (catalog.index.keySet().stream().noneMatch(id -> catalog.listed(id).isPresent())) {
            throw new IllegalArgumentException("not a models.dev catalog: no providers");
        }
        return catalog;
    }

    public Optional<CatalogProvider> provider(String id) {
        return listed(id).or(() -> BuiltinProviders.all().stream().filter(b -> b.id().equals(id)).findFirst());
    }

    /** Every provider by id: the catalog's (all parsed now) and the built-in local servers. */
    public Map<String, CatalogProvider> providers() {
        Map<String, CatalogProvider> providers = all;
        if (providers == null) {
            Map<String, CatalogProvider> out = new TreeMap<>();
            index.keySet().forEach(id -> listed(id).ifPresent(p -> out.put(id, p)));
            BuiltinProviders.all().forEach(b -> out.putIfAbsent(b.id(), b));
            providers = all = Collections.unmodifiableMap(out);
        }
        return providers;
    }

    /** The catalog's own entry for {@code id}, parsed once; empty when it has none or the entry lists no models. */
    private Optional<CatalogProvider> listed(String id) {
        CatalogIndex.Slice slice = index.get(id);
        if (slice == null) return Optional.empty();
        return read.computeIfAbsent(id, k -> CatalogReader.provider(k, json, slice));
    }
}
