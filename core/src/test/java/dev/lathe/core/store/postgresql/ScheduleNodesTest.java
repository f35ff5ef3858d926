package dev.lathe.core.store.postgresql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.schedule.Schedules;
import dev.lathe.core.store.ScheduleStore;
import dev.lathe.protocol.ScheduleId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.ScheduleRequest;
import dev.lathe.testkit.PostgresCluster;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two team-server nodes over one PostgreSQL database (DESIGN §18 "Schedules", §20): each looks for due schedules at the
 * same moment, again and again, and every due time runs once, on one of them; a node that was down through several
 * times (both, here) runs the latest one once.
 */
class ScheduleNodesTest {
    @TempDir Path tmp;

    @Test
    void twoNodesRunEachDueTimeOnceBetweenThem() throws Exception {
        var db = PostgresCluster.shared().newDatabase("schedules");
        var started = new CopyOnWriteArrayList<String>();
        try (var a = PostgresStorage.open(db.url()); var b = PostgresStorage.open(db.url())) {
            Instant made = Instant.parse("2026-01-05T09:00:30Z");
            Schedules.Starter starter = new Schedules.Starter() {
                @Override
                public SessionId create(ScheduleStore.Stored s, Instant due) {
                    started.add(due.toString());
                    return SessionId.next();
                }

                @Override
                public void prompt(ScheduleStore.Stored s, SessionId session) { }
            };
            var nodeA = new Schedules(a.schedules(), a.accounts(), Clock.fixed(made, ZoneOffset.UTC), "node-a", starter, (s, r) -> { });
            var added = nodeA.add(new ScheduleRequest("* * * * *", Optional.empty(), Optional.of(tmp.toString()), Optional.empty(), "nightly"), "", Map.of());
            for (int minute = 1; minute <= 5; minute++) {
                Clock at = Clock.fixed(made.plusSeconds(60L * minute), ZoneOffset.UTC);
                var one = new Schedules(a.schedules(), a.accounts(), at, "node-a", starter, (s, r) -> { });
                var two = new Schedules(b.schedules(), b.accounts(), at, "node-b", starter, (s, r) -> { });
                race(one, two);
            }
            assertThat(started).containsExactly("2026-01-05T09:01:00Z", "2026-01-05T09:02:00Z", "2026-01-05T09:03:00Z", "2026-01-05T09:04:00Z",
                    "2026-01-05T09:05:00Z");
            // both nodes down from 09:05:30 to 09:08:10: the 09:06, 09:07 and 09:08 runs are one run, of 09:08
            Clock later = Clock.fixed(Instant.parse("2026-01-05T09:08:10Z"), ZoneOffset.UTC);
            race(new Schedules(a.schedules(), a.accounts(), later, "node-a", starter, (s, r) -> { }),
                    new Schedules(b.schedules(), b.accounts(), later, "node-b", starter, (s, r) -> { }));
            assertThat(started).hasSize(6).last().isEqualTo("2026-01-05T09:08:00Z");
            assertThat(a.schedules().lastRun(new ScheduleId(added.id())).orElseThrow().session()).isPresent();
        }
    }

    /** Both nodes look for due schedules at once, several times. */
    private static void race(Schedules one, Schedules two) throws Exception {
        var barrier = new CyclicBarrier(2);
        List<Thread> threads = new ArrayList<>();
        for (Schedules node : List.of(one, two)) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    barrier.await();
                    for (int i = 0; i < 3; i++) node.runDue();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        for (Thread t : threads) t.join();
    }
}
