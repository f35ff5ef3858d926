package dev.lathe.core.store.postgresql;

import dev.lathe.protocol.event.EventEnvelope;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.postgresql.PGConnection;

/**
 * One node's reader of the {@code event} table: a connection of its own ({@link OwnConnection}) that {@code LISTEN}s, and
 * on each notification (or every {@link #POLL} without one) reads every row after the last it delivered and hands them
 * on in order. When the connection breaks (the database restarted, the network dropped) it reconnects and reads on from
 * the same id, so a client misses nothing that is still in the table. It also prunes old rows now and then, and hands
 * this node the answers other nodes stored for its asks ({@code LISTEN lathe_ask}, {@link PgTeamAsks}), and tells its
 * leases when any node queued work ({@code LISTEN lathe_work}, {@link PgSessionLeases}).
 */
final class PgEventFeed implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(PgEventFeed.class.getName());
    /** A read without a notification: a safety net only (a notification sent while reconnecting is caught up anyway). */
    private static final int POLL = 2_000;
    private static final int PAGE = 1_000;
    private static final Duration PRUNE_EVERY = Duration.ofMinutes(1);

    private final PostgresUrl url;
    private final String node;
    private final PgEventLog log;
    private final PgTeamAsks asks;
    /** Told when any node queued a prompt or asked to stop a session. */
    private final LeaseNotices leases;
    private final Consumer<EventEnvelope> deliver;
    private final Thread thread;
    private volatile boolean closed;
    private volatile Connection connection;
    private long delivered;
    /** The position last shown in the connection's name (what {@code lathe doctor} reads as this node's lag). */
    private long shown = -1;
    private long shownAt;
    /** How often, at most, the position is shown while events keep coming (nanoseconds). */
    private static final long SHOW_EVERY = java.time.Duration.ofSeconds(1).toNanos();

    private PgEventFeed(PostgresUrl url, String node, PgEventLog log, PgTeamAsks asks, LeaseNotices leases, long after, Consumer<EventEnvelope> deliver) {
        this.url = url;
        this.leases = leases;
        this.node = node;
        this.log = log;
        this.asks = asks;
        this.delivered = after;
        this.deliver = deliver;
        this.thread = Thread.ofPlatform().name("lathe-pg-listen").daemon().unstarted(this::run);
    }

    static PgEventFeed start(PostgresUrl url, String node, PgEventLog log, PgTeamAsks asks, LeaseNotices leases, long after,
            Consumer<EventEnvelope> deliver) {
        var feed = new PgEventFeed(url, node, log, asks, leases, after, deliver);
        feed.thread.start();
        return feed;
    }

    private void run() {
        long nextPrune = System.nanoTime() + PRUNE_EVERY.toNanos();
        long pause = 100;
        while (!closed) {
            try (Connection c = OwnConnection.open(url, NodeActivity.listener(node, delivered))) {
                connection = c;
                shown = delivered;
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + PgEventLog.CHANNEL);
                    s.execute("LISTEN " + PgTeamAsks.CHANNEL);
                    s.execute("LISTEN " + PgSessionLeases.CHANNEL);
                    s.execute("LISTEN " + PgSessionLeases.STOP_CHANNEL);
                }
                leases.workQueued();  // after (re)connecting: work may have been queued while this node was not listening
                pause = 100;
                var pg = c.unwrap(PGConnection.class);
                org.postgresql.PGNotification[] woke = null;
                boolean askAnswered = true;  // after (re)connecting: an answer may have come while this node was not listening
                while (!closed) {
                    catchUp(c);  // first after (re)connecting: whatever came while this node was not listening
                    if (askAnswered) asks.deliverAnswered(c);
                    // while events stream, the name follows at most once a SHOW_EVERY (a round trip between two
                    // deliveries otherwise); after a quiet wait it is exact
                    if (woke == null || woke.length == 0 || System.nanoTime() - shownAt > SHOW_EVERY) showPosition(c);
                    if (System.nanoTime() > nextPrune) {
                        nextPrune = System.nanoTime() + PRUNE_EVERY.toNanos();
                        int pruned = log.prune();
                        if (pruned > 0) LOG.log(System.Logger.Level.DEBUG, "pruned {0} event rows", pruned);
                    }
                    // blocks until one comes (any event's: every read takes all rows after ours)
                    woke = pg.getNotifications(POLL);
                    askAnswered = woke != null && java.util.Arrays.stream(woke).anyMatch(n -> n.getName().equals(PgTeamAsks.CHANNEL));
                    if (woke != null && java.util.Arrays.stream(woke).anyMatch(n -> n.getName().equals(PgSessionLeases.CHANNEL))) leases.workQueued();
                    // a stop asked while this node was not listening is lost: the user's stop is theirs to send again
                    if (woke != null) {
                        for (var n : woke) {
                            if (n.getName().equals(PgSessionLeases.STOP_CHANNEL)) leases.stopRequested(n.getParameter());
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (closed) return;
                LOG.log(System.Logger.Level.WARNING, "event feed lost its connection ({0}), reconnecting: {1}", url.describe(), e.getMessage());
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException interrupted) {
                    return;
                }
                pause = Math.min(pause * 2, 2_000);
            } finally {
                connection = null;
            }
        }
    }

    private void catchUp(Connection c) throws SQLException {
        for (List<EventEnvelope> page; !(page = PgEventLog.after(c, delivered, Long.MAX_VALUE, PAGE)).isEmpty(); ) {
            for (EventEnvelope e : page) {
                deliver.accept(e);
                delivered = e.seq();
            }
            if (page.size() < PAGE) return;
        }
    }

    /**
     * Names the connection after what it has delivered, once it moved on: after the events went out, so a notification's
     * delivery never waits for it (decision 290).
     */
    private void showPosition(Connection c) throws SQLException {
        if (delivered == shown) return;
        try (var ps = c.prepareStatement("SELECT set_config('application_name', ?, false)")) {
            ps.setString(1, NodeActivity.listener(node, delivered));
            ps.execute();
        }
        shown = delivered;
        shownAt = System.nanoTime();
    }

    @Override
    public void close() {
        closed = true;
        Connection c = connection;
        if (c != null) {
            try {
                c.close();  // ends a wait for notifications
            } catch (SQLException e) {
                // closing anyway
            }
        }
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
