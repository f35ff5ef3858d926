package dev.lathe.core.model;

import dev.lathe.core.config.Config;
import dev.lathe.llm.ModelInfo;
import dev.lathe.llm.Protocol;
import dev.lathe.llm.Provider;
import java.util.Optional;

/**
 * Everything needed to call one model. {@code ref} is {@code provider/model} as the user wrote it. {@code agent}: present
 * when the model is an ACP agent ({@code acp/NAME}): a turn on it runs in that agent's process, not through
 * {@code protocol} (which then only refuses requests, such as a title's, with an error saying so). {@code signedIn}: the
 * model is reached through a subscription's sign-in (its tokens are the plan's, not priced per token; a refusal is the
 * sign-in's, not a key's), said here rather than found from {@code protocol}'s type, which a decorator would hide.
 */
public record ResolvedModel(String ref, Provider provider, ModelInfo model, Protocol protocol, Optional<Config.AgentCommand> agent,
        boolean signedIn) {
    /** A model reached with an API key (or none), not an agent. */
    public ResolvedModel(String ref, Provider provider, ModelInfo model, Protocol protocol) {
        this(ref, provider, model, protocol, Optional.empty(), false);
    }

    /** Whether a turn on this model runs in an ACP agent. */
    public boolean isAgent() { return agent.isPresent(); }
}
