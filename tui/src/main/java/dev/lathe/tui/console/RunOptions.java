package dev.lathe.tui.console;

import java.util.Optional;

/**
 * What {@code lathe run} was asked to do, after parsing. {@code piped}: what its standard input held when it was not a
 * terminal ({@link PipedStdin}), appended to the message.
 */
public record RunOptions(String directory, String message, Optional<String> piped, Optional<String> model, Optional<String> agent,
        Optional<String> session, boolean continueLatest, OutputFormat format, boolean allowAll) {

    /** These options in another folder (a session's new worktree, DESIGN §19). */
    public RunOptions inDirectory(String other) {
        return new RunOptions(other, message, piped, model, agent, session, continueLatest, format, allowAll);
    }

    /** The message with the piped text after it, separated by a blank line: what the model is sent. */
    public String prompt() {
        if (piped.isEmpty()) return message;
        return message.isEmpty() ? piped.get() : message + "\n\n" + piped.get();
    }
}
