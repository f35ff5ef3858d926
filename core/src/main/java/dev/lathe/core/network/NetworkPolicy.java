package dev.lathe.core.network;

import dev.lathe.core.config.Config;
import java.net.URI;
import java.util.Set;
import java.util.TreeSet;

/**
 * What one configuration lets Lathe connect to. {@code OPEN}: everything (the default). {@code LOCAL}: loopback
 * ({@link Loopback}) for every purpose but the catalog refresh, which never runs; and for a model request, the provider
 * when the configuration writes its {@code baseUrl} ({@code provider.NAME.baseUrl}, whatever host that is): naming the
 * URL is how the user says "this one is mine". A provider known only from the catalog, or configured with a key but no
 * {@code baseUrl}, is refused. An untrusted folder's own {@code baseUrl} never counts: the loader withholds it.
 *
 * @param namedProviders the providers whose {@code baseUrl} the configuration writes
 */
public record NetworkPolicy(Config.NetworkMode mode, Set<String> namedProviders) {
    public NetworkPolicy {
        namedProviders = Set.copyOf(namedProviders);
    }

    public static final NetworkPolicy OPEN = new NetworkPolicy(Config.NetworkMode.OPEN, Set.of());

    public static NetworkPolicy of(Config config) {
        var named = new TreeSet<String>();
        config.providers().forEach((id, p) -> {
            if (p.baseUrl().isPresent()) named.add(id);
        });
        return new NetworkPolicy(config.network(), named);
    }

    public boolean isLocal() { return mode == Config.NetworkMode.LOCAL; }

    /** Whether {@code purpose} may connect to {@code target}. */
    public boolean allows(Purpose purpose, URI target) {
        if (!isLocal()) return true;
        return switch (purpose.kind()) {
            case CATALOG -> false;
            case PROVIDER -> Loopback.is(target) || namedProviders.contains(purpose.name());
            case TOOL, MCP, HOOK -> Loopback.is(target);
        };
    }

    /** Why {@code purpose} may not connect to {@code target}, for the error the caller reports. */
    public static String refusal(Purpose purpose, URI target) {
        String host = host(target);
        String why = switch (purpose.kind()) {
            case CATALOG -> "the model catalog is not refreshed from " + host;
            case PROVIDER -> purpose.label() + " is at " + host + ", which is not loopback and not a provider whose baseUrl your"
                    + " config writes: set provider." + purpose.name() + ".baseUrl to allow it, or use a local model";
            case TOOL, MCP, HOOK -> purpose.label() + " would connect to " + host + ", which is not loopback";
        };
        return "local-only mode (\"network\": \"local\"): " + why + "; nothing was sent";
    }

    /** The host (and port, when given) a blocked attempt names. */
    public static String host(URI target) {
        if (target.getHost() == null) return String.valueOf(target);
        return target.getPort() < 0 ? target.getHost() : target.getHost() + ":" + target.getPort();
    }
}
