package dev.lathe.core.session.turn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A step's file-writing calls take their turns in the order their tickets were taken, whatever order they arrive in. */
class WriteOrderTest {
    @Test
    void aLaterCallWaitsForEveryEarlierOneEvenWhenItArrivesFirst() throws Exception {
        var order = new WriteOrder();
        long first = order.ticket();
        long second = order.ticket();
        long third = order.ticket();
        List<Long> ran = new CopyOnWriteArrayList<>();
        var thirdDone = new CountDownLatch(1);
        Thread.ofVirtual().start(() -> {
            order.awaitTurn(third);
            ran.add(third);
            order.ended(third);
            thirdDone.countDown();
        });
        // the second was refused before its turn (a steer, bad arguments): its end is kept for when its turn comes
        order.ended(second);
        assertThat(thirdDone.await(200, TimeUnit.MILLISECONDS)).as("the third waits for the first").isFalse();

        order.awaitTurn(first);
        ran.add(first);
        order.ended(first);
        assertThat(thirdDone.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ran).containsExactly(first, third);
    }
}
