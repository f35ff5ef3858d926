package dev.lathe.protocol.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Optional;

/**
 * Body of {@code POST /sessions/{id}/prompt}. {@code model} ({@code provider/model}) switches the session's model.
 * {@code allowAll} answers every permission ask of the turn that answers this prompt (and of the subagents it starts)
 * with allow-once as it is raised, as {@code lathe run --allow-all} asks for: the asks are still announced, but no client
 * needs to be there, and none is waited for. Rules that deny still deny.
 */
public record PromptRequest(List<InputPart> parts, Optional<String> agent, Optional<String> model,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean allowAll) {
    public PromptRequest(List<InputPart> parts, Optional<String> agent, Optional<String> model) {
        this(parts, agent, model, false);
    }

    public static PromptRequest text(String text) {
        return new PromptRequest(List.of(new InputPart.Text(text)), Optional.empty(), Optional.empty());
    }

    /** This prompt with its asks answered allow-once by the server. */
    public PromptRequest allowingAll() { return new PromptRequest(parts, agent, model, true); }
}
