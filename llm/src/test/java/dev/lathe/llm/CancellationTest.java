package dev.lathe.llm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CancellationTest {
    @Test
    void aChildIsCancelledWithItsParentUntilDetached() {
        var turn = new Cancellation();
        var attached = turn.child();
        var detached = turn.child();
        detached.detach();
        turn.cancel();
        assertThat(attached.isCancelled()).isTrue();
        assertThat(detached.isCancelled()).isFalse();
        detached.cancel();
        assertThat(detached.isCancelled()).isTrue();
    }

    @Test
    void aLongJobKeepsNoneOfTheChildrenItsPartsDetached() {
        var turn = new Cancellation();
        for (int step = 0; step < 1_000; step++) {
            var own = turn.child();
            own.cancel();  // a stall ends one step's stream on its own
            own.detach();
        }
        assertThat(turn.waiting()).isZero();
        turn.child();
        assertThat(turn.waiting()).isOne();
    }

    @Test
    void detachingWhatIsNoChildChangesNothing() {
        var root = new Cancellation();
        root.detach();
        root.cancel();
        assertThat(root.isCancelled()).isTrue();
    }
}
