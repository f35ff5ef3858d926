package dev.lathe.core.markdown;

/**
 * Front matter that is not the YAML subset {@link FrontMatter} reads, or a field of the wrong shape. The message names
 * the line (of the whole file, 1-based) and says what to write instead; callers add the file's path.
 */
public final class FrontMatterException extends RuntimeException {
    private final int line;
    private final String reason;

    public FrontMatterException(int line, String message) {
        super("line " + line + ": " + message);
        this.line = line;
        this.reason = message;
    }

    /** What is wrong, without the {@code line N: } prefix (for callers that name the line themselves). */
    public String reason() { return reason; }

    /** The 1-based line of the file the problem is on. */
    public int line() { return line; }
}
