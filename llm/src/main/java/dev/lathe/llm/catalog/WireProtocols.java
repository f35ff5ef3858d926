package dev.lathe.llm.catalog;

import java.util.Map;
import java.util.Optional;

/**
 * Which wire protocol and default base URL an AI SDK package (the catalog's {@code npm}) stands for. Packages of
 * gateways with their own protocols (Vercel, Cloudflare, SAP, GitLab) and Cohere have none: those providers are listed
 * but cannot be used by id, only through an OpenAI-compatible endpoint configured by hand.
 */
public final class WireProtocols {
    /** A protocol and the base URL to use when the catalog gives none. */
    public record Wire(String protocol, Optional<String> defaultBaseUrl) {}

    private static final Map<String, Wire> BY_NPM = Map.ofEntries(
            Map.entry("@ai-sdk/openai-compatible", chat(null)),
            Map.entry("@ai-sdk/anthropic", new Wire("anthropic-messages", Optional.of("https://api.anthropic.com/v1"))),
            Map.entry("@ai-sdk/openai", new Wire("openai-responses", Optional.of("https://api.openai.com/v1"))),
            Map.entry("@ai-sdk/azure", new Wire("openai-responses", Optional.of("https://${AZURE_RESOURCE_NAME}.openai.azure.com/openai/v1"))),
            Map.entry("@ai-sdk/amazon-bedrock", new Wire("bedrock-converse", Optional.of("https://bedrock-runtime.${AWS_REGION}.amazonaws.com"))),
            Map.entry("@ai-sdk/google", new Wire("gemini", Optional.of("https://generativelanguage.googleapis.com/v1beta"))),
            Map.entry("@ai-sdk/cerebras", chat("https://api.cerebras.ai/v1")),
            Map.entry("@ai-sdk/deepinfra", chat("https://api.deepinfra.com/v1/openai")),
            Map.entry("@ai-sdk/groq", chat("https://api.groq.com/openai/v1")),
            Map.entry("@ai-sdk/mistral", chat("https://api.mistral.ai/v1")),
            Map.entry("@ai-sdk/perplexity", chat("https://api.perplexity.ai")),
            Map.entry("@ai-sdk/togetherai", chat("https://api.together.xyz/v1")),
            Map.entry("@ai-sdk/vercel", chat("https://api.v0.dev/v1")),
            Map.entry("@ai-sdk/xai", chat("https://api.x.ai/v1")),
            Map.entry("@aihubmix/ai-sdk-provider", chat("https://aihubmix.com/v1")),
            Map.entry("@openrouter/ai-sdk-provider", chat("https://openrouter.ai/api/v1")),
            Map.entry("venice-ai-sdk-provider", chat("https://api.venice.ai/api/v1")),
            Map.entry("merge-gateway-ai-sdk-provider", chat(null)));

    private WireProtocols() {}

    private static Wire chat(String url) { return new Wire("openai-chat", Optional.ofNullable(url)); }

    /** {@code shape} is a model's override: {@code completions} moves a Responses provider's model to Chat Completions. */
    public static Optional<Wire> of(String npm, Optional<String> shape) {
        Wire wire = BY_NPM.get(npm);
        if (wire == null) return Optional.empty();
        if (shape.isPresent() && wire.protocol().equals("openai-responses") && shape.get().equals("completions")) {
            return Optional.of(new Wire("openai-chat", wire.defaultBaseUrl()));
        }
        if (shape.isPresent() && wire.protocol().equals("openai-chat") && shape.get().equals("responses")) {
            return Optional.of(new Wire("openai-responses", wire.defaultBaseUrl()));
        }
        return Optional.of(wire);
    }
}
