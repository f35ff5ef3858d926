package dev.lathe.llm;

import java.util.Optional;

/**
 * What Lathe needs to know about one model: its id at the provider, its context and output token limits, its prices,
 * and the reasoning effort the user asked for on it (absent: the provider's default).
 */
public record ModelInfo(String id, int context, int output, Pricing pricing, Optional<ReasoningEffort> reasoningEffort) {
    public ModelInfo(String id, int context, int output, Pricing pricing) {
        this(id, context, output, pricing, Optional.empty());
    }

    public ModelInfo(String id, int context, int output) {
        this(id, context, output, Pricing.UNKNOWN);
    }
}
