package dev.lathe.core.model;

import dev.lathe.core.config.Config;
import dev.lathe.llm.catalog.Catalog;
import dev.lathe.llm.catalog.CatalogProvider;
import dev.lathe.llm.catalog.WireProtocols;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The providers Lathe knows for one configuration (catalog and config), each with where its key would come from —
 * never the key. The order of key sources is {@link ModelResolver}'s: config, then {@code lathe auth login}, then the
 * catalog's environment variables.
 */
public final class KnownProviders {
    /** Where a provider's key comes from. */
    public enum KeySource {
        CONFIG("config"), AUTH("auth"), ENV("env"), NONE("none"), NOT_NEEDED("not-needed");

        private final String wire;

        KeySource(String wire) { this.wire = wire; }

        /** The API's spelling: {@code config | auth | env | none | not-needed}. */
        public String wire() { return wire; }
    }

    /**
     * One provider. {@code protocol} is empty when Lathe cannot speak the provider's own API; {@code baseUrl} may hold
     * {@code ${VAR}} placeholders filled from the environment when the provider is used.
     */
    public record Entry(String id, String name, Optional<String> protocol, Optional<String> baseUrl, KeySource keySource, int models) {}

    private KnownProviders() {}

    /** Sorted by id. */
    public static List<Entry> of(Config config, ProviderSources sources) {
        Catalog catalog = sources.catalog().get();
        Map<String, Integer> counts = new TreeMap<>();
        for (KnownModels.Entry m : KnownModels.of(config, catalog)) counts.merge(m.provider(), 1, Integer::sum);
        var ids = new TreeSet<>(catalog.providers().keySet());
        ids.addAll(config.providers().keySet());
        Set<String> saved = sources.auth().providers();  // read once, not once per provider
        return ids.stream().map(id -> entry(id, Optional.ofNullable(config.providers().get(id)), catalog.provider(id), saved, sources,
                counts.getOrDefault(id, 0))).toList();
    }

    /** One provider by id (catalog, built-in or config), as {@link #of} lists it; {@code saved} are the stored keys' providers. */
    static Entry of(String id, Config config, ProviderSources sources, Set<String> saved) {
        return entry(id, Optional.ofNullable(config.providers().get(id)), sources.catalog().get().provider(id), saved, sources, 0);
    }

    private static Entry entry(String id, Optional<Config.ProviderConfig> configured, Optional<CatalogProvider> listed, Set<String> saved,
            ProviderSources sources, int models) {
        // its models are ACP agents: they sign in by themselves, with no protocol or URL of Lathe's (DESIGN §14)
        if (id.equals(Config.AgentCommand.PROVIDER) && configured.isPresent()) {
            return new Entry(id, "ACP agents", Optional.of("acp"), Optional.empty(), KeySource.NOT_NEEDED, models);
        }
        Optional<WireProtocols.Wire> wire = listed.flatMap(p -> WireProtocols.of(p.npm(), Optional.empty()));
        Optional<String> protocol = configured.flatMap(Config.ProviderConfig::protocol).or(() -> wire.map(WireProtocols.Wire::protocol));
        Optional<String> baseUrl = configured.flatMap(Config.ProviderConfig::baseUrl)
                .or(() -> listed.flatMap(CatalogProvider::api))
                .or(() -> wire.flatMap(WireProtocols.Wire::defaultBaseUrl));
        String name = listed.map(CatalogProvider::name).orElse(id);
        return new Entry(id, name, protocol, baseUrl, keySource(id, configured, listed, protocol.orElse(""), baseUrl, saved, sources.env()), models);
    }

    private static KeySource keySource(String id, Optional<Config.ProviderConfig> configured, Optional<CatalogProvider> listed, String protocol,
            Optional<String> baseUrl, Set<String> saved, Map<String, String> env) {
        if (configured.flatMap(Config.ProviderConfig::apiKey).isPresent()) return KeySource.CONFIG;
        if (saved.contains(id)) return KeySource.AUTH;
        if (ModelResolver.keyVariables(listed, protocol).stream().anyMatch(v -> isSet(env, v))) return KeySource.ENV;
        if (protocol.equals("bedrock-converse") && hasAwsCredentials(env)) return KeySource.ENV;
        return baseUrl.filter(KnownProviders::isLoopback).isPresent() ? KeySource.NOT_NEEDED : KeySource.NONE;
    }

    /** Bedrock signs with AWS credentials when it has no bearer key. */
    private static boolean hasAwsCredentials(Map<String, String> env) {
        return isSet(env, "AWS_ACCESS_KEY_ID") && isSet(env, "AWS_SECRET_ACCESS_KEY") || isSet(env, "AWS_PROFILE");
    }

    private static boolean isSet(Map<String, String> env, String name) {
        String v = env.get(name);
        return v != null && !v.isBlank();
    }

    /** A server on this machine (Ollama, LM Studio, llama.cpp, vLLM): it needs no key. */
    static boolean isLoopback(String url) {
        try {
            String host = URI.create(url).getHost();
            return host != null && (host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]") || host.equals("::1")
                    || host.startsWith("127."));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
