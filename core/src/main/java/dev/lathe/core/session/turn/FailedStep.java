package dev.lathe.core.session.turn;

import dev.lathe.llm.LlmError;
import dev.lathe.llm.RetryPolicy;
import dev.lathe.protocol.session.MessageError;
import java.time.Duration;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * A step the provider failed, with what the turn has been through so far, and the pure decision of what follows
 * (DESIGN §7 retries and failover, §12 compaction): no I/O, so every path is tested alone ({@code FailedStepTest}).
 *
 * @param error         what the provider said
 * @param attempt       the attempt that failed (1 for a step's first try)
 * @param waited        the time already spent waiting for retries of this step
 * @param compactions   compactions this turn made so far
 * @param fallbacksLeft whether fallback models remain to fail over to
 */
record FailedStep(LlmError error, int attempt, Duration waited, int compactions, boolean fallbacksLeft) {
    /**
     * At most one compaction per turn: a window still full after it ends the turn with the error and what to do about it
     * ({@link #end}), instead of compacting again and again (issue 25).
     */
    static final int MAX_COMPACTIONS = 1;
    /** What a user can do about a conversation that does not fit even after a compaction. */
    static final String TOO_LARGE = "The context is too large for this model even after compacting it. Use a model with a larger context window, "
            + "run /compact, start a new session, or work with fewer or smaller files.";

    /**
     * What the failure leads to first: a retry when the policy allows one (an unreachable provider is not waited for when
     * another model can take over, nor a local server that refused the connection, nor a connection local-only mode
     * refused), else a compaction when the window overflowed and compactions remain, else what
     * {@link #withoutCompaction} says.
     */
    Recovery next(RetryPolicy policy, DoubleSupplier random) {
        // a local server that refused the connection is not running: no retry brings it up (issue 24); nor does one lift
        // local-only mode's refusal (decision 120)
        boolean failNow = error instanceof LlmError.Unreachable u && (fallbacksLeft || !u.worthRetrying());
        Optional<Duration> wait = failNow ? Optional.empty() : policy.delay(attempt + 1, error, waited, random);
        if (wait.isPresent()) return new Recovery.Retry(wait.get(), attempt + 1);
        if (error instanceof LlmError.ContextOverflow && compactions < MAX_COMPACTIONS) {
            return new Recovery.Compact(Compactor.Cause.OVERFLOW);
        }
        return withoutCompaction();
    }

    /** What follows when no retry is left and a compaction is not possible or summarised nothing. */
    Recovery withoutCompaction() {
        if (RetryPolicy.isRetryable(error) && fallbacksLeft) return new Recovery.FailOver();
        return end();
    }

    /**
     * The end of the turn with the provider's error: also what follows a failover that found no usable model. An
     * overflow says what to do about it ({@link #TOO_LARGE}); after retries the message says how many attempts were
     * made, so a user sees the error was not a first try's.
     */
    Recovery.End end() {
        String tries = attempt > 1 ? " (after " + attempt + " attempts)" : "";
        String message = error instanceof LlmError.ContextOverflow ? TOO_LARGE + " (" + error.message() + ")" : error.message();
        return new Recovery.End(new MessageError(LlmError.kind(error), message + tries));
    }
}
