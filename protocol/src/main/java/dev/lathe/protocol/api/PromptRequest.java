package dev.lathe.protocol.api;

import java.util.List;
import java.util.Optional;

/** Body of {@code POST /sessions/{id}/prompt}. {@code model} ({@code provider/model}) switches the session's model. */
public record PromptRequest(List<InputPart> parts, Optional<String> agent, Optional<String> model) {
    public static PromptRequest text(String text) {
        return new PromptRequest(List.of(new InputPart.Text(text)), Optional.empty(), Optional.empty());
    }
}
