package dev.lathe.core.config;

import dev.lathe.core.trust.TrustGate;
import dev.lathe.core.trust.Withheld;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a project's own config layer may not do until its folder is trusted (DESIGN §14 "Trust", §30): everything the
 * table of keys ({@link ConfigKeys}) classes as reaching outside the project — a provider's URL, headers or key
 * variables, MCP, language and ACP servers, hooks, plugins, the status line, the search backend, the sandbox, allow
 * rules and permission modes, instruction files outside the project, {@code {env:…}}/{@code {file:…}} — is held back by
 * its class ({@link ReachGate}), and its spend caps may only tighten the user's.
 */
final class UntrustedLayer {
    private UntrustedLayer() {}

    /**
     * Removes from {@code layer} the parts {@code gate} does not admit, item by item (DESIGN §18 "Trust pins what it
     * approved"): in an untrusted folder all of them, in a trusted one those added or changed since it was trusted.
     *
     * @param source the file as the warning names it
     */
    static List<Withheld> strip(ObjectNode layer, String source, TrustGate gate, ReachGate.Place place) {
        return ReachGate.strip(layer, source, gate, place);
    }

    /**
     * An untrusted folder's spend and token limits may tighten those of the layers below, never loosen them: a cloned
     * repository must not lift the caps the user set to protect their money. Its amounts above the ones already set are
     * lowered to them, and its {@code null}s (which would remove a cap) are dropped; a cap nobody set it may add.
     */
    static void limitsTightenOnly(ObjectNode layer, JsonNode below) {
        JsonNode limits = layer.get("limits");
        if (limits != null && limits.isNull()) {
            layer.remove("limits");
            return;
        }
        if (!(limits instanceof ObjectNode scopes)) return;
        for (String scope : List.copyOf(scopes.propertyNames())) {
            JsonNode set = below.path("limits").path(scope);
            JsonNode caps = scopes.get(scope);
            if (caps.isNull()) {
                scopes.remove(scope);
            } else if (caps instanceof ObjectNode amounts) {
                for (String amount : List.copyOf(amounts.propertyNames())) {
                    JsonNode mine = amounts.get(amount);
                    JsonNode theirs = set.path(amount);
                    if (mine.isNull()) amounts.remove(amount);
                    else if (mine.isNumber() && theirs.isNumber() && mine.doubleValue() > theirs.doubleValue()) amounts.set(amount, theirs.deepCopy());
                }
            }
        }
    }
}
