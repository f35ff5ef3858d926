package dev.lathe.core.model;

import dev.lathe.core.config.Config;
import dev.lathe.core.network.OutboundGate;
import dev.lathe.core.network.Purpose;
import dev.lathe.core.trust.Withheld;
import dev.lathe.llm.ApiKey;
import dev.lathe.llm.ModelInfo;
import dev.lathe.llm.ModelRef;
import dev.lathe.llm.Pricing;
import dev.lathe.llm.Protocol;
import dev.lathe.llm.Protocols;
import dev.lathe.llm.Provider;
import dev.lathe.llm.bedrock.AwsConfig;
import dev.lathe.llm.catalog.Catalog;
import dev.lathe.llm.catalog.CatalogModel;
import dev.lathe.llm.catalog.CatalogProvider;
import dev.lathe.llm.catalog.WireProtocols;
import dev.lathe.llm.http.DeferredTrust;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the provider and model for {@code provider/model}: config providers merged over the models.dev catalog (config
 * adds providers or overrides a catalog provider's protocol, base URL, headers and models). The key comes from config,
 * else from {@code lathe auth login}, else from the catalog's environment variables. A model id neither lists is
 * still usable (local servers serve whatever is loaded) with conservative default limits. The catalog is consulted
 * only when config does not say everything, so a fully configured provider never waits for it.
 */
public final class ModelResolver {
    public static final ModelInfo DEFAULT_LIMITS = new ModelInfo("", 128_000, 8_192);
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z0-9_]+)}");

    private final Config config;
    private final Protocols protocols;
    private final ProviderSources sources;
    private final OutboundGate network;

    /** A resolver under no network policy (offline commands that never connect, tests). */
    public ModelResolver(Config config, Protocols protocols, ProviderSources sources) {
        this(config, protocols, sources, OutboundGate.OPEN);
    }

    /** @param network the project's policy: in local-only mode a provider it does not allow is refused here, before any request */
    public ModelResolver(Config config, Protocols protocols, ProviderSources sources, OutboundGate network) {
        this.config = config;
        this.protocols = protocols;
        this.sources = sources;
        this.network = network;
    }

    /**
     * The model a new session uses when neither its request nor config names one ({@link DefaultModel}); empty when no
     * provider has a key.
     */
    public Optional<String> defaultModel() { return DefaultModel.of(config, sources); }

    /** @throws ModelException with a message that tells the user what to configure */
    public ResolvedModel resolve(String refText) {
        ModelRef ref;
        try {
            ref = ModelRef.parse(refText);
        } catch (IllegalArgumentException e) {
            throw new ModelException(e.getMessage());
        }
        // the administrator's lists hold for every request: a session's, a fallback's, a subagent's (DESIGN §29)
        var refused = config.managed().refusalOf(ref.provider(), ref.model());
        if (refused.isPresent()) throw new ModelException(refused.get());
        if (ref.provider().equals(Config.AgentCommand.PROVIDER)) return AgentModels.resolve(config, ref.model(), refText);
        Optional<Config.ProviderConfig> configured = Optional.ofNullable(config.providers().get(ref.provider()));
        Optional<Config.ModelConfig> configuredModel = configured.map(pc -> pc.models().get(ref.model()));
        boolean complete = configured.isPresent() && configured.get().protocol().isPresent() && configured.get().baseUrl().isPresent()
                && configuredModel.isPresent();
        Optional<CatalogProvider> listed = complete ? Optional.empty() : sources.catalog().get().provider(ref.provider());
        if (configured.isEmpty() && listed.isEmpty()) throw unknownProvider(ref, refText);
        Optional<CatalogModel> listedModel = listed.map(p -> p.models().get(ref.model()));

        // signed in with a subscription (and no key in config): its backend, its protocol, its models, a token per request
        // the plan's own backend is not a baseUrl the user wrote: in local-only mode it is refused like any other
        Optional<SignedInPlan> signedIn = SignedInPlan.of(ref.provider(), configured, sources.auth(), network);
        if (signedIn.isPresent()) return allowed(signedIn.get().resolve(ref, refText, configured, listed, protocols));
        String npm = listedModel.flatMap(CatalogModel::npm).or(() -> listed.map(CatalogProvider::npm)).orElse("");
        Optional<WireProtocols.Wire> wire = WireProtocols.of(npm, listedModel.flatMap(CatalogModel::shape));
        String protocolId = configured.flatMap(Config.ProviderConfig::protocol).or(() -> wire.map(WireProtocols.Wire::protocol))
                .orElseThrow(() -> new ModelException(configured.isPresent()
                        ? "provider '" + ref.provider() + "' has no \"protocol\""
                        : "provider '" + ref.provider() + "' uses its own API (" + npm + "), which Lathe does not speak; configure an"
                                + " OpenAI-compatible endpoint for it under \"provider\" in lathe.json"));
        Protocol protocol = protocols.find(protocolId)
                .orElseThrow(() -> new ModelException("provider '" + ref.provider() + "': protocol '" + protocolId + "' is not supported yet"));
        String baseUrl = configured.flatMap(Config.ProviderConfig::baseUrl)
                .or(() -> listedModel.flatMap(CatalogModel::api))
                .or(() -> listed.flatMap(CatalogProvider::api))
                .or(() -> wire.flatMap(WireProtocols.Wire::defaultBaseUrl))
                .orElseThrow(() -> noBaseUrl(ref.provider()));

        Map<String, ModelInfo> models = new LinkedHashMap<>();
        listed.ifPresent(p -> p.models().forEach((id, m) -> models.put(id, m.info())));
        configured.ifPresent(pc -> pc.models().forEach((id, m) -> {
            ModelInfo base = models.get(id);
            // a configured model overrides what it sets and keeps the catalog's word on the rest
            models.put(id, new ModelInfo(m.id(), m.context() > 0 || base == null ? m.context() : base.context(),
                    m.output() > 0 || base == null ? m.output() : base.output(), base != null ? base.pricing() : Pricing.UNKNOWN,
                    m.reasoningEffort()));
        }));
        ModelInfo info = models.getOrDefault(ref.model(), new ModelInfo(ref.model(), DEFAULT_LIMITS.context(), DEFAULT_LIMITS.output()));
        if (info.context() <= 0 || info.output() <= 0) {
            info = new ModelInfo(info.id(), info.context() > 0 ? info.context() : DEFAULT_LIMITS.context(),
                    info.output() > 0 ? info.output() : DEFAULT_LIMITS.output(), info.pricing(), info.reasoningEffort());
        }

        // each with where it came from, which a refused key's error names (never the key)
        Optional<ApiKey> key = configured.flatMap(Config.ProviderConfig::apiKey)
                .map(k -> new ApiKey(k, "config (provider." + ref.provider() + ".apiKey)"))
                .or(() -> sources.auth().key(ref.provider()).map(k -> new ApiKey(k, "the auth store (lathe auth login " + ref.provider() + ")")))
                .or(() -> keyVariables(listed, protocolId).stream().filter(v -> sources.env().get(v) != null && !sources.env().get(v).isBlank())
                        .findFirst().map(v -> new ApiKey(sources.env().get(v), "the variable " + v)));
        if (key.isEmpty() && configured.isEmpty() && needsKey(listed.get(), protocolId)) {
            List<String> vars = keyVariables(listed, protocolId);
            throw new ModelException("no key for provider '" + ref.provider() + "': set " + String.join(" or ", vars)
                    + ", or run `lathe auth login " + ref.provider() + "`");
        }
        Map<String, String> headers = configured.map(Config.ProviderConfig::headers).orElse(Map.of());
        var provider = new Provider(ref.provider(), protocolId, URI.create(substitute(baseUrl, ref.provider())), key, headers, models);
        return allowed(new ResolvedModel(refText, provider, info, protocol));
    }

    /**
     * {@code model} when the project's network policy lets its requests reach its base URL. Every model request is built
     * from a resolved model: refusing here is refusing before any connection.
     */
    private ResolvedModel allowed(ResolvedModel model) {
        URI base = model.provider().baseUrl();
        String id = model.provider().id();
        // the administrator's hosts for the provider, whatever URL the user's config gives it (decision 558)
        var refused = config.managed().refusalOfBaseUrl(id, base, () -> CatalogUrls.of(id));
        if (refused.isPresent()) throw new ModelException(refused.get());
        var purpose = Purpose.provider(id);
        if (!network.allows(purpose, base)) throw new ModelException(network.refusal(purpose, base));
        // the trust store is read in the background from now on, while the prompt is built (DeferredTrust)
        if ("https".equalsIgnoreCase(base.getScheme())) DeferredTrust.preload();
        return model;
    }

    private ModelException noBaseUrl(String provider) {
        for (Withheld w : config.withheldOf(Withheld.Kind.PROVIDER_BASE_URL)) {
            if (w.items().contains(provider)) {
                return new ModelException("provider '" + provider + "' has its \"baseUrl\" in " + w.source() + ", which this folder defines and"
                        + " Lathe does not use until you trust the folder: run `lathe trust` in it (or set the provider in your own config)");
            }
        }
        return new ModelException("provider '" + provider + "' has no \"baseUrl\"; set provider." + provider + ".baseUrl in lathe.json");
    }

    /**
     * The model's prices: its own, or, for a provider configured completely by hand (so resolving did not wait for the
     * catalog), the catalog's prices for the same provider and model id; unknown otherwise. Called after every step, so
     * it never waits for the background catalog load: a step that ends before the catalog has loaded (only a very fast
     * first one) is priced unknown rather than delayed.
     */
    public Pricing pricing(ResolvedModel model) {
        if (!model.model().pricing().equals(Pricing.UNKNOWN)) return model.model().pricing();
        // a subscription's tokens cost nothing per token: the catalog's API prices do not apply
        if (model.signedIn()) return Pricing.UNKNOWN;
        Optional<Catalog> catalog = sources.catalog().now();
        return catalog.flatMap(c -> c.provider(model.provider().id())).map(p -> p.models().get(model.model().id()))
                .map(m -> m.pricing()).orElse(Pricing.UNKNOWN);
    }

    /**
     * The price of {@code refText} ({@code provider/model}) as config or the catalog lists it, even when it cannot be
     * called here (no key): for tokens already spent, such as an imported session's. Unknown when nothing lists it.
     */
    public Pricing listedPricing(String refText) {
        try {
            return pricing(resolve(refText));
        } catch (ModelException | IllegalArgumentException e) {
            // not callable here: the catalog's price all the same
        }
        int slash = refText.indexOf('/');
        if (slash <= 0) return Pricing.UNKNOWN;
        return sources.catalog().now().flatMap(c -> c.provider(refText.substring(0, slash))).map(p -> p.models().get(refText.substring(slash + 1)))
                .map(m -> m.pricing()).orElse(Pricing.UNKNOWN);
    }

    /**
     * The catalog variables that hold a key (not a region or resource name). Bedrock signs with the AWS credentials
     * itself; only its bearer key is a key here.
     */
    public static List<String> keyVariables(Optional<CatalogProvider> provider, String protocol) {
        List<String> out = new ArrayList<>();
        for (String name : provider.map(CatalogProvider::env).orElse(List.of())) {
            boolean key = protocol.equals("bedrock-converse") ? name.equals("AWS_BEARER_TOKEN_BEDROCK")
                    : (name.contains("KEY") || name.contains("TOKEN") || name.endsWith("_PAT")) && !name.endsWith("_ID");
            if (key) out.add(name);
        }
        return out;
    }

    /** Local servers need no key; Bedrock can sign with AWS credentials instead. */
    private static boolean needsKey(CatalogProvider provider, String protocol) {
        if (protocol.equals("bedrock-converse")) return false;
        String url = provider.api().orElse("");
        return !keyVariables(Optional.of(provider), protocol).isEmpty() && !url.startsWith("http://127.0.0.1") && !url.startsWith("http://localhost");
    }

    /** {@code ${AWS_REGION}} and friends in catalog URLs, from the environment (the AWS region also from the profile). */
    private String substitute(String url, String provider) {
        Matcher m = PLACEHOLDER.matcher(url);
        var out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String value = sources.env().get(name);
            if ((value == null || value.isBlank()) && name.equals("AWS_REGION")) {
                // as the AWS tools do: the environment, then the profile's region in ~/.aws/config
                String home = sources.env().getOrDefault("HOME", System.getProperty("user.home"));
                value = new AwsConfig(sources.env(), java.nio.file.Path.of(home)).region().orElse("us-east-1");
            }
            if (value == null || value.isBlank()) {
                throw new ModelException("provider '" + provider + "' needs " + name + " set (its URL is " + url + "), or a baseUrl in lathe.json");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private ModelException unknownProvider(ModelRef ref, String refText) {
        var known = new TreeSet<>(config.providers().keySet());
        known.addAll(sources.catalog().get().providers().keySet());
        List<String> close = RelatedProviders.of(ref.provider(), known);
        return new ModelException("unknown provider '" + ref.provider() + "' in model '" + refText + "'"
                + (close.isEmpty() ? "; see `lathe models` for the providers Lathe knows, or add one under \"provider\" in lathe.json"
                        : "; did you mean " + String.join(", ", close) + "?"));
    }
}
