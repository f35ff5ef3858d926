package dev.lathe.bench;

import java.util.Arrays;

/**
 * Delivery latencies of stamped text deltas: each delta the fake model streams holds {@code t<nanoTime>;}, its send
 * time; {@link #record} takes a {@code message.part.delta} as the client received it and adds receive time − send time
 * for every stamp in it (one, unless a delta was ever split or merged on the way). Thread-safe.
 */
final class Latencies {
    /** The text of one stamped delta; {@code stamp} is {@code FakeLlm.SEND_TIME} or a time already put in its place. */
    static String delta(String stamp) { return "t" + stamp + "; "; }

    private long[] nanos = new long[1024];
    private int count;

    /** Adds a sample for each stamp in {@code delta}, received at {@code receivedAt} ({@link System#nanoTime}). */
    void record(String delta, long receivedAt) {
        int i = delta.indexOf('t');
        while (i >= 0) {
            int end = delta.indexOf(';', i);
            if (end < 0) return;
            long sentAt = parse(delta, i + 1, end);
            if (sentAt != Long.MIN_VALUE) add(receivedAt - sentAt);
            i = delta.indexOf('t', end);
        }
    }

    private static long parse(String s, int from, int to) {
        if (from >= to) return Long.MIN_VALUE;
        try {
            return Long.parseLong(s, from, to, 10);
        } catch (NumberFormatException e) {
            return Long.MIN_VALUE;
        }
    }

    private synchronized void add(long sample) {
        if (count == nanos.length) nanos = Arrays.copyOf(nanos, count * 2);
        nanos[count++] = sample;
    }

    synchronized int count() { return count; }

    /** p50, p99 and max in milliseconds (nearest-rank percentiles); zeros when nothing was recorded. */
    synchronized Summary summary() {
        if (count == 0) return new Summary(0, 0, 0, 0);
        long[] sorted = Arrays.copyOf(nanos, count);
        Arrays.sort(sorted);
        return new Summary(count, millis(percentile(sorted, 50)), millis(percentile(sorted, 99)), millis(sorted[count - 1]));
    }

    record Summary(int count, double p50Ms, double p99Ms, double maxMs) {}

    private static long percentile(long[] sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    private static double millis(long nanos) { return nanos / 1_000_000.0; }
}
