package dev.lathe.core.store.postgresql;

import dev.lathe.core.bus.SharedEvents;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.EventEnvelope;
import dev.lathe.protocol.wire.WireJson;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The nodes' events in the {@code event} table (DESIGN §20): each node appends its own, and every node reads all of them
 * back in the table's order ({@link PgEventFeed}, woken by {@code NOTIFY} with the newest id).
 *
 * <p><b>No gaps, no duplicates.</b> A reader takes the rows after the last id it delivered. Ids from a sequence are
 * handed out at insert but become visible at commit, so a later id could be seen before an earlier one commits and the
 * earlier one would then be skipped for ever. Appends therefore take a transaction-scoped advisory lock before
 * inserting: ids are given and committed in one order across all nodes, and "every row after N" read after N was seen
 * is complete. The lock is held for one batch's insert only (every event queued meanwhile goes in one transaction).
 */
final class PgEventLog implements SharedEvents, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(PgEventLog.class.getName());
    /** "lathe-evt" as a number: the advisory lock that orders the appends of all nodes. */
    static final long APPEND_LOCK = 0x6c6174686576L;
    static final String CHANNEL = "lathe_event";
    private static final int MAX_BATCH = 512;
    /**
     * A batch's append in one round trip: the statements of one execute on an auto-commit connection run as one implicit
     * transaction (the driver sends them with one Sync), so the lock is held from before the first id is drawn until the
     * commit, and an error anywhere rolls all of it back. The rows keep their order ({@code WITH ORDINALITY}); the
     * notification is delivered at commit, after the rows are visible, and carries the newest id (listeners read all
     * after theirs). It was four round trips (lock, insert, notify, commit), each a wake-up of the database's process and
     * of this writer; the cross-node latency did not move measurably with it at the bench's load (its tail is the turns
     * holding the virtual-thread carriers, decision 372), but every batch costs both sides less.
     */
    private static final String APPEND = "SELECT pg_advisory_xact_lock(" + APPEND_LOCK + ");"
            + " INSERT INTO event(at, data) SELECT a, d FROM unnest(?::bigint[], ?::text[]) WITH ORDINALITY AS r(a, d, n) ORDER BY n;"
            + " SELECT pg_notify('" + CHANNEL + "', currval(pg_get_serial_sequence('event', 'id'))::text)";
    /** How long a batch is retried while the database is away before its events are given up (clients then refetch). */
    private static final Duration GIVE_UP = Duration.ofSeconds(60);

    private final PgDb db;
    private final Duration keep;
    private final String node;
    private final PgTeamAsks asks;
    private final LeaseNotices leases;
    private final ExecutorService writer = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("lathe-pg-events").daemon().factory());
    private final Queue<Row> queued = new ConcurrentLinkedQueue<>();
    private PgEventFeed feed;
    private volatile boolean closed;

    private record Row(long at, String data) {}

    /**
     * @param keep how long event rows are kept for clients resuming on any node before they are pruned
     * @param node this node's id, which its listener shows the database with its position ({@link NodeActivity})
     * @param asks told by the feed when an ask of this node may have been answered through another node
     * @param leases told by the feed when a node queued work or asked to stop a session ({@link PgSessionLeases})
     */
    PgEventLog(PgDb db, Duration keep, String node, PgTeamAsks asks, LeaseNotices leases) {
        this.leases = leases;
        this.db = db;
        this.keep = keep;
        this.node = node;
        this.asks = asks;
    }

    @Override
    public synchronized long start(Consumer<EventEnvelope> deliver) {
        if (feed != null) throw new IllegalStateException("the event log is started once");
        long newest = newest();
        feed = PgEventFeed.start(db.url(), node, this, asks, leases, newest, deliver);
        return newest;
    }

    @Override
    public EventEnvelope append(Optional<String> directory, Event event) {
        long at = System.currentTimeMillis();
        var unnumbered = new EventEnvelope(0, at, directory, event);
        if (closed) return unnumbered;
        queued.add(new Row(at, WireJson.writeEnvelope(unnumbered)));
        writer.execute(this::insertQueued);
        return unnumbered;
    }

    private void insertQueued() {
        List<Row> batch = new ArrayList<>();
        for (Row row; batch.size() < MAX_BATCH && (row = queued.poll()) != null; ) batch.add(row);
        if (batch.isEmpty()) return;
        long giveUpAt = System.nanoTime() + GIVE_UP.toNanos();
        for (long pause = 50; ; pause = Math.min(pause * 2, 2_000)) {
            try {
                insert(batch);
                return;
            } catch (SQLException | RuntimeException e) {
                if (closed || System.nanoTime() > giveUpAt) {
                    LOG.log(System.Logger.Level.WARNING, "gave up {0} events: {1}", batch.size(), db.failure("cannot append events", e).getMessage());
                    return;
                }
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void insert(List<Row> batch) throws SQLException {
        Long[] ats = new Long[batch.size()];
        String[] data = new String[batch.size()];
        for (int i = 0; i < ats.length; i++) {
            ats[i] = batch.get(i).at();
            data[i] = batch.get(i).data();
        }
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(APPEND)) {
            ps.setArray(1, c.createArrayOf("bigint", ats));
            ps.setArray(2, c.createArrayOf("text", data));
            ps.execute();
        }
    }

    /** The rows after {@code afterSeq}, at most {@code limit}, on {@code c}: the feed's catch-up and the resume's read. */
    static List<EventEnvelope> after(Connection c, long afterSeq, long upTo, int limit) throws SQLException {
        List<EventEnvelope> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, data FROM event WHERE id > ? AND id <= ? ORDER BY id LIMIT ?")) {
            ps.setLong(1, afterSeq);
            ps.setLong(2, upTo);
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    var stored = WireJson.readEnvelope(rs.getString(2));
                    out.add(new EventEnvelope(rs.getLong(1), stored.at(), stored.directory(), stored.event()));
                }
            }
        }
        return out;
    }

    @Override
    public Optional<List<EventEnvelope>> between(long afterSeq, long upTo, int limit) {
        try (Connection c = db.connection()) {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT MIN(id) FROM event")) {
                rs.next();
                long oldest = rs.getLong(1);
                // the rows from afterSeq + 1 on are no longer all there: pruned (or, rarely, an id a failed insert used)
                if (rs.wasNull() || afterSeq < oldest - 1) return Optional.empty();
            }
            var rows = after(c, afterSeq, upTo, limit + 1);
            return rows.size() > limit ? Optional.empty() : Optional.of(rows);
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot read events to resume: {0}", e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * The newest id handed out, read under the appends' lock so that no insert is under way: every id up to it is
     * committed (or was given up). The sequence, not {@code MAX(id)}: a table emptied by pruning still knows where it is.
     */
    @Override
    public long newest() {
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SELECT pg_advisory_xact_lock(" + APPEND_LOCK + ")");
                try (ResultSet rs = s.executeQuery("SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM event_id_seq")) {
                    rs.next();
                    return rs.getLong(1);
                }
            } finally {
                c.commit();
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw db.failure("cannot read the events", e);
        }
    }

    /** Deletes the rows older than {@link #keep} by the database's clock; returns how many. */
    int prune() throws SQLException {
        try (Connection c = db.connection();
                PreparedStatement ps = c.prepareStatement("DELETE FROM event WHERE at < (EXTRACT(EPOCH FROM now()) * 1000)::bigint - ?")) {
            ps.setLong(1, keep.toMillis());
            return ps.executeUpdate();
        }
    }

    @Override
    public void close() {
        writer.shutdown();
        try {
            writer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closed = true;
        PgEventFeed running;
        synchronized (this) {
            running = feed;
        }
        if (running != null) running.close();
    }
}
