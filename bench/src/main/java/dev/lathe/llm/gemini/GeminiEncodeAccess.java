package dev.lathe.llm.gemini;

import dev.lathe.llm.LlmRequest;

/** Benchmark access to this package's request encoder (package-private in lathe-llm). */
public final class GeminiEncodeAccess {
    private GeminiEncodeAccess() {}

    public static byte[] encode(LlmRequest request) { return Encoder.encode(request); }
}
