package dev.lathe.core.network;

import dev.lathe.core.config.Config;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What one configuration lets Lathe connect to. {@code OPEN}: everything (the default). {@code LOCAL}: loopback
 * ({@link Loopback}) for every purpose but the catalog refresh, which never runs; and for a model request, the provider
 * when the configuration writes its {@code baseUrl} ({@code provider.NAME.baseUrl}, whatever host that is): naming the
 * URL is how the user says "this one is mine". A provider known only from the catalog, or configured with a key but no
 * {@code baseUrl}, is refused; so is a subscription's own backend (chatgpt.com, api.githubcopilot.com). A
 * subscription's sign-in and token renewal may reach, besides loopback, only the servers the configuration writes in
 * {@code provider.NAME.oauth} ({@code issuer}, {@code api}), compared by scheme, host and port. An untrusted folder's own
 * {@code baseUrl} and {@code oauth} never count: the loader withholds them.
 *
 * @param namedProviders the providers whose {@code baseUrl} the configuration writes
 * @param signInServers per provider, the origins ({@code scheme://host:port}) its {@code oauth} settings write
 */
public record NetworkPolicy(Config.NetworkMode mode, Set<String> namedProviders, Map<String, Set<String>> signInServers) {
    public NetworkPolicy {
        namedProviders = Set.copyOf(namedProviders);
        var servers = new TreeMap<String, Set<String>>();
        signInServers.forEach((provider, origins) -> servers.put(provider, Set.copyOf(origins)));
        signInServers = java.util.Collections.unmodifiableMap(servers);
    }

    public NetworkPolicy(Config.NetworkMode mode, Set<String> namedProviders) { this(mode, namedProviders, Map.of()); }

    public static final NetworkPolicy OPEN = new NetworkPolicy(Config.NetworkMode.OPEN, Set.of());

    public static NetworkPolicy of(Config config) {
        var named = new TreeSet<String>();
        var signIn = new TreeMap<String, Set<String>>();
        config.providers().forEach((id, p) -> {
            if (p.baseUrl().isPresent()) named.add(id);
            var origins = new TreeSet<String>();
            p.oauth().issuer().flatMap(NetworkPolicy::origin).ifPresent(origins::add);
            p.oauth().api().flatMap(NetworkPolicy::origin).ifPresent(origins::add);
            if (!origins.isEmpty()) signIn.put(id, origins);
        });
        return new NetworkPolicy(config.network(), named, signIn);
    }

    public boolean isLocal() { return mode == Config.NetworkMode.LOCAL; }

    /** Whether {@code purpose} may connect to {@code target}. */
    public boolean allows(Purpose purpose, URI target) {
        if (!isLocal()) return true;
        return switch (purpose.kind()) {
            case CATALOG -> false;
            case PROVIDER -> Loopback.is(target) || namedProviders.contains(purpose.name());
            case SIGN_IN -> Loopback.is(target) || origin(target).filter(signInServers.getOrDefault(purpose.name(), Set.of())::contains).isPresent();
            case TOOL, MCP, MCP_SIGN_IN, HOOK -> Loopback.is(target);
        };
    }

    /** Why {@code purpose} may not connect to {@code target}, for the error the caller reports. */
    public static String refusal(Purpose purpose, URI target) {
        String host = host(target);
        String why = switch (purpose.kind()) {
            case CATALOG -> "the model catalog is not refreshed from " + host;
            case PROVIDER -> purpose.label() + " is at " + host + ", which is not loopback and not a provider whose baseUrl your"
                    + " config writes: set provider." + purpose.name() + ".baseUrl to allow it, or use a local model";
            case SIGN_IN -> purpose.label() + " would connect to " + host + ", which is not loopback and not written in provider."
                    + purpose.name() + ".oauth (issuer, api) of your config";
            case TOOL, MCP, MCP_SIGN_IN, HOOK -> purpose.label() + " would connect to " + host + ", which is not loopback";
        };
        return "local-only mode (\"network\": \"local\"): " + why + "; nothing was sent";
    }

    /** The host (and port, when given) a blocked attempt names. */
    public static String host(URI target) {
        if (target.getHost() == null) return String.valueOf(target);
        return target.getPort() < 0 ? target.getHost() : target.getHost() + ":" + target.getPort();
    }

    /** {@code scheme://host:port} with the scheme's default port filled in; empty for a URL without a host. */
    static Optional<String> origin(URI target) {
        if (target.getHost() == null || target.getScheme() == null) return Optional.empty();
        String scheme = target.getScheme().toLowerCase(Locale.ROOT);
        int port = target.getPort() >= 0 ? target.getPort() : scheme.equals("https") ? 443 : scheme.equals("http") ? 80 : -1;
        return Optional.of(scheme + "://" + target.getHost().toLowerCase(Locale.ROOT) + ":" + port);
    }

    private static Optional<String> origin(String url) {
        try {
            return origin(URI.create(url.strip()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
