package dev.lathe.llm;

import java.util.Locale;
import java.util.Optional;

/**
 * How hard a reasoning model should think, as users set it ({@code "reasoningEffort": "high"} on a model). Protocols
 * that take a level send it as is (OpenAI {@code reasoning_effort}); those that take a token budget (Anthropic
 * extended thinking, Gemini, Bedrock) use {@link #budget}, kept below the output limit.
 */
public enum ReasoningEffort {
    LOW(4_096), MEDIUM(12_288), HIGH(32_000);

    private final int budgetTokens;

    ReasoningEffort(int budgetTokens) {
        this.budgetTokens = budgetTokens;
    }

    public String wire() { return name().toLowerCase(Locale.ROOT); }

    /** The thinking budget for a response of at most {@code maxOutputTokens}: leaves at least a quarter for the answer. */
    public int budget(int maxOutputTokens) {
        return Math.max(1_024, Math.min(budgetTokens, maxOutputTokens * 3 / 4));
    }

    public static Optional<ReasoningEffort> parse(String text) {
        for (ReasoningEffort e : values()) if (e.wire().equals(text)) return Optional.of(e);
        return Optional.empty();
    }
}
