package dev.lathe.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.ScheduleId;
import dev.lathe.protocol.SessionId;
import java.util.ArrayList;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The schedules part of the storage contract (migrations V012, V014: a schedule's environment is kept with it), on every adapter. */
public abstract class ScheduleContract extends StorageFixture {
    private static ScheduleStore.Stored schedule(String owner, Optional<String> directory, Optional<String> repo) {
        return new ScheduleStore.Stored(ScheduleId.next(), owner, "0 3 * * *", "Europe/Paris", directory, repo, "run the tests", 1_000L,
                owner.isEmpty() ? Map.of() : Map.of("LATHE_NETWORK", "local", "LATHE_CONFIG", "/home/" + owner + "/lathe.json"));
    }

    @Test
    void aScheduleIsKeptListedFoundAndRemovedWithItsRuns() {
        var a = schedule("alice", Optional.of("/work/p"), Optional.empty());
        var b = schedule("", Optional.empty(), Optional.of("https://example.invalid/r.git"));
        try (Storage storage = open(tmp)) {
            storage.schedules().add(a, 50);
            storage.schedules().add(b, 50);
            assertThat(storage.schedules().claim(a.id(), 5_000L, "node-1")).isTrue();
        }
        try (Storage storage = open(tmp)) {
            var schedules = storage.schedules();
            assertThat(schedules.list()).containsExactly(a, b);
            assertThat(schedules.find(b.id())).contains(b);
            assertThat(schedules.lastRun(a.id())).contains(new ScheduleStore.Run(a.id(), 5_000L, "node-1", Optional.empty()));
            assertThat(schedules.remove(a.id())).isTrue();
            assertThat(schedules.remove(a.id())).isFalse();
            assertThat(schedules.lastRun(a.id())).isEmpty();
            assertThat(schedules.claim(a.id(), 6_000L, "node-1")).as("a removed schedule runs no more").isFalse();
            assertThat(schedules.list()).containsExactly(b);
        }
    }

    @Test
    void aDueRunIsClaimedOnceAndItsSessionRecorded() {
        var a = schedule("alice", Optional.of("/work/p"), Optional.empty());
        try (Storage storage = open(tmp)) {
            var schedules = storage.schedules();
            schedules.add(a, 50);
            assertThat(schedules.claim(a.id(), 60_000L, "node-1")).isTrue();
            assertThat(schedules.claim(a.id(), 60_000L, "node-2")).as("the same time again").isFalse();
            SessionId session = SessionId.next();
            schedules.started(a.id(), 60_000L, session);
            assertThat(schedules.lastRun(a.id())).contains(new ScheduleStore.Run(a.id(), 60_000L, "node-1", Optional.of(session)));
            assertThat(schedules.claim(a.id(), 120_000L, "node-2")).isTrue();
            assertThat(schedules.lastRun(a.id()).orElseThrow().slotAt()).isEqualTo(120_000L);
            // only the last few runs are remembered; the latest always is
            for (long t = 3; t < 30; t++) assertThat(schedules.claim(a.id(), t * 60_000L, "node-1")).isTrue();
            assertThat(schedules.lastRun(a.id()).orElseThrow().slotAt()).isEqualTo(29 * 60_000L);
        }
    }

    @Test
    void ofManyClaimsAtOnceOneWins() throws Exception {
        var a = schedule("alice", Optional.of("/work/p"), Optional.empty());
        try (Storage storage = open(tmp); var pool = Executors.newFixedThreadPool(8)) {
            storage.schedules().add(a, 50);
            var claims = new ArrayList<Future<Boolean>>();
            for (int i = 0; i < 8; i++) {
                String node = "node-" + i;
                claims.add(pool.submit((Callable<Boolean>) () -> storage.schedules().claim(a.id(), 180_000L, node)));
            }
            int won = 0;
            for (var c : claims) won += c.get() ? 1 : 0;
            assertThat(won).isEqualTo(1);
        }
    }

    /** The cap per owner holds when adds arrive at once (on one node or several): the count and the insert are one step. */
    @Test
    void addsAtOnceNeverPassTheCapPerOwner() throws Exception {
        try (Storage storage = open(tmp); var pool = Executors.newFixedThreadPool(8)) {
            storage.schedules().add(schedule("bob", Optional.of("/work/p"), Optional.empty()), 5);
            var adds = new ArrayList<Future<Long>>();
            for (int i = 0; i < 16; i++) {
                adds.add(pool.submit((Callable<Long>) () -> storage.schedules().add(schedule("alice", Optional.of("/work/p"), Optional.empty()), 5)));
            }
            long added = 0;
            for (var a : adds) added += a.get() < 5 ? 1 : 0;
            assertThat(added).isEqualTo(5);
            assertThat(storage.schedules().list()).filteredOn(s -> s.owner().equals("alice")).hasSize(5);
            assertThat(storage.schedules().add(schedule("bob", Optional.of("/work/p"), Optional.empty()), 5)).as("another owner's count").isEqualTo(1);
        }
    }
}
