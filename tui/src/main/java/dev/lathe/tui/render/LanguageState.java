package dev.lathe.tui.render;

import dev.lathe.tui.text.Role;

/**
 * Where the {@link CodeHighlighter} is between two lines of one snippet: the language, and the construct still open at
 * the end of the previous line (a block comment, a triple-quoted or template string, an XML tag spread over lines).
 * Immutable: {@link CodeHighlighter#highlight(String, LanguageState)} returns the state for the next line.
 */
public final class LanguageState {
    /** What is open at the end of a line. */
    sealed interface Open {
        /** Nothing: the next line starts fresh. */
        record Nothing() implements Open {}

        /** A comment or string that ends at {@code close}. */
        record Until(String close, Role role, boolean escapes) implements Open {}

        /** Inside a markup tag, among its attributes. */
        record InTag() implements Open {}
    }

    private static final Open NOTHING = new Open.Nothing();

    private final Language language;
    private final Open open;

    private LanguageState(Language language, Open open) {
        this.language = language;
        this.open = open;
    }

    /** The state at the first line of a snippet in {@code language}. */
    public static LanguageState start(Language language) {
        return new LanguageState(language, NOTHING);
    }

    public Language language() { return language; }

    /** Whether a comment, string or tag from an earlier line is still open. */
    public boolean isInsideConstruct() { return !(open instanceof Open.Nothing); }

    Open open() { return open; }

    LanguageState with(Open next) {
        return next.equals(open) ? this : new LanguageState(language, next);
    }

    static Open nothing() { return NOTHING; }
}
