package dev.lathe.tui;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The loop's ticks, resizes and end of input, without a terminal. */
class LoopSignalsTest {
    @Test
    void everyTickTurnsTheSpinnerAndTheWatchAndEveryThirtiethAsksForTheStatus() {
        LoopState state = LoopState.start();
        int polls = 0;
        for (int i = 0; i < 2 * LoopSignals.STATUS_POLL_TICKS; i++) {
            LoopSignals.Step step = LoopSignals.tick(state);
            assertThat(step.state().frame()).isEqualTo(state.frame() + 1);
            assertThat(step.effects()).contains(new LoopSignals.Effect.WatchTick(step.state().frame()));
            if (step.effects().contains(new LoopSignals.Effect.PollStatus())) polls++;
            state = step.state();
        }
        assertThat(polls).isEqualTo(2);
    }

    @Test
    void aResizeRedrawsTheInlineUiButNotUnderTheTranscriptView() {
        assertThat(LoopSignals.resized(LoopState.start(), false).effects()).containsExactly(new LoopSignals.Effect.Redraw());
        assertThat(LoopSignals.resized(LoopState.start(), true).effects()).isEmpty();
    }

    @Test
    void theEndOfInputEndsTheLoop() {
        assertThat(LoopSignals.inputEnded(LoopState.start()).state().exit()).isTrue();
        assertThat(LoopState.start().exit()).isFalse();
    }
}
