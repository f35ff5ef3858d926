package dev.lathe.protocol.wire;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * What the last few values encoded were encoded to, found by identity: the same object is encoded by several consumers
 * within milliseconds (a part for its row, then for its event; an event for each subscriber's frame), and only the
 * first pays for it (issue 55: the server serialized a tool part with its 3,000-character file text three times).
 *
 * <p>By identity, never by equality, so an answer is never stale: the values are immutable records (their collections
 * copied), and a changed part is a new object, encoded anew. A fixed ring of slots, the oldest overwritten first;
 * an encoding larger than {@code maxSize} is not kept, so the ring holds at most {@code slots × maxSize} (a few
 * hundred KB in practice). Thread-safe without locks: the slots are read and written plainly (an atomic array's
 * acquire reads cost more than the encoding saved under C1), which is safe because a slot is an immutable record
 * (final fields: a thread that sees one sees it whole) and a slot missed or seen late only means encoding again; two
 * threads encoding the same value at once both encode it, to the same bytes.
 *
 * @param <T> what is encoded
 * @param <E> its encoding
 */
public final class RecentEncodings<T, E> {
    private record Slot<T, E>(T value, E encoded) {}

    private final Slot<T, E>[] slots;
    private final AtomicInteger next = new AtomicInteger();
    private final int mask;
    private final int maxSize;
    private final ToIntFunction<E> size;

    /**
     * @param slots how many encodings are kept (a power of two)
     * @param maxSize the largest encoding kept, in {@code size}'s units
     * @param size the size of an encoding (characters of a string, bytes of an array)
     */
    public RecentEncodings(int slots, int maxSize, ToIntFunction<E> size) {
        if (Integer.bitCount(slots) != 1) throw new IllegalArgumentException("slots must be a power of two: " + slots);
        @SuppressWarnings("unchecked")
        Slot<T, E>[] array = (Slot<T, E>[]) new Slot<?, ?>[slots];
        this.slots = array;
        this.mask = slots - 1;
        this.maxSize = maxSize;
        this.size = size;
    }

    /** {@code value}'s encoding: the one kept when this very object was encoded lately, else {@code encode}'s, kept. */
    public E of(T value, Function<? super T, ? extends E> encode) {
        int newest = next.get() - 1;
        // newest first: the second consumer usually comes right after the first
        for (int i = 0; i <= mask; i++) {
            Slot<T, E> s = slots[(newest - i) & mask];
            if (s != null && s.value() == value) return s.encoded();
        }
        return encoded(value, encode);
    }

    /**
     * {@code value} encoded by {@code encode} and kept, without looking for it first: for the consumer that always
     * comes first (a row is written before its event is published), whose search would always be in vain.
     */
    public E encoded(T value, Function<? super T, ? extends E> encode) {
        E encoded = encode.apply(value);
        if (size.applyAsInt(encoded) <= maxSize) slots[next.getAndIncrement() & mask] = new Slot<>(value, encoded);
        return encoded;
    }
}
