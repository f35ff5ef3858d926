package dev.lathe.core.model;

import dev.lathe.core.config.Config;
import dev.lathe.core.trust.Withheld;
import dev.lathe.llm.Cancellation;
import dev.lathe.llm.LlmError;
import dev.lathe.llm.LlmEvent;
import dev.lathe.llm.LlmRequest;
import dev.lathe.llm.LlmSink;
import dev.lathe.llm.ModelInfo;
import dev.lathe.llm.Protocol;
import dev.lathe.llm.Provider;
import dev.lathe.llm.StopReason;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Resolves {@code acp/NAME}: the ACP agent configured as {@code provider.acp.models.NAME} (DESIGN §14). Its limits are
 * what config says, else generous ones (the agent manages its own context; Lathe only needs them for its budgets).
 */
final class AgentModels {
    /** What Lathe assumes of an agent's window and output when config does not say: the agent compacts by itself. */
    static final ModelInfo AGENT_LIMITS = new ModelInfo("", 200_000, 32_000);

    private AgentModels() {}

    static ResolvedModel resolve(Config config, String name, String refText) {
        Config.ProviderConfig provider = config.providers().get(Config.AgentCommand.PROVIDER);
        Config.ModelConfig model = provider == null ? null : provider.models().get(name);
        if (model == null) {
            throw new ModelException("no ACP agent '" + name + "' is configured: add provider.acp.models." + name
                    + " = {\"command\": [executable, args...]} to lathe.json" + configured(provider));
        }
        if (model.agent().isEmpty()) throw noCommand(config, name);
        Map<String, ModelInfo> models = new LinkedHashMap<>();
        provider.models().forEach((id, m) -> models.put(id, info(id, m)));
        var p = new Provider(Config.AgentCommand.PROVIDER, REFUSING.id(), URI.create("acp:" + name), Optional.empty(), Map.of(), models);
        return new ResolvedModel(refText, p, info(name, model), REFUSING, model.agent(), false);
    }

    private static ModelInfo info(String id, Config.ModelConfig m) {
        return new ModelInfo(id, m.context() > 0 ? m.context() : AGENT_LIMITS.context(), m.output() > 0 ? m.output() : AGENT_LIMITS.output());
    }

    private static String configured(Config.ProviderConfig provider) {
        if (provider == null || provider.models().isEmpty()) return "";
        return " (configured: " + String.join(", ", provider.models().keySet().stream().map(n -> "acp/" + n).toList()) + ")";
    }

    private static ModelException noCommand(Config config, String name) {
        for (Withheld w : config.withheldOf(Withheld.Kind.ACP_AGENTS)) {
            if (w.items().contains(name)) {
                return new ModelException("the ACP agent '" + name + "' has its command in " + w.source() + ", which this folder defines and"
                        + " Lathe does not run until you trust the folder: run `lathe trust` in it (or configure the agent in your own config)");
            }
        }
        return new ModelException("the ACP agent '" + name + "' has no command: set provider.acp.models." + name + ".command in lathe.json");
    }

    /**
     * The protocol of an agent model: a turn never sends it a request (the agent runs it), but a title or a summary asked
     * of the session's model would; those fail with an error that says why, and Lathe goes on without them.
     */
    static final Protocol REFUSING = new Protocol() {
        @Override public String id() { return "acp"; }

        @Override public LlmEvent.Finished stream(Provider provider, LlmRequest request, LlmSink sink, Cancellation cancel) {
            var finished = new LlmEvent.Finished(StopReason.ERROR, Optional.of(new LlmError.InvalidRequest(400,
                    "an ACP agent (" + provider.baseUrl() + ") takes prompts in a session's turn only, not single requests")));
            sink.accept(finished);
            return finished;
        }
    };
}
