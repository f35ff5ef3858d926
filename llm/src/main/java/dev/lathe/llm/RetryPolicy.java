package dev.lathe.llm;

import java.time.Duration;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * When to try a failed model call again (DESIGN §7). {@code maxAttempts} counts every attempt, the first included;
 * waits honour the provider's {@code retry-after}, else grow exponentially (1 s, 2 s, 4 s ... capped at 30 s) with
 * ±20 % jitter, and all waits of one call together stay within {@code maxTotalWait}. Requests the provider refused
 * for what they are (bad request, auth, quota, context overflow) are never retried.
 */
public record RetryPolicy(int maxAttempts, Duration maxTotalWait, Duration streamIdleTimeout) {
    static final Duration BASE = Duration.ofSeconds(1);
    static final Duration CAP = Duration.ofSeconds(30);

    public static final RetryPolicy DEFAULT = new RetryPolicy(6, Duration.ofSeconds(120), Duration.ofSeconds(90));

    public static boolean isRetryable(LlmError error) {
        return switch (error) {
            case LlmError.RateLimited _, LlmError.Overloaded _, LlmError.Transport _, LlmError.Unreachable _, LlmError.Stalled _ -> true;
            case LlmError.ContextOverflow _, LlmError.Unauthorized _, LlmError.InvalidRequest _ -> false;
        };
    }

    /**
     * The wait before attempt {@code nextAttempt} (2 for the first retry), or empty when the call must not be
     * retried: not retryable, attempts used up, or the wait would exceed what is left of {@code maxTotalWait}.
     */
    public Optional<Duration> delay(int nextAttempt, LlmError error, Duration waitedSoFar, DoubleSupplier random) {
        if (!isRetryable(error) || nextAttempt > maxAttempts) return Optional.empty();
        Duration wait = hinted(error).orElseGet(() -> {
            long base = Math.min(CAP.toMillis(), BASE.toMillis() << Math.min(20, nextAttempt - 2));
            double jitter = 0.8 + 0.4 * random.getAsDouble();
            return Duration.ofMillis((long) (base * jitter));
        });
        if (waitedSoFar.plus(wait).compareTo(maxTotalWait) > 0) return Optional.empty();
        return Optional.of(wait);
    }

    private static Optional<Duration> hinted(LlmError error) {
        return switch (error) {
            case LlmError.RateLimited r -> r.retryAfter();
            case LlmError.Overloaded o -> o.retryAfter();
            case LlmError.ContextOverflow _, LlmError.Unauthorized _, LlmError.InvalidRequest _, LlmError.Transport _, LlmError.Unreachable _, LlmError.Stalled _ ->
                    Optional.empty();
        };
    }
}
