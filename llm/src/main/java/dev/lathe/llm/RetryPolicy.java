package dev.lathe.llm;

import java.time.Duration;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * When to try a failed model call again (DESIGN §7). {@code maxAttempts} counts every attempt, the first included;
 * waits honour the provider's {@code retry-after}, else grow exponentially (1 s, 2 s, 4 s ... capped at 30 s) with
 * ±20 % jitter, and all waits of one call together stay within {@code maxTotalWait}. Requests the provider refused
 * for what they are (bad request, auth, quota, context overflow, an untrusted certificate) are never retried.
 *
 * <p>A provider that cannot be reached at all (connection refused, host not found) gets {@link #QUICK_ATTEMPTS} quick
 * attempts, 0.25 s then 0.5 s apart: a blip of the network or a server restarting is over by then, and a wrong URL or
 * a server that is down is reported within a second instead of after half a minute of backoff (issue 25).
 */
public record RetryPolicy(int maxAttempts, Duration maxTotalWait, Duration streamIdleTimeout) {
    static final Duration BASE = Duration.ofSeconds(1);
    static final Duration CAP = Duration.ofSeconds(30);
    /** Attempts, the first included, at a provider that could not be reached at all. */
    public static final int QUICK_ATTEMPTS = 3;
    static final Duration QUICK_BASE = Duration.ofMillis(250);

    public static final RetryPolicy DEFAULT = new RetryPolicy(6, Duration.ofSeconds(120), Duration.ofSeconds(90));

    public static boolean isRetryable(LlmError error) {
        return switch (error) {
            case LlmError.RateLimited _, LlmError.Overloaded _, LlmError.Transport _, LlmError.Unreachable _, LlmError.Stalled _ -> true;
            case LlmError.ContextOverflow _, LlmError.Unauthorized _, LlmError.InvalidRequest _, LlmError.Untrusted _ -> false;
        };
    }

    /**
     * The wait before attempt {@code nextAttempt} (2 for the first retry), or empty when the call must not be
     * retried: not retryable, attempts used up, or the wait would exceed what is left of {@code maxTotalWait}.
     */
    public Optional<Duration> delay(int nextAttempt, LlmError error, Duration waitedSoFar, DoubleSupplier random) {
        if (!isRetryable(error) || nextAttempt > maxAttempts) return Optional.empty();
        boolean quick = error instanceof LlmError.Unreachable;
        if (quick && nextAttempt > QUICK_ATTEMPTS) return Optional.empty();
        Duration base = quick ? QUICK_BASE : BASE;
        Duration wait = hinted(error).orElseGet(() -> {
            long exponential = Math.min(CAP.toMillis(), base.toMillis() << Math.min(20, nextAttempt - 2));
            double jitter = 0.8 + 0.4 * random.getAsDouble();
            return Duration.ofMillis((long) (exponential * jitter));
        });
        if (waitedSoFar.plus(wait).compareTo(maxTotalWait) > 0) return Optional.empty();
        return Optional.of(wait);
    }

    /**
     * The provider's wait hint when it asks for longer than this policy may still wait ({@code maxTotalWait} less what
     * was waited already): such a hint is neither waited on in silence nor ignored by retrying early, the call stops
     * and says when to try again. Empty when there is no hint, or it fits.
     */
    public Optional<Duration> hintBeyondLimit(LlmError error, Duration waitedSoFar) {
        return hinted(error).filter(hint -> waitedSoFar.plus(hint).compareTo(maxTotalWait) > 0);
    }

    private static Optional<Duration> hinted(LlmError error) {
        return switch (error) {
            case LlmError.RateLimited r -> r.retryAfter();
            case LlmError.Overloaded o -> o.retryAfter();
            case LlmError.ContextOverflow _, LlmError.Unauthorized _, LlmError.InvalidRequest _, LlmError.Transport _, LlmError.Unreachable _,
                    LlmError.Stalled _, LlmError.Untrusted _ -> Optional.empty();
        };
    }
}
