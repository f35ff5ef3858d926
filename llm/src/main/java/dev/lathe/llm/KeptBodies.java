package dev.lathe.llm;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The last body sent for each history, kept for its next step (issue 55): a stateless protocol sends the whole history
 * at every step, and a turn hands its unchanged messages on as the same objects (decision 432), so the next body begins
 * with the bytes of this one up to the first message that changed or moved. A history is found by its first message,
 * the same object from step to step of a turn; what is kept says itself what it was written from, and the encoder
 * takes it only as far as that is the same, so a history that merely begins alike (another turn, a compaction) costs a
 * pointer compare, never a wrong byte.
 *
 * <p>Bounded by bytes, the least recently used history first out: one body per running turn, whose whole chunks are
 * the ones its next body is made of (not a copy). Shared by every session: the encoder is a pure function of the
 * request, so nothing is threaded through it.
 */
public final class KeptBodies<V> {
    private final long maxBytes;
    private final Map<First, Kept<V>> kept = new LinkedHashMap<>(16, 0.75f, true);
    private long heldBytes;
    private long found;

    /** The first message of a history, by identity: an equal message of another history is another key. */
    private record First(LlmMessage message) {
        @Override
        public boolean equals(Object o) { return o instanceof First f && f.message == message; }

        @Override
        public int hashCode() { return System.identityHashCode(message); }
    }

    private record Kept<V>(V value, long bytes) {}

    private KeptBodies(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** Keeps at most {@code maxBytes} of bodies. */
    public static <V> KeptBodies<V> upTo(long maxBytes) {
        return new KeptBodies<>(maxBytes);
    }

    /** Keeps nothing: every body written whole (the reference the kept ones are compared with in tests). */
    public static <V> KeptBodies<V> none() {
        return new KeptBodies<>(0);
    }

    /** What was kept for the history that begins with {@code first}, or null. */
    public synchronized V find(LlmMessage first) {
        Kept<V> k = kept.get(new First(first));
        if (k == null) return null;
        found++;
        return k.value();
    }

    /** Keeps {@code value} ({@code bytes} long) for the history that begins with {@code first}, in place of what was. */
    public synchronized void keep(LlmMessage first, V value, long bytes) {
        if (bytes > maxBytes) {
            Kept<V> gone = kept.remove(new First(first));
            if (gone != null) heldBytes -= gone.bytes();
            return;
        }
        Kept<V> before = kept.put(new First(first), new Kept<>(value, bytes));
        if (before != null) heldBytes -= before.bytes();
        heldBytes += bytes;
        for (Iterator<Kept<V>> oldest = kept.values().iterator(); heldBytes > maxBytes && oldest.hasNext();) {
            heldBytes -= oldest.next().bytes();
            oldest.remove();
        }
    }

    /** How many look-ups found a kept body, for tests that check a body was made from one. */
    public synchronized long found() { return found; }

    /** Bytes held now, for tests and a memory report. */
    public synchronized long heldBytes() { return heldBytes; }
}
