package dev.lathe.core.store.postgresql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.core.permission.PermissionBroker;
import dev.lathe.core.cluster.SessionLeases;
import dev.lathe.core.cluster.TeamNode;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PermissionId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.PermissionReplyRequest;
import dev.lathe.protocol.event.PermissionReply;
import dev.lathe.protocol.event.PermissionRequest;
import dev.lathe.testkit.PostgresCluster;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Asks and statuses shared between two nodes in one JVM (DESIGN §20, decisions 280-281): an ask opened on node B is
 * listed on node A and answered through it, once; a second answer or an unknown id is refused; the ask leaves every
 * list when B stops holding a live lease. B's status of a session is seen on A and gone when B says idle.
 */
class PgTeamAsksTest {
    private static final Duration LEASE = Duration.ofSeconds(2);

    /** Node B runs the session for as long as the test says. */
    private static final class Runs implements SessionLeases.Runs {
        volatile boolean running = true;

        @Override public boolean running(SessionId id) { return running; }

        @Override public void take(SessionId id) {}

        @Override public List<SessionId> running() { return running ? List.of(new SessionId("ses_asks_1")) : List.of(); }

        @Override public void stopped(Set<SessionId> sessions) {}

        @Override public void abort(SessionId id) {}

        @Override public int runningCount() { return running ? 1 : 0; }
    }

    @Test
    void anAskOpenOnOneNodeIsListedAndAnsweredOnceThroughTheOtherAndLeavesWithItsNodesLease() throws Exception {
        var db = PostgresCluster.shared().newDatabase("asks");
        var session = new SessionId("ses_asks_1");
        var runs = new Runs();
        try (var a = PostgresStorage.open(db.url(), new TeamNode("node_a", LEASE)); var b = PostgresStorage.open(db.url(), new TeamNode("node_b", LEASE))) {
            b.cluster().events().start(_ -> {});
            b.cluster().leases().start(runs);
            b.cluster().leases().queue(session);
            await(() -> holder(db).equals("node_b"));
            var onA = new PermissionBroker(a.cluster().asks());
            var onB = new PermissionBroker(b.cluster().asks());
            var ask = new PermissionRequest(PermissionId.next(), session, MessageId.next(), "call_1", "bash", List.of("echo hi"), List.of("echo *"),
                    "echo hi", Map.of(), System.currentTimeMillis());
            onB.open(ask, "/work/project");
            var answer = CompletableFuture.supplyAsync(() -> {
                try {
                    return onB.await(ask.id());
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(onA.pending("")).containsExactly(ask);
            assertThat(onA.pending("/work/project")).containsExactly(ask);
            assertThat(onA.pending("/elsewhere")).isEmpty();
            assertThatThrownBy(() -> onA.reply(PermissionId.next(), PermissionReplyRequest.of(PermissionReply.ONCE)))
                    .isInstanceOf(LatheException.NotFound.class);

            assertThat(onA.reply(ask.id(), PermissionReplyRequest.of(PermissionReply.ONCE))).isEqualTo(ask);
            // answered once: through B now, a second answer is refused (taken, or gone once B's call stopped waiting)
            assertThatThrownBy(() -> onB.reply(ask.id(), PermissionReplyRequest.of(PermissionReply.REJECT)))
                    .isInstanceOfAny(LatheException.Conflict.class, LatheException.NotFound.class);
            assertThat(answer.get(60, TimeUnit.SECONDS).reply()).isEqualTo(PermissionReply.ONCE);
            await(() -> onA.pending("").isEmpty());

            // a status B gives is seen on A, and goes when B says idle
            b.cluster().statuses().announce(session, "{\"status\":{\"type\":\"busy\"}}");
            assertThat(a.cluster().statuses().elsewhere()).containsEntry(session, "{\"status\":{\"type\":\"busy\"}}");
            assertThat(a.cluster().statuses().elsewhere(session)).isPresent();
            assertThat(b.cluster().statuses().elsewhere()).isEmpty();  // a node's own runs are not "elsewhere"
            b.cluster().statuses().announce(session, null);
            assertThat(a.cluster().statuses().elsewhere()).isEmpty();

            // an ask of a node whose leases expired (a dead node) is no longer open anywhere
            var late = new PermissionRequest(PermissionId.next(), session, MessageId.next(), "call_2", "bash", List.of("ls"), List.of("ls *"),
                    "ls", Map.of(), System.currentTimeMillis());
            onB.open(late, "/work/project");
            b.cluster().statuses().announce(session, "{\"status\":{\"type\":\"waiting\"}}");
            assertThat(onA.pending("")).containsExactly(late);
            ((PgSessionLeases) b.cluster().leases()).close();  // B stops renewing, as a killed node
            expire(db);
            assertThat(onA.pending("")).isEmpty();
            assertThat(a.cluster().statuses().elsewhere()).isEmpty();
            assertThatThrownBy(() -> onA.reply(late.id(), PermissionReplyRequest.of(PermissionReply.ONCE))).isInstanceOf(LatheException.NotFound.class);
            runs.running = false;
        }
    }

    private static String holder(PostgresCluster.Database db) throws Exception {
        try (var c = java.sql.DriverManager.getConnection(db.jdbcUrl(), db.user(), ""); var s = c.createStatement();
                var rs = s.executeQuery("SELECT node FROM session_lease")) {
            return rs.next() ? rs.getString(1) : "";
        }
    }

    /** As if node B stopped renewing long ago (its leases expired by the database's clock). */
    private static void expire(PostgresCluster.Database db) throws Exception {
        try (var c = java.sql.DriverManager.getConnection(db.jdbcUrl(), db.user(), ""); var s = c.createStatement()) {
            s.executeUpdate("UPDATE session_lease SET expires_at = now() - interval '1 hour'");
        }
    }

    private interface Check {
        boolean done() throws Exception;
    }

    private static void await(Check check) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!check.done()) {
            if (System.nanoTime() > end) throw new AssertionError("timed out");
            Thread.sleep(50);
        }
    }
}
