package dev.lathe.llm.anthropic;

import dev.lathe.llm.LlmRequest;

/** Benchmark access to this package's request encoder (package-private in lathe-llm). */
public final class AnthropicEncodeAccess {
    private AnthropicEncodeAccess() {}

    public static byte[] encode(LlmRequest request) { return Encoder.encode(request); }
}
