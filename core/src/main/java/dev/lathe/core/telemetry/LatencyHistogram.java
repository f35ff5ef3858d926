package dev.lathe.core.telemetry;

import java.util.List;

/**
 * A Prometheus histogram of durations in seconds, cumulative as the text format wants it. The buckets span a model
 * step (a second or less) to a long agent turn (half an hour); past the last one only {@code +Inf} counts. Not
 * thread-safe: {@link NodeMetrics} guards it.
 */
final class LatencyHistogram {
    /** Upper bounds in seconds, ascending. */
    static final List<Double> BOUNDS = List.of(0.1, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0);

    private final long[] counts = new long[BOUNDS.size()];
    private long count;
    private double sum;

    void observe(double seconds) {
        double s = Math.max(0, seconds);
        for (int i = 0; i < counts.length; i++) if (s <= BOUNDS.get(i)) counts[i]++;
        count++;
        sum += s;
    }

    /** What a scrape writes: copies, so the writer works outside the lock. */
    Snapshot snapshot() {
        return new Snapshot(counts.clone(), count, sum);
    }

    /** @param cumulative per bound of {@link #BOUNDS}, the observations at or under it */
    record Snapshot(long[] cumulative, long count, double sum) {}
}
