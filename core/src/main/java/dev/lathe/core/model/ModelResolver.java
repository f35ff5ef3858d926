package dev.lathe.core.model;

import dev.lathe.core.config.Config;
import dev.lathe.llm.ApiKey;
import dev.lathe.llm.ModelInfo;
import dev.lathe.llm.ModelRef;
import dev.lathe.llm.Protocol;
import dev.lathe.llm.Protocols;
import dev.lathe.llm.Provider;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Finds the provider and model for {@code provider/model} among the configured providers. A model id the config
 * does not list is still usable (local servers serve whatever is loaded) with conservative default limits.
 */
public final class ModelResolver {
    static final ModelInfo DEFAULT_LIMITS = new ModelInfo("", 128_000, 8_192);

    private final Config config;
    private final Protocols protocols;

    public ModelResolver(Config config, Protocols protocols) {
        this.config = config;
        this.protocols = protocols;
    }

    /** @throws ModelException with a message that tells the user what to configure */
    public ResolvedModel resolve(String refText) {
        ModelRef ref;
        try {
            ref = ModelRef.parse(refText);
        } catch (IllegalArgumentException e) {
            throw new ModelException(e.getMessage());
        }
        Config.ProviderConfig pc = config.providers().get(ref.provider());
        if (pc == null) {
            throw new ModelException("unknown provider '" + ref.provider() + "' in model '" + refText + "'; configured providers: "
                    + (config.providers().isEmpty() ? "none (add one under \"provider\" in lathe.json)" : String.join(", ", config.providers().keySet())));
        }
        String protocolId = pc.protocol().orElseThrow(() -> new ModelException("provider '" + pc.id() + "' has no \"protocol\""));
        Protocol protocol = protocols.find(protocolId)
                .orElseThrow(() -> new ModelException("provider '" + pc.id() + "': protocol '" + protocolId + "' is not supported yet"));
        String baseUrl = pc.baseUrl().orElseThrow(() -> new ModelException("provider '" + pc.id() + "' has no \"baseUrl\""));
        Map<String, ModelInfo> models = new LinkedHashMap<>();
        pc.models().forEach((id, m) -> models.put(id, new ModelInfo(m.id(), m.context(), m.output())));
        ModelInfo info = models.getOrDefault(ref.model(), new ModelInfo(ref.model(), DEFAULT_LIMITS.context(), DEFAULT_LIMITS.output()));
        var provider = new Provider(pc.id(), protocolId, URI.create(baseUrl), pc.apiKey().map(ApiKey::new), pc.headers(), models);
        return new ResolvedModel(refText, provider, info, protocol);
    }
}
