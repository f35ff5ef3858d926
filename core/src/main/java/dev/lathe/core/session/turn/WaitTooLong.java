package dev.lathe.core.session.turn;

import dev.lathe.llm.LlmError;
import dev.lathe.llm.RetryPolicy;
import dev.lathe.protocol.session.MessageError;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * A provider that asked to be left alone for longer than the retry budget allows ({@code retry-after} beyond what is
 * left of {@code retry.maxTotalWaitSeconds}): the turn neither waits in silence nor retries early, it ends saying
 * who, and when to try again — {@code rate limited by openai, retry after 1 h 5 min (at 2026-11-24T17:30:00Z)}
 * (issue 25). Pure: tested alone ({@code WaitTooLongTest}).
 */
final class WaitTooLong {
    private WaitTooLong() {}

    /** {@code ended}, reworded when the failure's wait hint is what stopped the retries. */
    static MessageError explained(MessageError ended, FailedStep failed, RetryPolicy policy, String provider, Instant now) {
        Optional<Duration> hint = policy.hintBeyondLimit(failed.error(), failed.waited());
        if (hint.isEmpty()) return ended;
        String who = failed.error() instanceof LlmError.RateLimited ? "rate limited by " + provider : provider + " is overloaded";
        Instant at = now.plus(hint.get()).truncatedTo(ChronoUnit.SECONDS);
        return new MessageError(ended.kind(), who + ", retry after " + words(hint.get()) + " (at " + at + "): longer than the "
                + policy.maxTotalWait().toSeconds() + " s retry.maxTotalWaitSeconds allows; " + failed.error().message());
    }

    /** {@code 45 s}, {@code 12 min}, {@code 3 h 5 min}. */
    static String words(Duration d) {
        long s = (d.toMillis() + 999) / 1000;
        if (s < 120) return s + " s";
        long min = (s + 59) / 60;
        if (min < 120) return min + " min";
        return min / 60 + " h" + (min % 60 == 0 ? "" : " " + min % 60 + " min");
    }
}
