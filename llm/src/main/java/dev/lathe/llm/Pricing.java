package dev.lathe.llm;

/**
 * USD per million tokens, as the models.dev catalog gives them; cache reads and writes are priced separately from
 * uncached input. {@link #UNKNOWN} prices everything at zero (local models, or a model the catalog does not know).
 */
public record Pricing(double input, double output, double cacheRead, double cacheWrite) {
    public static final Pricing UNKNOWN = new Pricing(0, 0, 0, 0);

    /** The cost of a response in micro-dollars (DESIGN §4); {@code usage.input} is uncached input only. */
    public long microDollars(TokenUsage usage) {
        // tokens × USD per million tokens = micro-dollars
        return Math.round(usage.input() * input + usage.output() * output + usage.cacheRead() * cacheRead + usage.cacheWrite() * cacheWrite);
    }
}
