package dev.lathe.tui;

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
