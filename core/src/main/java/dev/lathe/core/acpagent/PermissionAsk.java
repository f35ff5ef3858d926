package dev.lathe.core.acpagent;

import java.util.List;
import java.util.Optional;

/**
 * The agent's {@code session/request_permission}: the call it wants to run and the options it offers, each with ACP's
 * kind ({@code allow_once | allow_always | reject_once | reject_always}). Answered with {@link #answer} once; the
 * agent waits until then.
 */
public final class PermissionAsk {
    /** One option the agent offers. */
    public record Option(String id, String name, String kind) {}

    /** How Lathe answered: the kind of option it picked, or that the turn was cancelled. */
    public enum Answer { ALLOW_ONCE, ALLOW_ALWAYS, REJECT_ONCE, REJECT_ALWAYS, CANCELLED }

    private final AgentToolCall call;
    private final List<Option> options;
    private final java.util.concurrent.CompletableFuture<Answer> answer = new java.util.concurrent.CompletableFuture<>();

    PermissionAsk(AgentToolCall call, List<Option> options) {
        this.call = call;
        this.options = List.copyOf(options);
    }

    public AgentToolCall call() { return call; }

    public List<Option> options() { return options; }

    /** Answers the agent (the first answer counts). */
    public void answer(Answer a) { answer.complete(a); }

    java.util.concurrent.CompletableFuture<Answer> answered() { return answer; }

    /**
     * The option to send for {@code a}: one of that kind, else the nearest the agent offers (an "always" answer as
     * "once", and back); empty when it offers none of that direction (the answer is then sent as cancelled).
     */
    Optional<Option> option(Answer a) {
        List<String> wanted = switch (a) {
            case ALLOW_ONCE -> List.of("allow_once", "allow_always");
            case ALLOW_ALWAYS -> List.of("allow_always", "allow_once");
            case REJECT_ONCE -> List.of("reject_once", "reject_always");
            case REJECT_ALWAYS -> List.of("reject_always", "reject_once");
            case CANCELLED -> List.of();
        };
        for (String kind : wanted) {
            for (Option o : options) if (o.kind().equals(kind)) return Optional.of(o);
        }
        return Optional.empty();
    }
}
