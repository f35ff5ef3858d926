package dev.lathe.tui;

/**
 * The UI loop's own state: the spinner's frame (one a tick) and whether the loop ends after the signals at hand.
 * {@link LoopSignals} makes the next one from a tick, a resize or the end of input.
 */
record LoopState(int frame, boolean exit) {
    static LoopState start() { return new LoopState(0, false); }

    /** The user left (Ctrl-D, a double Ctrl-C, {@code /exit}) or the terminal went away: the session goes on in the server. */
    LoopState exiting() { return new LoopState(frame, true); }
}
