package dev.lathe.core.context;

import dev.lathe.llm.ModelInfo;

/**
 * How much prompt a model takes before the context counts as full (DESIGN §18): a request overflows when
 * {@code lastInputTokens + reservedOutput > contextLimit − buffer}, with {@code reservedOutput = min(output limit,
 * 32,000)} and {@code buffer = min(contextLimit / 10, 8,000)}. A model whose context limit is unknown never overflows
 * by this rule; it can still report an overflow, which compacts as well.
 */
public record ContextBudget(int contextLimit, int reservedOutput, int buffer) {
    static final int MAX_RESERVED_OUTPUT = 32_000;
    static final int MAX_BUFFER = 8_000;

    public static ContextBudget of(ModelInfo model) {
        int limit = Math.max(0, model.context());
        int reserved = Math.min(model.output() > 0 ? model.output() : MAX_RESERVED_OUTPUT, MAX_RESERVED_OUTPUT);
        return new ContextBudget(limit, reserved, Math.min(limit / 10, MAX_BUFFER));
    }

    public boolean known() { return contextLimit > 0; }

    /** The most prompt tokens a request may have: beyond it the next one compacts first. */
    public long promptLimit() { return (long) contextLimit - buffer - reservedOutput; }

    public boolean overflows(long lastInputTokens) {
        return known() && lastInputTokens + reservedOutput > (long) contextLimit - buffer;
    }
}
