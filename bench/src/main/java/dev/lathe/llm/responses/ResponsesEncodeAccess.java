package dev.lathe.llm.responses;

import dev.lathe.llm.LlmRequest;

/** Benchmark access to this package's request encoder (package-private in lathe-llm). */
public final class ResponsesEncodeAccess {
    private ResponsesEncodeAccess() {}

    public static byte[] encode(LlmRequest request) { return Encoder.BODIES.body(request, new Encoder.Dialect(true)).bytes(); }
}
