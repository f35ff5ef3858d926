package dev.lathe.server.daemon;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Hands a server's heap back once its work goes quiet. The server runs the serial collector, whose old generation
 * grows with what young collections promote while turns run (a request body in flight, the views a step replaced) and
 * is only shrunk by a full collection, which a server that never runs short of heap may not do for hours: measured,
 * three 300-step sessions in a row took the server from 153 to 210 MiB with a live set of ~20 MB (decision 117). So
 * after work, once no session has run for {@link #QUIET}, one full collection runs if the old generation holds
 * {@link #SLACK} more than it did after the last one; it shrinks the heap to the live set plus the
 * free ratio the launcher sets. An idle server collects no more. A server that is never quiet (sessions back to back,
 * many at once) collects when the old generation holds {@link #BUSY_SLACK} more than that: a pause of tens of
 * milliseconds (up to ~200 on a loaded 2-core machine) in one step every hundred steps or so, for an old generation
 * that stays within the live set plus that slack, and a young generation sized from it (the soak: 48 MB let the
 * server settle at ~219 MiB, 24 MB at ~178 MiB).
 *
 * <p>Contract: {@code busy} runs on the trim's own platform daemon thread, must be cheap and must not throw (a throw
 * counts as busy). {@link #close} stops it; idempotent.
 */
public final class HeapTrim implements AutoCloseable {
    static final Duration QUIET = Duration.ofSeconds(2);
    static final Duration INTERVAL = Duration.ofMillis(500);
    static final long SLACK = 16L << 20;
    static final long BUSY_SLACK = 24L << 20;

    private final BooleanSupplier busy;
    private final LongSupplier heapUsed;
    private final Runnable collect;
    private final LongSupplier clock;
    private final ScheduledExecutorService timer;
    private long quietSince;
    private boolean workedSinceTrim;
    private long liveAfterTrim;
    private int trims;

    HeapTrim(BooleanSupplier busy, LongSupplier heapUsed, Runnable collect, LongSupplier clock, ScheduledExecutorService timer) {
        this.busy = busy;
        this.heapUsed = heapUsed;
        this.collect = collect;
        this.clock = clock;
        this.timer = timer;
        this.quietSince = clock.getAsLong();
        this.liveAfterTrim = heapUsed.getAsLong();
    }

    /** Starts watching {@code busy} (a turn running anywhere in the server). */
    public static HeapTrim start(BooleanSupplier busy) {
        var timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("lathe-heap-trim").factory());
        var trim = new HeapTrim(busy, oldGenerationUsed(), System::gc, System::currentTimeMillis, timer);
        timer.scheduleWithFixedDelay(trim::check, INTERVAL.toMillis(), INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        return trim;
    }

    /**
     * What the old generation holds (the serial collector's "Tenured Gen", G1's "G1 Old Gen"): what a full collection is
     * for. The young generation's garbage is not counted, or a check late in an eden cycle would collect for nothing;
     * the whole heap where no pool says which is old.
     */
    static LongSupplier oldGenerationUsed() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            String name = pool.getName();
            if (pool.getType() == MemoryType.HEAP && (name.contains("Tenured") || name.contains("Old"))) return () -> pool.getUsage().getUsed();
        }
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        return () -> memory.getHeapMemoryUsage().getUsed();
    }

    /** One check; true when it collected. */
    synchronized boolean check() {
        long now = clock.getAsLong();
        boolean working;
        try {
            working = busy.getAsBoolean();
        } catch (RuntimeException e) {
            working = true;
        }
        if (working) {
            workedSinceTrim = true;
            quietSince = now;
            // past the larger of the slack and the live set itself: a live set that grows (a stalled client's queue
            // of events) makes these collections rarer as it grows, never one per check
            if (heapUsed.getAsLong() - liveAfterTrim < Math.max(BUSY_SLACK, liveAfterTrim)) return false;
        } else {
            if (!workedSinceTrim || now - quietSince < QUIET.toMillis()) return false;
            workedSinceTrim = false;
            if (heapUsed.getAsLong() - liveAfterTrim < SLACK) return false;
        }
        collect.run();
        liveAfterTrim = heapUsed.getAsLong();
        trims++;
        return true;
    }

    /** How many full collections it ran. */
    synchronized int trims() { return trims; }

    @Override
    public void close() { timer.shutdownNow(); }
}
