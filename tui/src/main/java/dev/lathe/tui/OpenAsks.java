package dev.lathe.tui;

/**
 * The open asks (permissions and questions) of the attached session and its subagents, and whose session they are:
 * an {@link AskState} replaced by {@link AskSignals}' steps, whose effects {@link KeyHandler} carries out. Owned by
 * the UI's loop and changed on its thread alone.
 */
final class OpenAsks {
    private AskState state = AskState.none();

    AskState state() { return state; }

    /** A step's state becomes the asks'. */
    void state(AskState now) { state = now; }

    boolean isEmpty() { return state.isEmpty(); }
}
