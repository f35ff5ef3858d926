package dev.lathe.tui.input;

/**
 * What the word at the cursor asks to be completed, from {@link LineEditor#completionQuery()}. {@code query} is the
 * text typed so far (from after the trigger character up to the cursor); {@code [start, end)} is the whole word
 * including the trigger, in {@link LineEditor#cursor()} indexes, which {@link LineEditor#replace} swaps for the
 * chosen completion.
 */
public sealed interface CompletionQuery {
    String query();

    int start();

    int end();

    /** A word starting with {@code @}: a file path relative to the project. */
    record File(String query, int start, int end) implements CompletionQuery {}

    /** The first word of the input when it starts with {@code /}: a slash command name. */
    record Command(String query, int start, int end) implements CompletionQuery {}
}
