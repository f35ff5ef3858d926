package dev.lathe.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    private final RetryPolicy policy = new RetryPolicy(4, Duration.ofSeconds(10), Duration.ofSeconds(90));

    @Test
    void backsOffExponentiallyWithJitterWithinTheBudget() {
        var overloaded = new LlmError.Overloaded(Optional.empty(), "busy");
        assertThat(policy.delay(2, overloaded, Duration.ZERO, () -> 0.5)).contains(Duration.ofSeconds(1));
        assertThat(policy.delay(3, overloaded, Duration.ZERO, () -> 0.5)).contains(Duration.ofSeconds(2));
        assertThat(policy.delay(4, overloaded, Duration.ZERO, () -> 0.0)).contains(Duration.ofMillis(3200));
        assertThat(policy.delay(4, overloaded, Duration.ZERO, () -> 1.0)).contains(Duration.ofMillis(4800));
        assertThat(policy.delay(5, overloaded, Duration.ZERO, () -> 0.5)).as("attempts used up").isEmpty();
        assertThat(policy.delay(3, overloaded, Duration.ofSeconds(9), () -> 0.5)).as("over the total budget").isEmpty();
    }

    @Test
    void honoursRetryAfter() {
        var limited = new LlmError.RateLimited(Optional.of(Duration.ofMillis(2500)), "slow down");
        assertThat(policy.delay(2, limited, Duration.ZERO, () -> 0.5)).contains(Duration.ofMillis(2500));
        var tooLong = new LlmError.RateLimited(Optional.of(Duration.ofSeconds(60)), "come back later");
        assertThat(policy.delay(2, tooLong, Duration.ZERO, () -> 0.5)).isEmpty();
    }

    @Test
    void neverRetriesWhatTheProviderRefused() {
        assertThat(policy.delay(2, new LlmError.InvalidRequest(400, "bad"), Duration.ZERO, () -> 0.5)).isEmpty();
        assertThat(policy.delay(2, new LlmError.Unauthorized("key"), Duration.ZERO, () -> 0.5)).isEmpty();
        assertThat(policy.delay(2, new LlmError.ContextOverflow("too long"), Duration.ZERO, () -> 0.5)).isEmpty();
        assertThat(policy.delay(2, new LlmError.Transport("reset"), Duration.ZERO, () -> 0.5)).isPresent();
        assertThat(policy.delay(2, new LlmError.Stalled("idle"), Duration.ZERO, () -> 0.5)).isPresent();
        assertThat(policy.delay(2, new LlmError.Untrusted("self-signed"), Duration.ZERO, () -> 0.5)).as("the same certificate comes back").isEmpty();
    }

    @Test
    void anUnreachableProviderGetsAFewQuickAttemptsNotTheLongBackoff() {
        var refused = new LlmError.Unreachable("connection refused");
        var generous = new RetryPolicy(10, Duration.ofSeconds(120), Duration.ofSeconds(90));
        assertThat(generous.delay(2, refused, Duration.ZERO, () -> 0.5)).contains(Duration.ofMillis(250));
        assertThat(generous.delay(3, refused, Duration.ofMillis(250), () -> 0.5)).contains(Duration.ofMillis(500));
        assertThat(generous.delay(4, refused, Duration.ofMillis(750), () -> 0.5)).as("three attempts in all").isEmpty();
        assertThat(new RetryPolicy(2, Duration.ofSeconds(120), Duration.ofSeconds(90)).delay(3, refused, Duration.ofMillis(250), () -> 0.5))
                .as("still within retry.maxAttempts").isEmpty();
        assertThat(new RetryPolicy(10, Duration.ofMillis(600), Duration.ofSeconds(90)).delay(3, refused, Duration.ofMillis(250), () -> 0.5))
                .as("and within retry.maxTotalWaitSeconds").isEmpty();
    }

    @Test
    void aWaitHintBeyondWhatIsLeftOfTheBudgetIsReportedNotWaitedOn() {
        var inAnHour = new LlmError.RateLimited(Optional.of(Duration.ofHours(1)), "come back later");
        assertThat(policy.hintBeyondLimit(inAnHour, Duration.ZERO)).contains(Duration.ofHours(1));
        var inFive = new LlmError.Overloaded(Optional.of(Duration.ofSeconds(5)), "busy");
        assertThat(policy.hintBeyondLimit(inFive, Duration.ZERO)).as("fits").isEmpty();
        assertThat(policy.hintBeyondLimit(inFive, Duration.ofSeconds(6))).as("not with what was waited already").contains(Duration.ofSeconds(5));
        assertThat(policy.hintBeyondLimit(new LlmError.Overloaded(Optional.empty(), "busy"), Duration.ofSeconds(60))).as("no hint").isEmpty();
    }
}
