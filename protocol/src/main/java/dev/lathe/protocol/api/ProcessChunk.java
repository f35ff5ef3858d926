package dev.lathe.protocol.api;

import java.util.Objects;

/**
 * A background command's output from a position ({@code GET /sessions/{id}/processes/{processId}/output?since=N}):
 * {@code text}, the bytes lost to the output buffer's cap before it ({@code skipped}), where to read on ({@code next}),
 * and the command's {@code state} now. Reading consumes nothing: the model's {@code bash_output} still reads it all.
 */
public record ProcessChunk(String text, long skipped, long next, String state) {
    public ProcessChunk {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(state, "state");
    }
}
