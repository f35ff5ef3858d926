package dev.lathe.llm;

/**
 * Tokens of one response. {@code input} counts only uncached input (cache reads and writes are separate), whatever the
 * provider's own convention; {@code reasoning} is the part of {@code output} spent thinking, when reported.
 */
public record TokenUsage(long input, long output, long reasoning, long cacheRead, long cacheWrite) {
    public static final TokenUsage ZERO = new TokenUsage(0, 0, 0, 0, 0);
}
