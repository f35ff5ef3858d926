package dev.lathe.core.store.postgresql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.cluster.SessionLeases;
import dev.lathe.core.cluster.TeamNode;
import dev.lathe.protocol.SessionId;
import dev.lathe.testkit.PostgresCluster;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Queued work wakes the nodes at once (issue 45): a prompt queued through node A sends {@code NOTIFY lathe_work}, which
 * B's event feed hears, so B claims it then rather than at its next poll. The poll and the lease here are half an hour
 * long, so only the notification can wake B within the test's bound (no race on timings: without it B would wait 30 min).
 */
class PgWorkNotifyTest {
    private static final Duration LONG = Duration.ofMinutes(30);


    @Test
    void workQueuedThroughOneNodeWakesTheHolderOrANodeWithRoomAtOnceNotAtItsPoll() throws Exception {
        var db = PostgresCluster.shared().newDatabase("work_notify");
        var url = PostgresUrl.parse(db.url());
        var pool = PgDb.Pool.forSessions(0);
        try (var storeA = PostgresStorage.open(url, new TeamNode("node_a", LONG), pool, LONG);
                var storeB = PostgresStorage.open(url, new TeamNode("node_b", LONG), pool, LONG)) {
            var b = new RecordingRuns();
            storeB.cluster().events().start(_ -> {});  // B's feed: what LISTENs (a node's event bus starts it)
            SessionLeases leasesB = storeB.cluster().leases();
            leasesB.start(b);
            // the first claim at start finds nothing; B then sleeps for its poll (30 min) unless notified
            Thread.sleep(500);
            SessionLeases leasesA = storeA.cluster().leases();  // A queues only: its leases never run
            var first = new SessionId("ses_notify_1");
            leasesA.queue(first);
            await(() -> b.taken.contains(first));  // unleased work: a node with room (B) takes it
            // B holds the lease and runs the session: a prompt queued through A is the holder's, and wakes it too
            leasesA.queue(first);
            await(() -> b.taken.size() == 2);
            assertThat(b.taken).containsExactly(first, first);
        }
    }

    /**
     * A user's stop sent through a node that does not run the session (the TUI's Esc, the web's stop, an interrupting
     * prompt) reaches the node that runs it, through {@code NOTIFY lathe_stop}; a node that does not run it does nothing.
     */
    @Test
    void aStopSentThroughOneNodeStopsTheSessionOnTheNodeRunningIt() throws Exception {
        var db = PostgresCluster.shared().newDatabase("stop_notify");
        var url = PostgresUrl.parse(db.url());
        var pool = PgDb.Pool.forSessions(0);
        try (var storeA = PostgresStorage.open(url, new TeamNode("node_a", LONG), pool, LONG);
                var storeB = PostgresStorage.open(url, new TeamNode("node_b", LONG), pool, LONG)) {
            var a = new RecordingRuns();
            var b = new RecordingRuns();
            storeA.cluster().events().start(_ -> {});
            storeB.cluster().events().start(_ -> {});
            storeA.cluster().leases().start(a);
            storeB.cluster().leases().start(b);
            var running = new SessionId("ses_stop_1");
            b.running.add(running);
            Thread.sleep(500);  // both feeds listen

            storeA.cluster().leases().stop(running);
            await(() -> b.aborted.contains(running));
            assertThat(a.aborted).as("the node not running it stops nothing").isEmpty();

            // on the node running it, the stop acts at once, without a notification
            storeB.cluster().leases().stop(running);
            assertThat(b.aborted).containsExactly(running, running);
        }
    }

    private static void await(java.util.function.BooleanSupplier done) throws InterruptedException {
        // far below the 30 min poll, far above a notification's delivery on a loaded machine
        long end = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > end) throw new AssertionError("not taken within 90 s: the node waited for its poll");
            Thread.sleep(20);
        }
    }
}
