package dev.lathe.protocol.wire;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The JSON the store last wrote for a part or a message, found again by the object's identity, so the event that
 * announces the same object (written a moment later on another thread) puts those characters in its envelope instead
 * of serialising the object a second time (decision 541). Direct-mapped: a slot per identity hash, a later object
 * taking an earlier one's slot; a miss only costs the serialisation it would have cost anyway. Parts and messages are
 * records of immutable values, so an object's JSON cannot change while it is kept. Bounded: {@value #SLOTS} slots of
 * at most {@value #MAX_CHARS} characters each; a longer text is not kept, and its event is written as before.
 */
final class KeptJson {
    private static final int SLOTS = 128;
    static final int MAX_CHARS = 32 * 1024;

    private record Entry(Object value, String json) {}

    private final AtomicReferenceArray<Entry> slots = new AtomicReferenceArray<>(SLOTS);

    void keep(Object value, String json) {
        if (json.length() <= MAX_CHARS) slots.set(slot(value), new Entry(value, json));
    }

    /** The JSON kept for this very object, or null. */
    String find(Object value) {
        Entry e = slots.get(slot(value));
        return e != null && e.value == value ? e.json : null;
    }

    private static int slot(Object value) {
        int h = System.identityHashCode(value);
        return (h ^ (h >>> 16)) & (SLOTS - 1);
    }
}
