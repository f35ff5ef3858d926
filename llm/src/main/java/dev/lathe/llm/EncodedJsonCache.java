package dev.lathe.llm;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Request parts encoded once and written as bytes at the next steps: a stateless wire protocol sends the whole history
 * with every step, and escaping its text again each time was a tenth of a warm server's CPU per step, growing with the
 * session (issue 43). Keyed by the part's value (records whose strings are the history's own, so their hashes are
 * cached), so a part that changed in any way is a different key and is encoded afresh: the bytes sent are always those
 * of the part as it is now.
 *
 * <p>Bounded by bytes in two generations: new and used entries go to the current one; when it holds half the bound, it
 * becomes the previous one and the one before is dropped. What every running session sends again at each step stays;
 * what no request used for a generation goes. A working set beyond the bound costs what no cache costs (each part
 * encoded at each step), never more memory.
 */
public final class EncodedJsonCache<K> {
    private final long generationBytes;
    private Map<K, EncodedJson> current = new HashMap<>();
    private Map<K, EncodedJson> previous = new HashMap<>();
    /**
     * The current generation's entries by the key objects they were found with: a turn hands its unchanged messages on
     * as the same objects from step to step (decision 432), and these are found without hashing every block of the
     * history again. Emptied with the generation, so it holds nothing the current one does not.
     */
    private Map<K, EncodedJson> same = new IdentityHashMap<>();
    private long currentBytes;

    public EncodedJsonCache(long maxBytes) {
        this.generationBytes = maxBytes / 2;
    }

    /** The encoding of {@code key}: kept, or made by {@code encode} (outside the lock, so sessions encode at once). */
    public EncodedJson get(K key, Function<K, byte[]> encode) {
        EncodedJson known = find(key);
        if (known != null) return known;
        var made = new EncodedJson(encode.apply(key));
        keep(key, made);
        return made;
    }

    /**
     * The encoding of {@code key} if it is kept, else null: for a caller that must look at a part it has not seen before
     * encoding it (a message with nothing to send is left out), and need not look at one it has.
     */
    public EncodedJson kept(K key) {
        return find(key);
    }

    private synchronized EncodedJson find(K key) {
        EncodedJson e = same.get(key);
        if (e != null) return e;
        e = current.get(key);
        if (e == null) {
            e = previous.remove(key);
            if (e != null) add(key, e);
        }
        if (e != null) same.put(key, e);
        return e;
    }

    private synchronized void keep(K key, EncodedJson e) {
        if (e.size() > generationBytes || current.containsKey(key)) return;
        add(key, e);
    }

    private void add(K key, EncodedJson e) {
        if (currentBytes + e.size() > generationBytes) {
            previous = current;
            current = new HashMap<>();
            same = new IdentityHashMap<>();
            currentBytes = 0;
        }
        current.put(key, e);
        currentBytes += e.size();
    }

    /** Bytes held now (both generations), for tests and a memory report. */
    public synchronized long heldBytes() {
        long held = currentBytes;
        for (EncodedJson e : previous.values()) held += e.size();
        return held;
    }
}
