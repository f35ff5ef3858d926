package dev.lathe.llm.bedrock;

import dev.lathe.llm.LlmRequest;

/** Benchmark access to this package's request encoder (package-private in lathe-llm). */
public final class BedrockEncodeAccess {
    private BedrockEncodeAccess() {}

    public static byte[] encode(LlmRequest request) { return Encoder.encode(request); }
}
