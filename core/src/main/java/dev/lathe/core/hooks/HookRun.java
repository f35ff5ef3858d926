package dev.lathe.core.hooks;

import java.util.Optional;

/**
 * One handler's run, for the turn's record and the audit log: the hook, how long it took, its exit code (an HTTP
 * hook's status code), and what came of it.
 */
public record HookRun(Hook hook, long durationMillis, Optional<Integer> exitCode, Result result, Optional<String> systemMessage) {
    /** A run whose output said nothing for the user ({@code systemMessage}). */
    public HookRun(Hook hook, long durationMillis, Optional<Integer> exitCode, Result result) {
        this(hook, durationMillis, exitCode, result, Optional.empty());
    }

    /** What a run decided or why it decided nothing. */
    public sealed interface Result {
        /** Ran and did not object; {@code decision} names what it asked for ({@code allow}, {@code ask}, context, ...) or is empty. */
        record Succeeded(String decision) implements Result {}

        /** Blocked the event (exit 2, {@code decision: block}, {@code permissionDecision: deny}); {@code reason} as the model or user reads it. */
        record Blocked(String reason) implements Result {}

        /** Asked to stop the agent ({@code continue: false}). */
        record Stopped(String reason) implements Result {}

        /** Failed without blocking (another exit code, bad JSON, a refused request): reported, the event goes on. */
        record Failed(String message) implements Result {}

        /** Ran past its timeout and was killed; it decided nothing. */
        record TimedOut(long afterMillis) implements Result {}
    }

    /** One line for the user: {@code PreToolUse hook "./guard.sh" (.claude/settings.json) ...}. */
    public String describe() {
        String what = switch (result) {
            case Result.Succeeded s -> s.decision().isEmpty() ? "ok" : s.decision();
            case Result.Blocked b -> "blocked: " + b.reason();
            case Result.Stopped s -> "stopped the agent: " + s.reason();
            case Result.Failed f -> "failed: " + f.message();
            case Result.TimedOut t -> "timed out after " + t.afterMillis() / 1000 + " s";
        };
        return hook.event().wire() + " hook \"" + hook.handler().shown() + "\" (" + hook.source().file() + ") "
                + exitCode.map(c -> "exit " + c + ", ").orElse("") + durationMillis + " ms: " + what;
    }
}
