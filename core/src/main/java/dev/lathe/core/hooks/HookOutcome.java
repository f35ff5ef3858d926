package dev.lathe.core.hooks;

import java.util.List;
import java.util.Optional;

/**
 * What the handlers that matched one event decided together, combined as Claude Code combines them: any
 * {@code continue: false} stops the agent and wins over everything; then any block (exit 2 where the event can be
 * blocked, {@code decision: "block"}, {@code permissionDecision: "deny"}); then, for a tool call, the most restrictive
 * permission decision ({@code deny} &gt; {@code defer} &gt; {@code ask} &gt; {@code allow}). Each handler's
 * {@code additionalContext} (and, for {@code UserPromptSubmit} and {@code SessionStart}, its plain stdout) is kept in
 * order; {@code updatedInput} is the last one given, already in Lathe's argument names; {@code notices} are what the user
 * should see ({@code systemMessage}, a failing or slow hook, stderr of an exit 2 the event cannot block). {@code runs}
 * says what each handler did.
 *
 * <p>How the core acts on a {@link Verdict.Block} depends on the event ({@link HookEvent#exitTwo}): a tool call is not
 * run and the model reads the reason; after a tool ran, the reason is added beside its result; a stop is refused and
 * the agent goes on with the reason as its next instruction.
 */
public record HookOutcome(Verdict verdict, List<String> context, List<String> notices, Optional<String> updatedInput,
        Optional<String> updatedToolOutput, Retry retry, List<HookRun> runs) {
    public HookOutcome {
        context = List.copyOf(context);
        notices = List.copyOf(notices);
        runs = List.copyOf(runs);
    }

    /** Nothing matched, or nothing was decided. */
    public static final HookOutcome NONE = new HookOutcome(new Verdict.None(), List.of(), List.of(), Optional.empty(), Optional.empty(),
            Retry.NO, List.of());

    /** What the hooks decided about the event. */
    public sealed interface Verdict {
        /** No decision: the event goes on as it would without hooks. */
        record None() implements Verdict {}

        /** A tool call may run without asking the user; never over a deny rule. */
        record Allow(String reason) implements Verdict {}

        /** The user is asked, whatever the rules say (a deny rule still denies). */
        record Ask(String reason) implements Verdict {}

        /** Left to the caller (Claude Code's {@code -p} deferral); Lathe goes on as without a decision. */
        record Defer() implements Verdict {}

        /** The event is blocked; {@code reason} is what the model (or user) reads. */
        record Block(String reason) implements Verdict {}

        /** The agent stops after this event; {@code reason} is shown to the user. */
        record Stop(String reason) implements Verdict {}
    }

    /** Whether a {@code PermissionDenied} hook lets the model try the call again. */
    public enum Retry { RETRY, NO }

    /** The context the handlers added, joined by blank lines ({@code ""} for none). */
    public String joinedContext() { return String.join("\n\n", context); }
}
