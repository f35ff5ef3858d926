package dev.lathe.tools;

/**
 * Port to the session's budget (implemented in core, decision 119): how full the context is against the compaction
 * point, and what was spent against the configured limits. Read on the calling tool's thread; never asks anything.
 */
@FunctionalInterface
public interface Budget {
    /** The budget as text for the model, as it stands now. */
    String report();

    /** No session behind the call (tests, contexts without a turn). */
    Budget NONE = () -> "No budget is known here: this call does not run in a session's turn.";
}
