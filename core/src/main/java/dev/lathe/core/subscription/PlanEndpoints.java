package dev.lathe.core.subscription;

import dev.lathe.core.config.Config;
import dev.lathe.core.network.OutboundGate;
import dev.lathe.core.network.Purpose;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * Where one plan's sign-in goes: its defaults ({@link Plan}), each overridable by {@code provider.NAME.oauth} in config
 * so tests (and proxies) can point them at other servers.
 */
public record PlanEndpoints(Plan plan, URI issuer, URI api, String clientId, int redirectPort) {
    public static PlanEndpoints of(Plan plan, Config.OAuthOverrides overrides) {
        return new PlanEndpoints(plan, overrides.issuer().map(PlanEndpoints::trimmed).orElse(plan.issuer()),
                overrides.api().map(PlanEndpoints::trimmed).orElse(plan.api()), overrides.clientId().orElse(plan.clientId()),
                overrides.redirectPort().orElse(plan.redirectPort()));
    }

    public static PlanEndpoints of(Plan plan, Config config) {
        var provider = config.providers().get(plan.provider());
        return of(plan, provider == null ? Config.OAuthOverrides.NONE : provider.oauth());
    }

    /**
     * Why {@code gate} refuses this sign-in before it starts (its authorization server, and for Copilot the token API
     * the GitHub token is exchanged at), each refused server recorded; empty when it may go ahead. Asked before a
     * browser page or a device code is shown: a sign-in whose end would be refused is not begun.
     */
    public Optional<String> refusal(OutboundGate gate) {
        var purpose = Purpose.signIn(plan.provider());
        List<URI> servers = plan == Plan.COPILOT ? List.of(issuer, api) : List.of(issuer);
        Optional<String> first = Optional.empty();
        for (URI server : servers) {
            if (!gate.allows(purpose, server) && first.isEmpty()) first = Optional.of(gate.refusal(purpose, server));
        }
        return first;
    }

    /** {@code path} under the issuer. */
    URI issuer(String path) { return URI.create(issuer + path); }

    /** {@code path} under the token API. */
    URI api(String path) { return URI.create(api + path); }

    private static URI trimmed(String url) {
        return URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
    }
}
