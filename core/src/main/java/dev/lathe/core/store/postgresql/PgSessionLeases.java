package dev.lathe.core.store.postgresql;

import dev.lathe.core.store.MessageStore;
import dev.lathe.core.store.Recovery;
import dev.lathe.core.store.SessionLeases;
import dev.lathe.protocol.SessionId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@link SessionLeases} in the {@code session_lease} and {@code session_work} tables. One thread per node takes leases
 * (every {@link #TICK}, and at once when a prompt is queued here), renews those of sessions it runs every third of the
 * lease, and lets go of a lease once its session has not run for two renewals in a row (a runner between two of its
 * turns is not idle). Expiry is by the database's clock, {@code now()}: a node whose clock is off cannot steal a lease.
 *
 * <p>Taking and letting go happen under one local lock, and a session is woken under it, so a lease is never let go
 * while this node starts a run of its session. A lease taken from a node that stopped renewing first closes what that
 * node left open in the session (its running tool calls failed as interrupted, its answer closed), then runs the
 * session's waiting prompts: the prompt the dead node was answering is not answered again.
 */
final class PgSessionLeases implements SessionLeases, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(PgSessionLeases.class.getName());
    private static final Duration TICK = Duration.ofSeconds(1);
    /** Sessions one node takes per pass at most. */
    private static final int ROOM = 64;

    private final PgDb db;
    private final MessageStore messages;
    private final String node;
    private final Duration lease;
    /** Sessions this node runs at once at most ({@code --max-sessions}); 0: no bound. */
    private final int maxSessions;
    private final ReentrantLock lock = new ReentrantLock();
    /** The leases this node holds, with how many renewals in a row found the session not running. */
    private final Map<SessionId, Integer> held = new HashMap<>();
    private final Object wake = new Object();
    private boolean claimSoon;
    private volatile boolean closed;
    private Thread thread;

    PgSessionLeases(PgDb db, MessageStore messages, String node, Duration lease, int maxSessions) {
        this.db = db;
        this.messages = messages;
        this.node = node;
        this.lease = lease;
        this.maxSessions = maxSessions;
    }

    @Override
    public synchronized void start(Runs runs) {
        if (thread != null) throw new IllegalStateException("the leases are started once");
        thread = Thread.ofPlatform().name("lathe-leases").daemon().start(() -> loop(runs));
    }

    @Override
    public void queue(SessionId id) {
        try (Connection c = db.connection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO session_work(session_id) VALUES (?) ON CONFLICT (session_id) DO NOTHING")) {
            ps.setString(1, id.value());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw db.failure("cannot queue the prompt", e);
        }
        synchronized (wake) {
            claimSoon = true;
            wake.notifyAll();
        }
    }

    private void loop(Runs runs) {
        long renewEvery = Math.max(200, lease.toMillis() / 3);
        long nextRenew = 0;
        while (!closed) {
            try {
                claim(runs);
                if (System.currentTimeMillis() >= nextRenew) {
                    renew(runs);
                    nextRenew = System.currentTimeMillis() + renewEvery;
                }
            } catch (SQLException | RuntimeException e) {
                if (closed) return;
                LOG.log(System.Logger.Level.WARNING, "session leases: {0}", db.failure("cannot take or renew leases", e).getMessage());
            }
            synchronized (wake) {
                try {
                    if (!claimSoon && !closed) wake.wait(Math.min(TICK.toMillis(), Math.max(1, nextRenew - System.currentTimeMillis())));
                } catch (InterruptedException e) {
                    return;
                }
                claimSoon = false;
            }
        }
    }

    /** Takes the leases of sessions with a prompt waiting that no other live node holds, and of dead nodes' sessions. */
    void claim(Runs runs) throws SQLException {
        lock.lock();
        try {
            List<SessionId> taken = new ArrayList<>();
            List<SessionId> takenOver = new ArrayList<>();
            // a node at its bound still answers the sessions it runs (their prompts join the running turn loop); a session
            // it would start is left queued, unlocked once this transaction ends, for a node with room
            int[] busy = {maxSessions > 0 ? runs.runningCount() : 0};
            try (Connection c = db.connection()) {
                PgDb.inTransaction(c, tx -> {
                    for (String id : select(tx, "SELECT w.session_id FROM session_work w WHERE NOT EXISTS (SELECT 1 FROM session_lease l"
                            + " WHERE l.session_id = w.session_id AND l.node <> ? AND l.expires_at >= now()) ORDER BY w.queued_at LIMIT ?"
                            + " FOR UPDATE OF w SKIP LOCKED")) {
                        boolean starts = !runs.running(new SessionId(id));
                        if (maxSessions > 0 && starts && busy[0] >= maxSessions) continue;
                        Boolean fromDead = take(tx, id);
                        if (fromDead == null) continue;
                        if (starts) busy[0]++;
                        delete(tx, "DELETE FROM session_work WHERE session_id = ?", id);
                        (fromDead ? takenOver : taken).add(new SessionId(id));
                    }
                    // a dead node's sessions with nothing queued: what it left running is closed all the same
                    for (String id : select(tx, "SELECT session_id FROM session_lease WHERE node <> ? AND expires_at < now() LIMIT ? FOR UPDATE SKIP LOCKED")) {
                        if (take(tx, id) != null) takenOver.add(new SessionId(id));
                    }
                    return null;
                });
            }
            if (!takenOver.isEmpty()) {
                int repaired = Recovery.repair(messages, takenOver::contains);
                LOG.log(System.Logger.Level.INFO, "took over {0} from nodes that stopped renewing; closed {1} interrupted parts/messages", takenOver, repaired);
            }
            taken.addAll(takenOver);
            for (SessionId id : taken) {
                held.put(id, 0);
                try {
                    runs.take(id);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "cannot run " + id + " after taking its lease", e);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean busyElsewhere(SessionId id) {
        try (Connection c = db.connection();
                PreparedStatement ps = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM session_work WHERE session_id = ?)"
                        + " OR EXISTS (SELECT 1 FROM session_lease WHERE session_id = ? AND node <> ? AND expires_at >= now())")) {
            ps.setString(1, id.value());
            ps.setString(2, id.value());
            ps.setString(3, node);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        } catch (SQLException e) {
            throw db.failure("cannot read who runs " + id, e);
        }
    }

    private List<String> select(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, node);
            ps.setInt(2, ROOM);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getString(1));
            }
        }
        return out;
    }

    /**
     * Takes (or keeps) the session's lease; null when a live node holds it, else whether it was taken from a node whose
     * lease had expired (a dead one). The row is locked first, so two nodes never both take it.
     */
    private Boolean take(Connection c, String id) throws SQLException {
        String before = null;
        try (PreparedStatement ps = c.prepareStatement("SELECT node, expires_at < now() FROM session_lease WHERE session_id = ? FOR UPDATE")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    if (!rs.getString(1).equals(node) && !rs.getBoolean(2)) return null;
                    before = rs.getString(1);
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO session_lease(session_id, node, heartbeat, expires_at)"
                + " VALUES (?, ?, now(), now() + make_interval(secs => ?)) ON CONFLICT (session_id) DO UPDATE"
                + " SET node = EXCLUDED.node, heartbeat = EXCLUDED.heartbeat, expires_at = EXCLUDED.expires_at")) {
            ps.setString(1, id);
            ps.setString(2, node);
            ps.setDouble(3, lease.toMillis() / 1000.0);
            ps.executeUpdate();
        }
        return before != null && !before.equals(node);
    }

    /** Renews the leases of sessions running here; lets go of those idle at two renewals in a row. */
    void renew(Runs runs) throws SQLException {
        lock.lock();
        try {
            if (held.isEmpty()) return;
            List<String> keep = new ArrayList<>();
            List<SessionId> idle = new ArrayList<>();
            for (var e : held.entrySet()) {
                if (runs.running(e.getKey())) {
                    e.setValue(0);
                    keep.add(e.getKey().value());
                } else if (e.getValue() >= 1) {
                    idle.add(e.getKey());
                } else {
                    e.setValue(1);
                    keep.add(e.getKey().value());
                }
            }
            try (Connection c = db.connection()) {
                try (PreparedStatement ps = c.prepareStatement("UPDATE session_lease SET heartbeat = now(), expires_at = now() + make_interval(secs => ?)"
                        + " WHERE node = ? AND session_id = ANY (?)")) {
                    ps.setDouble(1, lease.toMillis() / 1000.0);
                    ps.setString(2, node);
                    ps.setArray(3, c.createArrayOf("text", keep.toArray()));
                    ps.executeUpdate();
                }
                for (SessionId id : idle) {
                    try (PreparedStatement ps = c.prepareStatement("DELETE FROM session_lease WHERE session_id = ? AND node = ?")) {
                        ps.setString(1, id.value());
                        ps.setString(2, node);
                        ps.executeUpdate();
                    }
                    held.remove(id);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private static void delete(Connection c, String sql, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, id);
            ps.executeUpdate();
        }
    }

    @Override
    public void close() {
        closed = true;
        synchronized (wake) {
            wake.notifyAll();
        }
        Thread running;
        synchronized (this) {
            running = thread;
        }
        if (running != null) {
            try {
                running.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
