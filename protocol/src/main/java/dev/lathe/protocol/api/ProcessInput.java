package dev.lathe.protocol.api;

import java.util.Objects;

/** What a person types into a background command ({@code POST /sessions/{id}/processes/{processId}/input}): sent as is. */
public record ProcessInput(String text) {
    /** The most text one request writes. */
    public static final int MAX_CHARS = 64 * 1024;

    public ProcessInput {
        Objects.requireNonNull(text, "text");
    }
}
