package dev.lathe.protocol.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Optional;

/**
 * Body of {@code POST /sessions/{id}/prompt}. {@code model} ({@code provider/model}) switches the session's model.
 * {@code allowAll} answers every permission ask of the turn that answers this prompt (and of the subagents it starts)
 * with allow-once as it is raised, as {@code lathe run --allow-all} asks for: the asks are still announced, but no client
 * needs to be there, and none is waited for. Rules that deny still deny. {@code delivery} says what a prompt to a busy
 * session does ({@link Delivery}; absent: {@link Delivery#queue}).
 */
public record PromptRequest(List<InputPart> parts, Optional<String> agent, Optional<String> model,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean allowAll, Optional<Delivery> delivery) {
    public PromptRequest(List<InputPart> parts, Optional<String> agent, Optional<String> model) {
        this(parts, agent, model, false);
    }

    public PromptRequest(List<InputPart> parts, Optional<String> agent, Optional<String> model, boolean allowAll) {
        this(parts, agent, model, allowAll, Optional.empty());
    }

    public static PromptRequest text(String text) {
        return new PromptRequest(List.of(new InputPart.Text(text)), Optional.empty(), Optional.empty());
    }

    /** This prompt with its asks answered allow-once by the server. */
    public PromptRequest allowingAll() { return new PromptRequest(parts, agent, model, true, delivery); }

    /** This prompt delivered as {@code how} when the session is busy. */
    public PromptRequest delivered(Delivery how) { return new PromptRequest(parts, agent, model, allowAll, Optional.of(how)); }

    /** How it reaches a busy session: as asked, else queued after the running turn. */
    public Delivery deliveryOrQueue() { return delivery.orElse(Delivery.queue); }
}
