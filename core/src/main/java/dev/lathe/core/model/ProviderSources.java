package dev.lathe.core.model;

import dev.lathe.core.auth.AuthStore;
import java.util.Map;

/**
 * Where provider details come from besides config: the catalog (loaded on demand), keys saved by
 * {@code lathe auth login}, and the process environment (keys in the catalog's variables, {@code ${VAR}} in URLs).
 */
public record ProviderSources(CatalogSupply catalog, AuthStore auth, Map<String, String> env) {}
