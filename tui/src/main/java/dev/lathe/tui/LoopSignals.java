package dev.lathe.tui;

import java.util.List;

/**
 * The loop's reducer for the signals that are no key and no server event: the timer's tick, a resized terminal, the
 * end of input. It gives the next {@link LoopState} and the {@link Effect}s the loop carries out.
 */
final class LoopSignals {
    /** Every this many ticks (100 ms) a busy session's status is asked for, in case its idle event was missed. */
    static final int STATUS_POLL_TICKS = 30;

    sealed interface Effect {
        /** Ask the server for the session's status (a missed idle event must not leave the spinner running). */
        record PollStatus() implements Effect {}

        /** The server watch's turn: probe a server that went quiet, reconnect to one that went away. */
        record WatchTick(int frame) implements Effect {}

        /** Draw the live region again at the terminal's new size. */
        record Redraw() implements Effect {}
    }

    record Step(LoopState state, List<Effect> effects) {}

    private LoopSignals() {}

    static Step tick(LoopState state) {
        int frame = state.frame() + 1;
        var next = new LoopState(frame, state.exit());
        Effect watch = new Effect.WatchTick(frame);
        return new Step(next, frame % STATUS_POLL_TICKS == 0 ? List.of(new Effect.PollStatus(), watch) : List.of(watch));
    }

    /** The transcript view, while open, has the whole screen: the inline UI is redrawn when it closes. */
    static Step resized(LoopState state, boolean transcriptViewOpen) {
        return new Step(state, transcriptViewOpen ? List.of() : List.of(new Effect.Redraw()));
    }

    static Step inputEnded(LoopState state) { return new Step(state.exiting(), List.of()); }
}
