package dev.lathe.core.session.turn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.llm.LlmError;
import dev.lathe.llm.RetryPolicy;
import dev.lathe.protocol.session.MessageError;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a failed step leads to, decided without I/O (DESIGN §7 retries and failover, §12 compaction). */
class FailedStepTest {
    private static final RetryPolicy POLICY = new RetryPolicy(3, Duration.ofSeconds(10), Duration.ofSeconds(90));
    private static final LlmError OVERLOADED = new LlmError.Overloaded(Optional.empty(), "busy");
    private static final LlmError FULL = new LlmError.ContextOverflow("too long");

    private static Recovery next(LlmError error, int attempt, Duration waited, int compactions, boolean fallbacksLeft) {
        // jitter at its middle: 0.8 + 0.4 × 0.5 = exactly the base wait
        return new FailedStep(error, attempt, waited, compactions, fallbacksLeft).next(POLICY, () -> 0.5);
    }

    @Test
    void aRetryableErrorWaitsAsThePolicySaysAndCountsTheNextAttempt() {
        assertThat(next(OVERLOADED, 1, Duration.ZERO, 0, false)).isEqualTo(new Recovery.Retry(Duration.ofSeconds(1), 2));
        assertThat(next(OVERLOADED, 2, Duration.ofSeconds(1), 0, false)).isEqualTo(new Recovery.Retry(Duration.ofSeconds(2), 3));
        assertThat(next(new LlmError.RateLimited(Optional.of(Duration.ofSeconds(7)), "slow down"), 1, Duration.ZERO, 0, false))
                .as("the provider's retry-after").isEqualTo(new Recovery.Retry(Duration.ofSeconds(7), 2));
    }

    @Test
    void whenAttemptsOrTheWaitAreUsedUpAFallbackTakesOverOrTheTurnEndsWithTheError() {
        assertThat(next(OVERLOADED, 3, Duration.ofSeconds(3), 0, true)).isEqualTo(new Recovery.FailOver());
        assertThat(next(OVERLOADED, 1, Duration.ofMillis(9500), 0, true)).as("the next wait would pass the total")
                .isEqualTo(new Recovery.FailOver());
        assertThat(next(OVERLOADED, 3, Duration.ofSeconds(3), 0, false)).isEqualTo(new Recovery.End(new MessageError("overloaded", "busy (after 3 attempts)")));
    }

    @Test
    void anUnreachableProviderIsNotWaitedForWhenAnotherModelCanTakeOver() {
        var unreachable = new LlmError.Unreachable("no route");
        assertThat(next(unreachable, 1, Duration.ZERO, 0, true)).isEqualTo(new Recovery.FailOver());
        assertThat(next(unreachable, 1, Duration.ZERO, 0, false)).as("quickly").isEqualTo(new Recovery.Retry(Duration.ofMillis(250), 2));
        assertThat(next(unreachable, 2, Duration.ofMillis(250), 0, false)).isEqualTo(new Recovery.Retry(Duration.ofMillis(500), 3));
        assertThat(next(unreachable, 3, Duration.ofMillis(750), 0, false)).as("three attempts, then the error")
                .isEqualTo(new Recovery.End(new MessageError("unreachable", "no route (after 3 attempts)")));
    }

    @Test
    void aLocalServerThatRefusedTheConnectionIsNotRetried() {
        var refused = new LlmError.Unreachable("connection refused", Optional.of(java.net.URI.create("http://127.0.0.1:11434/v1/chat/completions")));
        assertThat(next(refused, 1, Duration.ZERO, 0, false)).isEqualTo(new Recovery.End(new MessageError("unreachable", "connection refused")));
        assertThat(next(refused, 1, Duration.ZERO, 0, true)).as("a fallback still takes over").isEqualTo(new Recovery.FailOver());
    }

    /** Local-only mode's refusal is the same at every attempt: the turn ends with it at once, saying nothing of attempts. */
    @Test
    void aConnectionTheNetworkPolicyRefusedIsNotRetried() {
        var blocked = LlmError.Unreachable.blockedBy("local-only mode (\"network\": \"local\"): ...; nothing was sent");
        assertThat(next(blocked, 1, Duration.ZERO, 0, false)).isEqualTo(new Recovery.End(new MessageError("unreachable", blocked.message())));
        assertThat(next(blocked, 1, Duration.ZERO, 0, true)).as("a fallback (a local model) may still take over").isEqualTo(new Recovery.FailOver());
    }

    @Test
    void anOverflowIsSummarisedOnceThenEndsTheTurnSayingWhatToDo() {
        assertThat(next(FULL, 1, Duration.ZERO, 0, true)).isEqualTo(new Recovery.Compact(Compactor.Cause.OVERFLOW));
        assertThat(next(FULL, 1, Duration.ZERO, 1, true)).as("not compacted twice in a turn; not retryable: no failover either")
                .isEqualTo(new Recovery.End(new MessageError("context_overflow", FailedStep.TOO_LARGE + " (too long)")));
        assertThat(FailedStep.TOO_LARGE).contains("larger context window").contains("/compact").contains("fewer");
    }

    @Test
    void aCompactionThatSummarisedNothingLeadsToTheFailoverOrTheEnd() {
        assertThat(new FailedStep(FULL, 1, Duration.ZERO, 0, true).withoutCompaction())
                .isEqualTo(new Recovery.End(new MessageError("context_overflow", FailedStep.TOO_LARGE + " (too long)")));
        var stalled = new FailedStep(new LlmError.Stalled("no bytes"), 3, Duration.ZERO, 0, true);
        assertThat(stalled.withoutCompaction()).isEqualTo(new Recovery.FailOver());
        assertThat(stalled.end()).as("when no fallback resolves").isEqualTo(new Recovery.End(new MessageError("stalled", "no bytes (after 3 attempts)")));
    }

    @Test
    void aRefusedRequestIsNeitherRetriedNorFailedOver() {
        assertThat(next(new LlmError.Unauthorized("bad key"), 1, Duration.ZERO, 0, true)).isEqualTo(new Recovery.End(new MessageError("unauthorized", "bad key")));
        assertThat(next(new LlmError.InvalidRequest(400, "no"), 1, Duration.ZERO, 0, true)).isEqualTo(new Recovery.End(new MessageError("invalid_request", "no")));
    }

    @Test
    void anUntrustedCertificateEndsTheTurnAtOnce() {
        var untrusted = new LlmError.Untrusted("the TLS certificate of h:443 is not trusted");
        assertThat(next(untrusted, 1, Duration.ZERO, 0, true)).as("neither retried nor failed over")
                .isEqualTo(new Recovery.End(new MessageError("untrusted_certificate", "the TLS certificate of h:443 is not trusted")));
    }

    /** The loop's switch must handle every recovery: a new kind fails to compile there, and here. */
    @Test
    void everyRecoveryIsNamed() {
        Recovery r = next(OVERLOADED, 1, Duration.ZERO, 0, false);
        String name = switch (r) {
            case Recovery.Retry _ -> "retry";
            case Recovery.Compact _ -> "compact";
            case Recovery.FailOver _ -> "fail over";
            case Recovery.End _ -> "end";
        };
        assertThat(name).isEqualTo("retry");
    }
}
