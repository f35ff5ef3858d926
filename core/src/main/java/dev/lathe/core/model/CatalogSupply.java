package dev.lathe.core.model;

import dev.lathe.llm.catalog.Catalog;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Where the model catalog comes from: {@link #get} waits for it; {@link #now} answers without waiting, empty while it
 * is still loading ({@link CatalogSource} loads in the background). Asked of the port, not found by type (issue 41).
 */
@FunctionalInterface
public interface CatalogSupply extends Supplier<Catalog> {
    /** The catalog if it is there now; one given whole (a test's, the bundled one) always is. */
    default Optional<Catalog> now() {
        return Optional.of(get());
    }
}
