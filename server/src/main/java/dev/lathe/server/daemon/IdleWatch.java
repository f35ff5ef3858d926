package dev.lathe.server.daemon;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Ends an idle daemon (DESIGN §3): once {@code inUse} has answered false at every check for {@code limit} in a row,
 * {@code onIdle} runs, once. Checks run every tenth of the limit, between 100 ms and 10 s, so a 30-minute daemon
 * looks every 10 s and a 2-second one every 200 ms; the exit comes at most one interval after the limit.
 *
 * <p>Contract: {@code inUse} and {@code onIdle} run on the watch's own platform daemon thread; {@code inUse} must be
 * cheap and must not throw (a throw counts as "in use"). {@link #close} stops checking; idempotent.
 */
public final class IdleWatch implements AutoCloseable {
    static final Duration MIN_INTERVAL = Duration.ofMillis(100);
    static final Duration MAX_INTERVAL = Duration.ofSeconds(10);

    private final long limitMillis;
    private final BooleanSupplier inUse;
    private final Runnable onIdle;
    private final LongSupplier clock;
    private final ScheduledExecutorService timer;
    private long idleSince;
    private boolean fired;

    IdleWatch(Duration limit, BooleanSupplier inUse, Runnable onIdle, LongSupplier clock, ScheduledExecutorService timer) {
        if (limit.isNegative() || limit.isZero()) throw new IllegalArgumentException("idle limit must be positive: " + limit);
        this.limitMillis = limit.toMillis();
        this.inUse = inUse;
        this.onIdle = onIdle;
        this.clock = clock;
        this.timer = timer;
        this.idleSince = clock.getAsLong();
    }

    /** Starts watching now: the daemon counts as just used. */
    public static IdleWatch start(Duration limit, BooleanSupplier inUse, Runnable onIdle) {
        var timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("lathe-idle-watch").factory());
        var watch = new IdleWatch(limit, inUse, onIdle, System::currentTimeMillis, timer);
        long every = checkInterval(limit).toMillis();
        timer.scheduleWithFixedDelay(watch::check, every, every, TimeUnit.MILLISECONDS);
        return watch;
    }

    static Duration checkInterval(Duration limit) {
        Duration tenth = limit.dividedBy(10);
        if (tenth.compareTo(MIN_INTERVAL) < 0) return MIN_INTERVAL;
        return tenth.compareTo(MAX_INTERVAL) > 0 ? MAX_INTERVAL : tenth;
    }

    /** One check; true when this one fired {@code onIdle}. */
    synchronized boolean check() {
        if (fired) return false;
        long now = clock.getAsLong();
        boolean used;
        try {
            used = inUse.getAsBoolean();
        } catch (RuntimeException e) {
            used = true;
        }
        if (used) {
            idleSince = now;
            return false;
        }
        if (now - idleSince < limitMillis) return false;
        fired = true;
        onIdle.run();
        return true;
    }

    @Override
    public void close() { timer.shutdownNow(); }
}
