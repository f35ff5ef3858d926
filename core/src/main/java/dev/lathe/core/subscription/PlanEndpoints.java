package dev.lathe.core.subscription;

import dev.lathe.core.config.Config;
import java.net.URI;

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

    /** {@code path} under the issuer. */
    URI issuer(String path) { return URI.create(issuer + path); }

    /** {@code path} under the token API. */
    URI api(String path) { return URI.create(api + path); }

    private static URI trimmed(String url) {
        return URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
    }
}
