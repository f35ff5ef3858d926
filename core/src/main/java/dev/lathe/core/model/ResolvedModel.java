package dev.lathe.core.model;

import dev.lathe.core.config.Config;
import dev.lathe.llm.ModelInfo;
import dev.lathe.llm.Protocol;
import dev.lathe.llm.Provider;
import java.util.Optional;

/**
 * Everything needed to call one model. {@code ref} is {@code provider/model} as the user wrote it. {@code agent}: present
 * when the model is an ACP agent ({@code acp/NAME}): a turn on it runs in that agent's process, not through
 * {@code protocol} (which then only refuses requests, such as a title's, with an error saying so).
 */
public record ResolvedModel(String ref, Provider provider, ModelInfo model, Protocol protocol, Optional<Config.AgentCommand> agent) {
    public ResolvedModel(String ref, Provider provider, ModelInfo model, Protocol protocol) {
        this(ref, provider, model, protocol, Optional.empty());
    }

    /** Whether a turn on this model runs in an ACP agent. */
    public boolean isAgent() { return agent.isPresent(); }
}
