package dev.lathe.core.session.turn;

import dev.lathe.llm.Cancellation;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Ends a model stream that has made no progress for the idle timeout: it cancels the stream's own cancellation and
 * remembers that it did, so the step reports {@code Stalled} (retryable) rather than an abort.
 */
final class StallWatchdog implements AutoCloseable {
    private final Thread thread;
    private volatile boolean fired;
    private volatile boolean closed;

    private StallWatchdog(LongSupplier lastProgressNanos, Duration timeout, Cancellation streamCancel) {
        long timeoutNanos = timeout.toNanos();
        long tickNanos = Duration.ofMillis(Math.max(10, Math.min(1000, timeout.toMillis() / 10))).toNanos();
        // parked rather than asleep: close() unparks it, where an interrupt would make an exception (with its stack) at
        // every step's end
        this.thread = Thread.ofVirtual().name("lathe-stall-watchdog").start(() -> {
            while (!closed) {
                if (System.nanoTime() - lastProgressNanos.getAsLong() > timeoutNanos) {
                    fired = true;
                    streamCancel.cancel();
                    return;
                }
                LockSupport.parkNanos(tickNanos);
            }
        });
    }

    static StallWatchdog start(LongSupplier lastProgressNanos, Duration timeout, Cancellation streamCancel) {
        return new StallWatchdog(lastProgressNanos, timeout, streamCancel);
    }

    boolean fired() { return fired; }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
    }
}
