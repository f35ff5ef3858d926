package dev.lathe.core.toolcall;

/**
 * {@link SecretMask} over a text that arrives in pieces (a model's streamed answer): each piece is masked and released
 * at once, except an end that could still be the start of a secret, which waits for the next piece or the end. What
 * is released never holds a secret, nor the start of one: a client sees {@code ***} or nothing, never a key's first
 * characters (issue 79). Not thread-safe: one stream per growing part.
 */
public final class SecretStream {
    private final SecretMask mask;
    private String pending = "";

    SecretStream(SecretMask mask) {
        this.mask = mask;
    }

    /** What may be shown of the text so far after {@code piece} came: masked, possibly empty. */
    public String push(String piece) {
        if (mask.isEmpty()) return piece;
        String[] split = mask.release(pending + piece);
        pending = split[1];
        return split[0];
    }

    /** The text ended: whatever was held back, masked. */
    public String finish() {
        String rest = mask.apply(pending);
        pending = "";
        return rest;
    }

    /** Whether characters are held back now. */
    public boolean holding() { return !pending.isEmpty(); }
}
