package dev.lathe.llm;

import java.util.List;
import java.util.Optional;

/**
 * One model call. {@code system} holds the system blocks in order (block A: agent prompt, block B: project
 * instructions); protocols keep them as separate blocks where the wire allows, so each can carry a cache
 * breakpoint. {@code tools} are sent in the given order. {@code cacheKey} is a stable key for providers that take
 * one (OpenAI {@code prompt_cache_key}). {@code reasoning} asks a reasoning model for that effort; absent means the
 * provider's default. {@code stableTtl} how long the stable blocks stay cached where the wire lets a request say so.
 */
public record LlmRequest(String model, List<String> system, List<ToolSpec> tools, List<LlmMessage> messages,
        int maxOutputTokens, ToolChoice toolChoice, Optional<Double> temperature, Optional<String> cacheKey,
        Optional<ReasoningEffort> reasoning, CacheTtl stableTtl) {

    public LlmRequest(String model, List<String> system, List<ToolSpec> tools, List<LlmMessage> messages, int maxOutputTokens,
            ToolChoice toolChoice, Optional<Double> temperature, Optional<String> cacheKey, Optional<ReasoningEffort> reasoning) {
        this(model, system, tools, messages, maxOutputTokens, toolChoice, temperature, cacheKey, reasoning, CacheTtl.DEFAULT);
    }

    public LlmRequest(String model, List<String> system, List<ToolSpec> tools, List<LlmMessage> messages, int maxOutputTokens,
            ToolChoice toolChoice, Optional<Double> temperature, Optional<String> cacheKey) {
        this(model, system, tools, messages, maxOutputTokens, toolChoice, temperature, cacheKey, Optional.empty());
    }

    /** This request with its stable blocks cached for {@code ttl}. */
    public LlmRequest withStableTtl(CacheTtl ttl) {
        return new LlmRequest(model, system, tools, messages, maxOutputTokens, toolChoice, temperature, cacheKey, reasoning, ttl);
    }
}
