package dev.lathe.llm.sse;

/** One line or one event of a stream passed its size limit: the stream is not read further. */
public final class SseTooLarge extends RuntimeException {
    public SseTooLarge(String message) {
        super(message, null, false, false);
    }

    /** {@code chars} for a message, in MiB when it is that large. */
    static String size(long chars) {
        return chars >= 1 << 20 ? (chars >> 20) + " MiB" : chars + " characters";
    }
}
