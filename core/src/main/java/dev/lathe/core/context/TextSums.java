package dev.lathe.core.context;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The bytes a request's text field adds to its {@link PromptHashes} sums. A short field adds itself; a long one (a tool's
 * output, a file read) adds its own sum, made once while the text lives: a stateless protocol sends the whole history
 * at every step, and summing every byte of it again was a twentieth of a busy server's CPU per step, growing with the
 * session (issue 55). The history's texts are the same strings from step to step (their hash codes are cached), so a
 * long field costs a map lookup. Weakly held: a text no history refers to any more leaves with it.
 */
final class TextSums {
    /** Below this many characters summing the text is cheaper than looking it up. */
    private static final int MIN_CHARS = 512;
    private static final Map<String, byte[]> SUMS = Collections.synchronizedMap(new WeakHashMap<>());

    private TextSums() {}

    /** What {@code text} adds to a sum. */
    static byte[] of(String text) {
        if (text.length() < MIN_CHARS) return text.getBytes(StandardCharsets.UTF_8);
        byte[] known = SUMS.get(text);
        if (known != null) return known;
        var sum = new BlockSum();
        sum.update(text.getBytes(StandardCharsets.UTF_8));
        byte[] made = sum.bytes();
        SUMS.put(text, made);
        return made;
    }
}
