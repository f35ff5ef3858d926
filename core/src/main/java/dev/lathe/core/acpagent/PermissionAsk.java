package dev.lathe.core.acpagent;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The agent's {@code session/request_permission}: the call it wants to run and the options it offers, each with ACP's
 * kind ({@code allow_once | allow_always | reject_once | reject_always}). Answered with {@link #answer} once; the
 * agent waits until then.
 *
 * <p>Lathe never picks an {@code allow_always} option: in Claude Code's adapter it switches the whole agent session's
 * mode ({@code acceptEdits}, or out of plan mode into one that asks nothing), after which the agent stops asking and
 * Lathe's rules are never consulted again. A user's "always" is remembered by Lathe instead, which then answers the
 * next such ask "once" by itself.
 */
public final class PermissionAsk {
    /** One option the agent offers. */
    public record Option(String id, String name, String kind) {}

    /** How Lathe answered: allowed (this call), rejected (this call), or the turn was cancelled. */
    public enum Answer { ALLOW_ONCE, REJECT_ONCE, CANCELLED }

    private final AgentToolCall call;
    private final List<Option> options;
    private final CompletableFuture<Answer> answer = new CompletableFuture<>();

    PermissionAsk(AgentToolCall call, List<Option> options) {
        this.call = call;
        this.options = List.copyOf(options);
    }

    public AgentToolCall call() { return call; }

    public List<Option> options() { return options; }

    /** Answers the agent (the first answer counts). */
    public void answer(Answer a) { answer.complete(a); }

    CompletableFuture<Answer> answered() { return answer; }

    /**
     * The option to send for {@code a}: an allow is only ever an {@code allow_once} option (never {@code allow_always},
     * see above), a reject a {@code reject_once}, else a {@code reject_always}; empty when the agent offers none (the
     * answer is then sent as cancelled).
     */
    Optional<Option> option(Answer a) {
        List<String> wanted = switch (a) {
            case ALLOW_ONCE -> List.of("allow_once");
            case REJECT_ONCE -> List.of("reject_once", "reject_always");
            case CANCELLED -> List.of();
        };
        for (String kind : wanted) {
            for (Option o : options) if (o.kind().equals(kind)) return Optional.of(o);
        }
        return Optional.empty();
    }
}
