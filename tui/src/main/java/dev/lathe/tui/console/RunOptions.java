package dev.lathe.tui.console;

import java.util.Optional;

/** What {@code lathe run} was asked to do, after parsing. */
public record RunOptions(String directory, String message, Optional<String> model, Optional<String> agent, Optional<String> session,
        boolean continueLatest, OutputFormat format, boolean allowAll) {}
