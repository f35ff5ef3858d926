package dev.lathe.tui;

import java.util.OptionalLong;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.session.SessionStatus;
import org.junit.jupiter.api.Test;

/** A turn's statuses streaming in, as the server sends them, through the loop's {@link TurnState}. */
class TurnStateTest {
    private static final SessionStatus IDLE = new SessionStatus.Idle();
    private static final SessionStatus BUSY = new SessionStatus.Busy();
    private static final SessionStatus WAITING = new SessionStatus.Waiting();

    @Test
    void aPromptMakesTheSessionBusyBeforeItsEventsAndEachAskCountsFromWhenItCame() {
        TurnState sent = TurnState.idle().sending(1_000);
        assertThat(sent.busy()).isTrue();
        assertThat(sent.shownSince()).isEqualTo(1_000);

        // the server's own busy event comes after: the turn still counts from the prompt
        TurnState running = sent.statusChanged(BUSY, 1_200);
        assertThat(running.busySince()).isEqualTo(1_000);

        TurnState asked = running.statusChanged(WAITING, 3_000);
        assertThat(asked.shownSince()).isEqualTo(3_000);
        TurnState answered = asked.statusChanged(BUSY, 4_000);
        assertThat(answered.shownSince()).isEqualTo(1_000);
        assertThat(answered.statusChanged(WAITING, 6_000).shownSince()).isEqualTo(6_000);

        TurnState done = answered.statusChanged(IDLE, 7_000);
        assertThat(done.busy()).isFalse();
        // the next turn counts from its own start
        assertThat(done.statusChanged(BUSY, 9_000).busySince()).isEqualTo(9_000);
    }

    @Test
    void whileTheSessionWaitsTheTimerCountsFromTheAskOnScreenNotFromTheSessionsWait() {
        // the session began waiting at 3 000 (a first ask); that one was answered and a second, raised at 5 000, is on screen
        TurnState waiting = TurnState.idle().sending(1_000).statusChanged(WAITING, 3_000);
        assertThat(waiting.shownSince(OptionalLong.of(5_000), 8_000)).isEqualTo(5_000);
        // attached to a session already waiting: its turn start is all the state knows, the ask's own time is better
        TurnState attached = TurnState.idle().attached(WAITING, 1_000);
        assertThat(attached.shownSince(OptionalLong.of(4_000), 8_000)).isEqualTo(4_000);
        // no ask on screen, or a server clock ahead of this one: as before
        assertThat(waiting.shownSince(OptionalLong.empty(), 8_000)).isEqualTo(3_000);
        assertThat(waiting.shownSince(OptionalLong.of(9_000), 8_000)).isEqualTo(3_000);
        // busy again: the turn's time, whatever was asked
        assertThat(waiting.statusChanged(BUSY, 6_000).shownSince(OptionalLong.of(5_000), 8_000)).isEqualTo(1_000);
    }

    @Test
    void anAbortLastsUntilTheTurnEnds() {
        TurnState aborting = TurnState.idle().sending(1_000).aborting();
        assertThat(aborting.abortSent()).isTrue();
        assertThat(aborting.statusChanged(BUSY, 1_500).abortSent()).isTrue();
        assertThat(aborting.statusChanged(IDLE, 2_000).abortSent()).isFalse();
    }

    @Test
    void aMessageQueuedIntoARunningTurnLeavesItAsItWasAndARefusedOneStopsTheSpinner() {
        TurnState running = TurnState.idle().sending(1_000).statusChanged(BUSY, 1_100);
        assertThat(running.sending(5_000)).isEqualTo(running);
        assertThat(TurnState.idle().sending(1_000).refused().busy()).isFalse();
    }

    @Test
    void aResyncCountsATurnThatStartedMeanwhileFromItsStoredStart() {
        assertThat(TurnState.idle().resynced(BUSY, 500).busySince()).isEqualTo(500);
        TurnState running = TurnState.idle().sending(1_000);
        assertThat(running.resynced(BUSY, 500).busySince()).isEqualTo(1_000);
    }
}
