package dev.lathe.core.toolcall;

/**
 * {@link SecretMask} over a text that arrives in pieces (a model's streamed answer): each piece is masked and released
 * at once, except an end that could still be the start of a secret, which waits for the next piece or the end. What
 * is released never holds a secret, nor the start of one (of {@value SecretMask#CUT_SHOWN} characters or more): a
 * client sees {@code ***} or nothing of it (at most {@code sk-} before {@code ***} when the pieces are that small),
 * never a key's first characters (issue 79). Not thread-safe: one stream per growing part.
 */
public final class SecretStream {
    private final SecretMask mask;
    /** The end of what was released, unmasked: a secret whose first characters (fewer than 4) went out is still found. */
    private String released = "";
    private String pending = "";

    SecretStream(SecretMask mask) {
        this.mask = mask;
    }

    /** What may be shown of the text so far after {@code piece} came: masked, possibly empty. */
    public String push(String piece) {
        if (mask.isEmpty()) return piece;
        String text = pending + piece;
        String[] split = mask.release(released, text);
        pending = split[1];
        String out = released + text.substring(0, text.length() - pending.length());
        released = out.substring(Math.max(0, out.length() - mask.context()));
        return split[0];
    }

    /** The text ended: whatever was held back, masked. */
    public String finish() {
        String rest = mask.rest(released, pending);
        pending = "";
        released = "";
        return rest;
    }

    /** Whether characters are held back now. */
    public boolean holding() { return !pending.isEmpty(); }
}
