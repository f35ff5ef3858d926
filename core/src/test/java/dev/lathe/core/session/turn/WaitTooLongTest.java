package dev.lathe.core.session.turn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.llm.LlmError;
import dev.lathe.llm.RetryPolicy;
import dev.lathe.protocol.session.MessageError;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A wait hint beyond the retry budget ends the turn saying who, and when to come back. */
class WaitTooLongTest {
    private static final RetryPolicy POLICY = new RetryPolicy(6, Duration.ofSeconds(120), Duration.ofSeconds(90));
    private static final Instant NOW = Instant.parse("2026-11-24T16:00:00Z");

    @Test
    void aRateLimitForAnHourEndsWithWhenToRetry() {
        var limited = new LlmError.RateLimited(Optional.of(Duration.ofMinutes(65)), "acme at api.acme.test:443: HTTP 429: slow down");
        var failed = new FailedStep(limited, 1, Duration.ZERO, 0, false);
        assertThat(failed.next(POLICY, () -> 0.5)).as("not waited on").isInstanceOf(Recovery.End.class);
        MessageError why = WaitTooLong.explained(failed.end().error(), failed, POLICY, "acme", NOW);
        assertThat(why).isEqualTo(new MessageError("rate_limited", "rate limited by acme, retry after 65 min (at 2026-11-24T17:05:00Z): longer than "
                + "the 120 s retry.maxTotalWaitSeconds allows; acme at api.acme.test:443: HTTP 429: slow down"));
    }

    @Test
    void whatWasAlreadyWaitedCountsAndAHintThatFitsChangesNothing() {
        var overloaded = new LlmError.Overloaded(Optional.of(Duration.ofSeconds(30)), "busy");
        var late = new FailedStep(overloaded, 4, Duration.ofSeconds(100), 0, false);
        assertThat(WaitTooLong.explained(late.end().error(), late, POLICY, "acme", NOW).message())
                .startsWith("acme is overloaded, retry after 30 s (at 2026-11-24T16:00:30Z)");
        var early = new FailedStep(overloaded, 7, Duration.ZERO, 0, false);
        assertThat(WaitTooLong.explained(early.end().error(), early, POLICY, "acme", NOW)).as("attempts ran out, the hint fitted")
                .isEqualTo(early.end().error());
    }

    @Test
    void durationsInWords() {
        assertThat(WaitTooLong.words(Duration.ofMillis(1500))).isEqualTo("2 s");
        assertThat(WaitTooLong.words(Duration.ofSeconds(600))).isEqualTo("10 min");
        assertThat(WaitTooLong.words(Duration.ofHours(3))).isEqualTo("3 h");
        assertThat(WaitTooLong.words(Duration.ofMinutes(185))).isEqualTo("3 h 5 min");
    }
}
