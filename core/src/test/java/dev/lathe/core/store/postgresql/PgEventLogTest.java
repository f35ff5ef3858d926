package dev.lathe.core.store.postgresql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.bus.EventBus;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.EventFilter;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.EventEnvelope;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.testkit.PostgresCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Two nodes' buses over one database's event log, in one JVM (DESIGN §20): every event reaches both nodes' subscribers
 * with the same seq and in the same order, however the nodes' publishing interleaves; a client resumes on the other
 * node after the last id it saw, without a gap or a duplicate, also from before that node started; old rows are pruned.
 */
class PgEventLogTest {
    private static final Duration WAIT = Duration.ofSeconds(60);  // a loaded machine; never a weaker assertion

    @Test
    void bothNodesDeliverEveryEventOnceInOneOrderWithTheSameSeq() throws Exception {
        var db = PostgresCluster.shared().newDatabase("events_order");
        try (var a = PostgresStorage.open(db.url()); var b = PostgresStorage.open(db.url())) {
            var busA = EventBus.over(a.cluster().events());
            var busB = EventBus.over(b.cluster().events());
            var seenA = new CopyOnWriteArrayList<EventEnvelope>();
            var seenB = new CopyOnWriteArrayList<EventEnvelope>();
            try (var _ = busA.subscribe(EventFilter.ALL, 0, seenA::add); var _ = busB.subscribe(EventFilter.ALL, 0, seenB::add)) {
                int each = 300;
                Thread ta = Thread.ofPlatform().start(() -> publish(busA, "a", each));
                Thread tb = Thread.ofPlatform().start(() -> publish(busB, "b", each));
                ta.join();
                tb.join();
                await(() -> seenA.size() >= 2 * each && seenB.size() >= 2 * each);
                assertThat(seenA).hasSize(2 * each);
                assertThat(seenB).hasSize(2 * each);
                assertThat(seqs(seenA)).isEqualTo(seqs(seenB)).isSorted().doesNotHaveDuplicates();
                assertThat(titles(seenA)).isEqualTo(titles(seenB));
                // each node's own events in the order it published them
                assertThat(titles(seenA).stream().filter(t -> t.startsWith("ses_a_")).toList()).isEqualTo(expected("a", each));
                assertThat(titles(seenB).stream().filter(t -> t.startsWith("ses_b_")).toList()).isEqualTo(expected("b", each));
            }
        }
    }

    @Test
    void aClientResumesOnTheOtherNodeAfterTheLastIdItSawWithoutGapOrDuplicate() throws Exception {
        var db = PostgresCluster.shared().newDatabase("events_resume");
        try (var a = PostgresStorage.open(db.url())) {
            var busA = EventBus.over(a.cluster().events());
            var seenOnA = new CopyOnWriteArrayList<EventEnvelope>();
            try (var _ = busA.subscribe(EventFilter.ALL, 0, seenOnA::add)) {
                publish(busA, "a", 50);
                await(() -> seenOnA.size() >= 50);
            }
            long lastSeen = seenOnA.get(19).seq();  // the client saw 20 events, then its connection dropped
            publish(busA, "later", 10);
            // node B starts only now: what the client missed is in the table, not in B's memory
            try (var b = PostgresStorage.open(db.url())) {
                var busB = EventBus.over(b.cluster().events());
                var resumed = new CopyOnWriteArrayList<EventEnvelope>();
                await(() -> a.cluster().events().newest() >= seenOnA.getLast().seq() + 10);
                try (var _ = busB.subscribe(EventFilter.ALL, lastSeen, resumed::add)) {
                    publish(busA, "after", 5);
                    await(() -> resumed.size() >= 30 + 10 + 5);
                    Thread.sleep(300);  // nothing more comes
                    var titles = titles(resumed);
                    var wanted = new ArrayList<>(titles(seenOnA).subList(20, 50));
                    wanted.addAll(expected("later", 10));
                    wanted.addAll(expected("after", 5));
                    assertThat(titles).isEqualTo(wanted);
                    assertThat(seqs(resumed)).isSorted().doesNotHaveDuplicates().allMatch(s -> s > lastSeen);
                }
                // a client that saw an event on a node ahead of this one gets what follows it, not it again
                var ahead = new CopyOnWriteArrayList<EventEnvelope>();
                long newest = b.cluster().events().newest();
                try (var _ = busB.subscribe(EventFilter.ALL, newest, ahead::add)) {
                    publish(busA, "next", 3);
                    await(() -> ahead.size() >= 3);
                    Thread.sleep(300);
                    assertThat(titles(ahead)).isEqualTo(expected("next", 3));
                }
                // an id no node ever handed out: refetch
                var unknown = new CopyOnWriteArrayList<EventEnvelope>();
                try (var _ = busB.subscribe(EventFilter.ALL, newest + 1_000_000, unknown::add)) {
                    await(() -> !unknown.isEmpty());
                    assertThat(unknown.getFirst().event()).isInstanceOf(Event.Resync.class);
                }
            }
        }
    }

    @Test
    void rowsOlderThanTheKeptTimeArePrunedAndAResumeFromThemIsAResync() throws Exception {
        var db = PostgresCluster.shared().newDatabase("events_prune");
        try (var a = PostgresStorage.open(db.url())) {
            var busA = EventBus.over(a.cluster().events());
            var seen = new CopyOnWriteArrayList<EventEnvelope>();
            try (var _ = busA.subscribe(EventFilter.ALL, 0, seen::add)) {
                publish(busA, "old", 5);
                await(() -> seen.size() >= 5);
            }
            a.execute("UPDATE event SET at = at - 2 * 3600 * 1000");  // two hours ago: past the hour kept
            assertThat(((PgEventLog) a.cluster().events()).prune()).isEqualTo(5);
            try (var b = PostgresStorage.open(db.url())) {
                var busB = EventBus.over(b.cluster().events());
                var resumed = new CopyOnWriteArrayList<EventEnvelope>();
                publish(busA, "new", 1);
                await(() -> b.cluster().events().newest() > seen.getLast().seq());
                Thread.sleep(300);
                try (var _ = busB.subscribe(EventFilter.ALL, seen.get(1).seq(), resumed::add)) {
                    await(() -> !resumed.isEmpty());
                    assertThat(resumed.getFirst().event()).isInstanceOf(Event.Resync.class);
                }
            }
        }
    }

    private static void publish(EventBus bus, String prefix, int count) {
        for (int i = 0; i < count; i++) {
            bus.publish(Optional.of("/p"), new Event.SessionStatusChanged(new SessionId("ses_" + prefix + "_" + i), new SessionStatus.Idle()));
        }
    }

    private static List<String> expected(String prefix, int count) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < count; i++) out.add("ses_" + prefix + "_" + i);
        return out;
    }

    private static List<String> titles(List<EventEnvelope> events) {
        return events.stream().map(e -> Event.sessionOf(e.event()).map(SessionId::value).orElse("?")).toList();
    }

    private static List<Long> seqs(List<EventEnvelope> events) {
        return events.stream().map(EventEnvelope::seq).toList();
    }

    private static void await(java.util.function.BooleanSupplier done) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > end) throw new AssertionError("timed out");
            Thread.sleep(20);
        }
    }
}
