package dev.lathe.llm;

/**
 * What Lathe needs to know about one model: its id at the provider, its context and output token limits, and its
 * prices.
 */
public record ModelInfo(String id, int context, int output, Pricing pricing) {
    public ModelInfo(String id, int context, int output) {
        this(id, context, output, Pricing.UNKNOWN);
    }
}
