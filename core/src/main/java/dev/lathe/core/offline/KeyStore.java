package dev.lathe.core.offline;

import dev.lathe.core.auth.AuthStore;
import dev.lathe.core.config.LathePaths;
import dev.lathe.core.model.CatalogSource;
import dev.lathe.core.model.ModelResolver;
import dev.lathe.llm.catalog.Catalog;
import dev.lathe.llm.catalog.CatalogProvider;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code lathe auth}: the user's saved provider keys ({@code <data>/auth.json}, mode 0600) and where each provider's key
 * comes from. Never returns a key.
 */
public final class KeyStore {
    /** A provider whose key is found, and where: the key file, or {@code $VARIABLE}. */
    public record Source(String provider, String where) {}

    private final Map<String, String> env;
    private final AuthStore store;
    private final Catalog catalog;

    private KeyStore(Map<String, String> env, AuthStore store, Catalog catalog) {
        this.env = env;
        this.store = store;
        this.catalog = catalog;
    }

    /** The store of the data folder {@code env} names, with the cached (else bundled) catalog. */
    public static KeyStore of(Map<String, String> env) {
        var paths = LathePaths.fromEnvironment(env);
        return new KeyStore(env, new AuthStore(paths.authFile()), CatalogSource.load(paths.cache().resolve("models.json")));
    }

    public Path file() { return store.file(); }

    public boolean inCatalog(String provider) { return catalog.provider(provider).isPresent(); }

    public void save(String provider, String key) { store.save(provider, key); }

    /** What {@code remove} forgot: {@code what} in words ({@code the key}, {@code the ChatGPT Plus/Pro sign-in}). */
    public record Removed(String what, boolean signIn) {}

    /** Forgets what {@code lathe auth login} saved for {@code provider}; empty when nothing was saved. */
    public Optional<Removed> remove(String provider) {
        Optional<AuthStore.Credential> saved = store.credential(provider);
        if (saved.isEmpty() || !store.remove(provider)) return Optional.empty();
        return Optional.of(switch (saved.get()) {
            case AuthStore.Key _ -> new Removed("the key", false);
            case AuthStore.OAuth _ -> new Removed("the " + PlanSignInCommand.plan(provider).orElse("subscription") + " sign-in", true);
        });
    }

    /**
     * The saved keys first (sorted by provider), then the catalog's providers without one whose first key variable is
     * set and not blank, in the catalog's order.
     */
    public List<Source> sources() {
        List<Source> out = new ArrayList<>();
        for (String id : store.providers()) {
            // a subscription's sign-in is named as such: "openai  ChatGPT Plus/Pro sign-in in <file>"
            String where = store.oauth(id).isPresent()
                    ? PlanSignInCommand.plan(id).orElse("OAuth") + " sign-in in " + store.file() : store.file().toString();
            out.add(new Source(id, where));
        }
        for (CatalogProvider p : catalog.providers().values()) {
            if (store.providers().contains(p.id())) continue;
            ModelResolver.keyVariables(Optional.of(p), "").stream().filter(v -> env.get(v) != null && !env.get(v).isBlank()).findFirst()
                    .ifPresent(v -> out.add(new Source(p.id(), "$" + v)));
        }
        return out;
    }
}
