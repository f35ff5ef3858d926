package dev.lathe.core.toolcall;

/** Who made a tool call: hooks and the audit record may treat them differently. */
public enum Origin {
    /** The model, in a session's step (a subagent's calls are its own session's model calls). */
    MODEL,
    /** A custom command's {@code !`cmd`} or {@code @path}, resolved before the command's text is sent. */
    COMMAND,
    /** A command the user typed to run in the session's shell. */
    USER_SHELL,
    /** A goal loop's check ({@code lathe run --until CMD}): typed by the user, yet held to the session's bash rules. */
    GOAL_CHECK
}
