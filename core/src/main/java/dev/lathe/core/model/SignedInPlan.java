package dev.lathe.core.model;

import dev.lathe.core.auth.AuthStore;
import dev.lathe.core.config.Config;
import dev.lathe.core.network.OutboundGate;
import dev.lathe.core.subscription.Plan;
import dev.lathe.core.subscription.PlanEndpoints;
import dev.lathe.core.subscription.PlanSignIn;
import dev.lathe.core.subscription.PlanTokens;
import dev.lathe.core.subscription.SignedInProtocol;
import dev.lathe.llm.ModelInfo;
import dev.lathe.llm.ModelRef;
import dev.lathe.llm.Pricing;
import dev.lathe.llm.Protocol;
import dev.lathe.llm.Protocols;
import dev.lathe.llm.Provider;
import dev.lathe.llm.catalog.CatalogProvider;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A provider used through the subscription the user signed in to ({@code lathe auth login openai}, {@code ...
 * github-copilot}) rather than a key: the plan's backend and protocol (config's {@code baseUrl} and {@code protocol}
 * still win), only the models the plan gives, no per-token price, and a {@link SignedInProtocol} that sends a fresh
 * token with each request. A key in config takes precedence over a sign-in, as it does over a saved key.
 */
record SignedInPlan(Plan plan, PlanTokens tokens, OutboundGate gate) {
    /** The ChatGPT models OpenCode's Codex sign-in offers (decision 121), and any later {@code gpt-X.Y} above 5.4. */
    static final Set<String> CHATGPT_MODELS = Set.of("gpt-5.2", "gpt-5.3-codex", "gpt-5.3-codex-spark", "gpt-5.4", "gpt-5.4-mini", "gpt-5.5");
    private static final Pattern GPT_VERSION = Pattern.compile("^gpt-(\\d+)\\.(\\d+)");

    /** @param gate the project's network policy: its renewals, and the endpoint a token names, are asked about at request time */
    static Optional<SignedInPlan> of(String provider, Optional<Config.ProviderConfig> configured, AuthStore auth, OutboundGate gate) {
        if (configured.flatMap(Config.ProviderConfig::apiKey).isPresent()) return Optional.empty();
        Optional<Plan> plan = Plan.forProvider(provider);
        if (plan.isEmpty() || auth.oauth(provider).isEmpty()) return Optional.empty();
        var endpoints = PlanEndpoints.of(plan.get(), configured.map(Config.ProviderConfig::oauth).orElse(Config.OAuthOverrides.NONE));
        return Optional.of(new SignedInPlan(plan.get(), new PlanTokens(auth, PlanSignIn.of(endpoints, gate)), gate));
    }

    /** Whether the plan serving {@code provider} (if one does) gives model {@code id}; true for a provider without a plan. */
    static boolean gives(String provider, String id) {
        return Plan.forProvider(provider).map(p -> gives(p, id)).orElse(true);
    }

    static boolean gives(Plan plan, String id) {
        if (plan != Plan.CHATGPT) return true; // the catalog's github-copilot provider lists what Copilot serves
        if (CHATGPT_MODELS.contains(id)) return true;
        Matcher m = GPT_VERSION.matcher(id);
        return m.find() && (Integer.parseInt(m.group(1)) > 5 || Integer.parseInt(m.group(1)) == 5 && Integer.parseInt(m.group(2)) > 4);
    }

    ResolvedModel resolve(ModelRef ref, String refText, Optional<Config.ProviderConfig> configured, Optional<CatalogProvider> listed,
            Protocols protocols) {
        String protocolId = configured.flatMap(Config.ProviderConfig::protocol).orElse(plan.protocol());
        Protocol wire = protocols.find(protocolId)
                .orElseThrow(() -> new ModelException("provider '" + ref.provider() + "': protocol '" + protocolId + "' is not supported yet"));
        Optional<String> configuredBase = configured.flatMap(Config.ProviderConfig::baseUrl);
        Map<String, ModelInfo> models = new LinkedHashMap<>();
        listed.ifPresent(p -> p.models().forEach((id, m) -> {
            if (gives(plan, id)) models.put(id, unpriced(m.info()));
        }));
        configured.ifPresent(pc -> pc.models().forEach((id, m) -> {
            ModelInfo base = models.get(id);
            models.put(id, new ModelInfo(m.id(), m.context() > 0 || base == null ? m.context() : base.context(),
                    m.output() > 0 || base == null ? m.output() : base.output(), Pricing.UNKNOWN, m.reasoningEffort()));
        }));
        boolean listedElsewhere = listed.map(p -> p.models().containsKey(ref.model())).orElse(false);
        if (!models.containsKey(ref.model()) && listedElsewhere) {
            throw new ModelException("'" + refText + "' is not among the models of the " + plan.label() + " plan you signed in with ("
                    + plan.loginCommand() + "); its models: " + String.join(", ", models.keySet()) + ". For other models, save an API key: "
                    + plan.loginCommand() + " --method api-key");
        }
        ModelInfo info = models.getOrDefault(ref.model(), new ModelInfo(ref.model(), ModelResolver.DEFAULT_LIMITS.context(),
                ModelResolver.DEFAULT_LIMITS.output()));
        if (info.context() <= 0 || info.output() <= 0) {
            info = new ModelInfo(info.id(), info.context() > 0 ? info.context() : ModelResolver.DEFAULT_LIMITS.context(),
                    info.output() > 0 ? info.output() : ModelResolver.DEFAULT_LIMITS.output(), Pricing.UNKNOWN, info.reasoningEffort());
        }
        Map<String, String> headers = configured.map(Config.ProviderConfig::headers).orElse(Map.of());
        // no key here: the token is fetched per request by the protocol, so the provider a session holds carries none
        var provider = new Provider(ref.provider(), protocolId, URI.create(configuredBase.orElse(plan.backend().toString())), Optional.empty(),
                headers, models);
        return new ResolvedModel(refText, provider, info, new SignedInProtocol(wire, tokens, configuredBase.isPresent(), gate), Optional.empty(), true);
    }

    private static ModelInfo unpriced(ModelInfo info) {
        return new ModelInfo(info.id(), info.context(), info.output(), Pricing.UNKNOWN, info.reasoningEffort());
    }
}
