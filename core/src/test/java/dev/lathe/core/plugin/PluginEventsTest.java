package dev.lathe.core.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.EventEnvelope;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Plugins' listeners are fed without ever making the publisher wait, and a failing one keeps receiving. */
class PluginEventsTest {
    private static EventEnvelope event(long seq, Optional<String> directory) {
        return new EventEnvelope(seq, 0, directory, new Event.ServerHeartbeat());
    }

    @Test void aListenerThatNeverReturnsLosesEventsButNeverHoldsUpThePublisher() throws Exception {
        var events = new PluginEvents();
        var stuck = new CountDownLatch(1);
        List<Long> fast = new CopyOnWriteArrayList<>();
        ListenerQueue slow = events.add(Optional.empty(), "slow", e -> {
            try {
                stuck.await();
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        });
        events.add(Optional.empty(), "fast", e -> fast.add(e.seq()));
        int total = 3 * ListenerQueue.CAPACITY;
        // the publisher's thread: returns although the slow listener has taken nothing since the first event
        for (long i = 1; i <= total; i++) events.on(event(i, Optional.empty()));
        assertThat(slow.dropped()).isGreaterThanOrEqualTo(total - ListenerQueue.CAPACITY - 1L);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (fast.size() < ListenerQueue.CAPACITY && System.nanoTime() < deadline) Thread.sleep(5);
        assertThat(fast).as("the other listener got its events in order").startsWith(1L, 2L, 3L);
        stuck.countDown();
        events.remove(slow);
    }

    @Test void aListenerThatThrowsKeepsReceivingAndAProjectListenerHearsOnlyItsProjectAndTheServer() throws Exception {
        var events = new PluginEvents();
        List<Long> heard = new CopyOnWriteArrayList<>();
        ListenerQueue q = events.add(Optional.of("/p"), "p", e -> {
            heard.add(e.seq());
            if (e.seq() == 1) throw new IllegalStateException("first one fails");
        });
        events.on(event(1, Optional.of("/p")));
        events.on(event(2, Optional.of("/other")));
        events.on(event(3, Optional.empty()));
        events.on(event(4, Optional.of("/p")));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (heard.size() < 3 && System.nanoTime() < deadline) Thread.sleep(5);
        assertThat(heard).containsExactly(1L, 3L, 4L);
        assertThat(q.failed()).isEqualTo(1);
        events.remove(q);
    }
}
