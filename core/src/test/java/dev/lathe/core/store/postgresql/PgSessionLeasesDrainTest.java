package dev.lathe.core.store.postgresql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.cluster.SessionLeases;
import dev.lathe.core.cluster.TeamNode;
import dev.lathe.protocol.SessionId;
import dev.lathe.testkit.PostgresCluster;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * A draining node's leases (DESIGN §34, decisions 621 and 623), two nodes in one JVM: once A drains it takes no session,
 * neither a new one queued through it (B takes that at once) nor more work for one it runs (nobody takes that while A's
 * lease lives); its release lets go of what it no longer runs, with the prompt still waiting in one queued for B, and
 * keeps the lease of a session it still runs.
 */
class PgSessionLeasesDrainTest {
    private static final Duration LEASE = Duration.ofSeconds(2);

    @Test
    void aDrainingNodeTakesNothingAndItsReleaseHandsWhatWaitsToTheOtherNode() throws Exception {
        var db = PostgresCluster.shared().newDatabase("leases_drain");
        var runs = new SessionId("ses_drain_runs");
        var behind = new SessionId("ses_drain_behind");
        var stuck = new SessionId("ses_drain_stuck");
        var fresh = new SessionId("ses_drain_fresh");
        var a = new RecordingRuns();
        var b = new RecordingRuns();
        try (var storeA = PostgresStorage.open(db.url(), new TeamNode("node_a", LEASE));
                var storeB = PostgresStorage.open(db.url(), new TeamNode("node_b", LEASE))) {
            SessionLeases leasesA = storeA.cluster().leases();
            leasesA.start(a);
            for (SessionId id : java.util.List.of(runs, behind, stuck)) leasesA.queue(id);
            await(() -> a.taken.size() == 3);
            storeB.cluster().leases().start(b);

            leasesA.drain();
            leasesA.queue(fresh);
            await(() -> b.taken.contains(fresh));
            assertThat(a.taken).doesNotContain(fresh);
            // more work for a session A runs: A does not take it, and B may not while A's lease lives
            leasesA.queue(runs);
            Thread.sleep(3 * LEASE.toMillis());
            assertThat(a.taken).hasSize(3);
            assertThat(b.taken).containsExactly(fresh);
            assertThat(holder(db, runs)).isEqualTo("node_a");

            // two turns ended (one with a prompt waiting behind it, taken by A before the drain: no queue row); one runs on
            a.running.remove(runs);
            a.running.remove(behind);
            a.waits.add(behind);
            leasesA.release();
            await(() -> b.taken.contains(runs) && b.taken.contains(behind));
            assertThat(holder(db, stuck)).isEqualTo("node_a");
            assertThat(a.taken).hasSize(3);
        }
    }

    private static String holder(PostgresCluster.Database db, SessionId id) throws Exception {
        try (var c = DriverManager.getConnection(db.jdbcUrl(), db.user(), ""); var ps = c.prepareStatement("SELECT node FROM session_lease WHERE session_id = ?")) {
            ps.setString(1, id.value());
            try (var rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static void await(BooleanSupplier done) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < end) {
            if (done.getAsBoolean()) return;
            Thread.sleep(50);
        }
        throw new AssertionError("not within 30 s");
    }
}
