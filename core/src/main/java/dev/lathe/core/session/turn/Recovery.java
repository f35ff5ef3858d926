package dev.lathe.core.session.turn;

import dev.lathe.protocol.session.MessageError;
import java.time.Duration;

/**
 * What a step the provider failed leads to ({@link FailedStep#next}): send it again after a wait, compact the history
 * and send it again, move the turn to a fallback model, or end the turn with the error.
 */
sealed interface Recovery {
    /** Wait {@code delay}, then send the step again as attempt {@code attempt}. */
    record Retry(Duration delay, int attempt) implements Recovery {}

    /** The window was full: summarise (or, after one compaction, keep less) and send the step again. */
    record Compact(Compactor.Cause cause) implements Recovery {}

    /** Move to the next fallback model that resolves and send the step again. */
    record FailOver() implements Recovery {}

    /** End the turn with {@code error} on its message. */
    record End(MessageError error) implements Recovery {}
}
