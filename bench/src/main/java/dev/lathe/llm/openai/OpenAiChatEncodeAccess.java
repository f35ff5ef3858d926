package dev.lathe.llm.openai;

import dev.lathe.llm.LlmRequest;

/** Benchmark access to this package's request encoder (package-private in lathe-llm). */
public final class OpenAiChatEncodeAccess {
    private OpenAiChatEncodeAccess() {}

    public static byte[] encode(LlmRequest request) { return Encoder.BODIES.body(request, Encoder.TokenLimitField.MAX_COMPLETION_TOKENS).bytes(); }
}
