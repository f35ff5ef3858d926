package dev.lathe.llm.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;

/**
 * The models.dev catalog (its {@code api.json} shape, or the bundled snapshot's, which wraps the same providers with
 * metadata). Providers Lathe knows without the catalog (local servers) are added by {@link BuiltinProviders}.
 */
public final class Catalog {
    private static final String BUNDLED = "/catalog/models.json";

    private final Map<String, CatalogProvider> providers;

    private Catalog(Map<String, CatalogProvider> providers) {
        this.providers = providers;
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

    /** @throws IllegalArgumentException when the document holds no providers (not a catalog) */
    public static Catalog parse(InputStream in) {
        Map<String, CatalogProvider> out = CatalogReader.read(in);
        if (out.isEmpty()) throw new IllegalArgumentException("not a models.dev catalog: no providers");
        BuiltinProviders.all().forEach(b -> out.putIfAbsent(b.id(), b));
        return new Catalog(out);
    }

    public Optional<CatalogProvider> provider(String id) { return Optional.ofNullable(providers.get(id)); }

    public Map<String, CatalogProvider> providers() { return providers; }
}
