package dev.lathe.core.store.postgresql;

import dev.lathe.core.store.MessageStore;
import dev.lathe.core.store.Recovery;
import dev.lathe.core.cluster.SessionLeases;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.session.MessageError;
import dev.lathe.protocol.session.SessionStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@link SessionLeases} in the {@code session_lease} and {@code session_work} tables. One thread per node takes leases:
 * at once when a prompt is queued on any node (the queueing node sends {@code NOTIFY lathe_work}, which every node's
 * event feed hears: {@link #workQueued}), and every {@link #POLL} as a safety net (a notification lost while a feed
 * reconnects, a lease that expired, room that freed up). It renews the leases of sessions it runs every third of the
 * lease, and lets go of a lease once its session has not run for two renewals in a row (a runner between two of its
 * turns is not idle). Expiry is by the database's clock, {@code now()}: a node whose clock is off cannot steal a lease.
 *
 * <p>Taking and letting go happen under one local lock, and a session is woken under it, so a lease is never let go
 * while this node starts a run of its session. A lease taken from a node that stopped renewing first closes what that
 * node left open in the session (its running tool calls failed as interrupted, its answer closed), then runs the
 * session's waiting prompts: the prompt the dead node was answering is not answered again.
 */
final class PgSessionLeases implements SessionLeases, LeaseNotices, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(PgSessionLeases.class.getName());
    /** How often a node looks for work no notification told it of. */
    static final Duration POLL = Duration.ofSeconds(1);
    /** The channel a node that queues work notifies (the payload: the session's id), heard by every node's feed. */
    static final String CHANNEL = "lathe_work";
    /** The channel a node that asks to stop a session notifies (the payload: the session's id), heard by every node's feed. */
    static final String STOP_CHANNEL = "lathe_stop";
    /**
     * The queue depth: sessions with a prompt waiting that no live node holds. deploy/kubernetes/scaledobject.yaml's KEDA
     * query is the same text: change both together (DeployScalingTest runs that one against nodes' real queue).
     */
    static final String QUEUE_DEPTH = "SELECT count(*) FROM session_work w WHERE NOT EXISTS (SELECT 1 FROM session_lease l"
            + " WHERE l.session_id = w.session_id AND l.expires_at >= now())";
    /** Sessions one node takes per pass at most. */
    private static final int ROOM = 64;

    private final PgDb db;
    private final MessageStore messages;
    private final PgTeamStatuses statuses;
    private final String node;
    private final Duration lease;
    /** Sessions this node runs at once at most ({@code --max-sessions}); 0: no bound. */
    private final int maxSessions;
    private final Duration poll;
    private final ReentrantLock lock = new ReentrantLock();
    /** The leases this node holds, with how many renewals in a row found the session not running. */
    private final Map<SessionId, Integer> held = new HashMap<>();
    /** Sessions taken from dead nodes whose repair has not succeeded yet (under {@link #lock}). */
    private final Set<SessionId> unrepaired = new LinkedHashSet<>();
    private final Object wake = new Object();
    private boolean claimSoon;
    private volatile boolean closed;
    /** The node drains (DESIGN §34): it takes no session any more, and lets go of each once it stops running it. */
    private volatile boolean draining;
    /** What this node runs, once {@link #start}ed. */
    private volatile Runs runs;
    private Thread thread;

    PgSessionLeases(PgDb db, MessageStore messages, PgTeamStatuses statuses, String node, Duration lease, int maxSessions, Duration poll) {
        this.db = db;
        this.poll = poll;
        this.messages = messages;
        this.statuses = statuses;
        this.node = node;
        this.lease = lease;
        this.maxSessions = maxSessions;
    }

    @Override
    public synchronized void start(Runs runs) {
        if (thread != null) throw new IllegalStateException("the leases are started once");
        this.runs = runs;
        thread = Thread.ofPlatform().name("lathe-leases").daemon().start(() -> loop(runs));
    }

    /**
     * The node a prompt came through takes the session itself when it can, in the transaction that would queue it: no
     * live node holds it (or this one does) and it has room. Only otherwise is the work queued and every node notified.
     * Queued first, the prompt's own node won only by its head start over the nodes that heard the notification (a
     * member prompted through node B of a team server ran on A now and then, a CI failure).
     */
    @Override
    public void queue(SessionId id) {
        Runs here = runs;
        boolean takenHere;
        // the pool's wait (seconds, when it is exhausted) is spent before the lock, which renewals need
        try (Connection c = db.connection()) {
            lock.lock();
            try {
                takenHere = PgDb.inTransaction(c, tx -> {
                    // the work row (when one waits) is locked before the lease, in the order a claim takes them (the other
                    // order deadlocked with one); kept when the session stays queued, so it keeps its place
                    try (PreparedStatement ps = tx.prepareStatement("SELECT 1 FROM session_work WHERE session_id = ? FOR UPDATE")) {
                        ps.setString(1, id.value());
                        ps.executeQuery().close();
                    }
                    // a session taken from a dead node waits for its repair, which the claim loop does first
                    if (here != null && !closed && !draining && !unrepaired.contains(id) && hasRoomFor(here, id) && takeIfFree(tx, id.value())) {
                        delete(tx, "DELETE FROM session_work WHERE session_id = ?", id.value());
                        return true;
                    }
                    try (PreparedStatement ps = tx.prepareStatement("INSERT INTO session_work(session_id) VALUES (?) ON CONFLICT (session_id) DO NOTHING");
                            PreparedStatement notify = tx.prepareStatement("SELECT pg_notify('" + CHANNEL + "', ?)")) {
                        ps.setString(1, id.value());
                        ps.executeUpdate();
                        notify.setString(1, id.value());
                        notify.execute();  // delivered at commit, once the row is there to claim
                    }
                    return false;
                });
                if (takenHere) run(here, id);
            } finally {
                lock.unlock();
            }
        } catch (SQLException e) {
            throw db.failure("cannot queue the prompt", e);
        }
        if (!takenHere) workQueued();
    }

    /** This node holds the session's lease now: it is renewed from here on, and its waiting prompts run (under {@link #lock}). */
    private void run(Runs runs, SessionId id) {
        held.put(id, 0);
        try {
            runs.take(id);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot run " + id + " after taking its lease", e);
        }
    }

    /** Whether this node may start the session now: it runs it already, or it has room under {@code --max-sessions}. */
    private boolean hasRoomFor(Runs here, SessionId id) {
        return maxSessions <= 0 || here.running(id) || here.runningCount() < maxSessions;
    }

    /**
     * Takes the session's lease when nobody holds it, or renews it when this node does; false when another node's lease
     * is there, live or expired (a dead node's session is taken over by {@link #claim}, which repairs it first). Two
     * nodes inserting at once: the second finds the first's row and takes nothing.
     */
    private boolean takeIfFree(Connection c, String id) throws SQLException {
        return writeLease(c, id, "heartbeat = EXCLUDED.heartbeat, expires_at = EXCLUDED.expires_at WHERE session_lease.node = EXCLUDED.node") == 1;
    }

    /** Writes this node's lease of the session, {@code onConflict} saying what becomes of a row already there; the rows written. */
    private int writeLease(Connection c, String id, String onConflict) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO session_lease(session_id, node, heartbeat, expires_at)"
                + " VALUES (?, ?, now(), now() + make_interval(secs => ?)) ON CONFLICT (session_id) DO UPDATE SET " + onConflict)) {
            ps.setString(1, id);
            ps.setString(2, node);
            ps.setDouble(3, lease.toMillis() / 1000.0);
            return ps.executeUpdate();
        }
    }

    @Override
    public void stop(SessionId id) {
        Runs here = runs;
        if (here != null && here.running(id)) {
            here.abort(id);
            return;
        }
        // the node that runs it hears this through its feed; every node does, and only the one running it acts
        try (Connection c = db.connection()) {
            PgDb.inTransaction(c, tx -> {
                try (PreparedStatement notify = tx.prepareStatement("SELECT pg_notify('" + STOP_CHANNEL + "', ?)")) {
                    notify.setString(1, id.value());
                    notify.execute();
                }
                return null;
            });
        } catch (SQLException e) {
            throw db.failure("cannot ask the node running the session to stop it", e);
        }
    }

    @Override
    public void stopRequested(String sessionId) {
        Runs here = runs;
        if (here == null || sessionId == null) return;
        SessionId id;
        try {
            id = new SessionId(sessionId);
        } catch (IllegalArgumentException e) {
            return;  // not a session id: nothing of ours to stop
        }
        if (here.running(id)) here.abort(id);
    }

    /** Work was queued (here, or on a node whose {@code NOTIFY} this node's feed heard): the claim runs at once. */
    @Override
    public void workQueued() {
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
                    if (!claimSoon && !closed) wake.wait(Math.min(poll.toMillis(), Math.max(1, nextRenew - System.currentTimeMillis())));
                } catch (InterruptedException e) {
                    return;
                }
                claimSoon = false;
            }
        }
    }

    /** Takes the leases of sessions with a prompt waiting that no other live node holds, and of dead nodes' sessions. */
    void claim(Runs runs) throws SQLException {
        if (draining) return;
        lock.lock();
        try {
            List<SessionId> taken = new ArrayList<>();
            List<SessionId> takenOver = new ArrayList<>();
            boolean[] leftForRoom = {false};
            // a node at its bound still answers the sessions it runs (their prompts join the running turn loop); a session
            // it would start is left queued, unlocked once this transaction ends, for a node with room
            int[] busy = {maxSessions > 0 ? runs.runningCount() : 0};
            try (Connection c = db.connection()) {
                PgDb.inTransaction(c, tx -> {
                    for (String id : select(tx, "SELECT w.session_id FROM session_work w WHERE NOT EXISTS (SELECT 1 FROM session_lease l"
                            + " WHERE l.session_id = w.session_id AND l.node <> ? AND l.expires_at >= now()) ORDER BY w.queued_at LIMIT ?"
                            + " FOR UPDATE OF w SKIP LOCKED")) {
                        boolean starts = !runs.running(new SessionId(id));
                        if (maxSessions > 0 && starts && busy[0] >= maxSessions) {
                            leftForRoom[0] = true;
                            continue;
                        }
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
            takenOver.forEach(id -> held.put(id, 0));
            unrepaired.addAll(takenOver);
            taken.addAll(repairTakenOver(runs));
            for (SessionId id : taken) run(runs, id);
            // the clients of sessions left waiting hear their place (a queued run says it waits, the board shows it)
            if (leftForRoom[0]) runs.leftWaiting(waiting());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Closes what dead nodes left running in the sessions taken from them and in their children (subagents ran on the
     * same node) as interrupted; returns the sessions repaired, whose waiting prompts may run now. When the database
     * fails meanwhile, nothing is returned and the repair is tried again at the next pass (their leases are held).
     */
    private List<SessionId> repairTakenOver(Runs runs) {
        if (unrepaired.isEmpty()) return List.of();
        try {
            List<SessionId> roots = List.copyOf(unrepaired);
            Set<SessionId> family = withChildren(roots);
            int repaired = Recovery.repair(messages, family::contains);
            try (Connection c = db.connection()) {
                PgTeamStatuses.forget(c, family.stream().map(SessionId::value).toList());
            }
            LOG.log(System.Logger.Level.INFO, "took over {0} from nodes that stopped renewing; closed {1} interrupted parts/messages"
                    + " in them and their {2} child sessions", roots, repaired, family.size() - roots.size());
            unrepaired.clear();
            runs.stopped(family);
            return roots;
        } catch (SQLException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot repair the sessions taken over yet: {0}", db.failure("repair", e).getMessage());
            return List.of();
        }
    }

    /**
     * Before letting go of idle sessions: a run that ended while the database was away could not close its answer (the
     * write failed), and nothing else would, since this node is alive and holds the lease. No run of them is under way
     * (the lock is held, and none started since the last two renewals), so what is open in them is such a leftover.
     */
    private void closeLeftOpen(Runs runs, List<SessionId> idle) throws SQLException {
        if (idle.isEmpty()) return;
        Set<SessionId> family = withChildren(idle);
        int closed = Recovery.repair(messages, s -> family.contains(s) && !runs.running(s), STORE_AWAY);
        if (closed > 0) LOG.log(System.Logger.Level.WARNING, "closed {0} parts/messages left open in {1} by a run that ended while the database was away", closed, idle);
    }

    /** Why {@link #closeLeftOpen} closed an answer. */
    static final MessageError STORE_AWAY = new MessageError("store_unavailable",
            "the session store was not reachable when this answer ended; it was closed once the store answered again");

    /** The sessions and every session started under them (subagents' children, theirs, …). */
    private Set<SessionId> withChildren(List<SessionId> roots) throws SQLException {
        Set<SessionId> out = new LinkedHashSet<>(roots);
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement("WITH RECURSIVE tree(id) AS (SELECT unnest(?::text[]) COLLATE \"C\""
                + " UNION SELECT s.id FROM session s JOIN tree t ON s.parent_id = t.id) SELECT id FROM tree")) {
            ps.setArray(1, c.createArrayOf("text", roots.stream().map(SessionId::value).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(new SessionId(rs.getString(1)));
            }
        }
        return out;
    }

    /** Any live node may take a session's lease, on a machine of its own. */
    @Override
    public boolean mayRunElsewhere() { return true; }

    @Override
    public boolean busyElsewhere(SessionId id) {
        try (Connection c = db.connection();
                PreparedStatement ps = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM session_lease WHERE session_id = ? AND node <> ? AND expires_at >= now())")) {
            ps.setString(1, id.value());
            ps.setString(2, node);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        } catch (SQLException e) {
            throw db.failure("cannot read who runs " + id, e);
        }
    }

    @Override
    public long queueDepth() {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(QUEUE_DEPTH); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw db.failure("cannot read the team's queue", e);
        }
    }

    @Override
    public int held() {
        lock.lock();
        try {
            return held.size();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Map<SessionId, SessionStatus.Queued> waiting() {
        Runs here = runs;
        // a session that runs (here, or on a node whose status row is live) is not waiting, whatever its queue row says
        String sql = "SELECT w.session_id, l.node FROM session_work w LEFT JOIN session_lease l ON l.session_id = w.session_id"
                + " AND l.node <> ? AND l.expires_at >= now() WHERE NOT EXISTS (SELECT 1 FROM session_run r WHERE r.session_id = w.session_id"
                + " AND r.node = l.node) ORDER BY w.queued_at, w.session_id";
        Map<SessionId, SessionStatus.Queued> out = new java.util.LinkedHashMap<>();
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, node);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    SessionId id = new SessionId(rs.getString(1));
                    if (here != null && here.running(id)) continue;
                    out.put(id, new SessionStatus.Queued(out.size() + 1, waitsFor(java.util.Optional.ofNullable(rs.getString(2)), here)));
                }
            }
        } catch (SQLException e) {
            throw db.failure("cannot read the team's queue", e);
        }
        return out;
    }

    /** What a waiting session waits for, as far as this node knows: the node that holds it, or room on one. */
    private String waitsFor(java.util.Optional<String> holder, Runs here) {
        if (holder.isPresent()) return "node " + holder.get() + ", which holds the session, to have room";
        if (maxSessions > 0 && here != null && here.runningCount() >= maxSessions) {
            return "a node with room (this node, " + node + ", runs " + here.runningCount() + " of its --max-sessions " + maxSessions + ")";
        }
        return "a node to take it";
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
        // conditional: a lease another node wrote since the check (queue takes one without a work row to lock) is kept
        if (writeLease(c, id, "node = EXCLUDED.node, heartbeat = EXCLUDED.heartbeat, expires_at = EXCLUDED.expires_at"
                + " WHERE session_lease.node = EXCLUDED.node OR session_lease.expires_at < now()") == 0) return null;
        return before != null && !before.equals(node);
    }

    /** Renews the leases of sessions running here; lets go of those idle at two renewals in a row. */
    void renew(Runs runs) throws SQLException {
        lock.lock();
        try {
            if (held.isEmpty()) {
                try (Connection c = db.connection()) {
                    statuses.keepOnly(c, runs.running());
                }
                return;
            }
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
            // one pooled connection at a time, each for its statements only: closeLeftOpen reads and writes through the pool
            // and the writer, and a connection held across it would wait on the pool's other connections (a pool of one:
            // for ever)
            try (Connection c = db.connection()) {
                // a status write lost while the database was away leaves no session busy for ever
                statuses.keepOnly(c, runs.running());
                try (PreparedStatement ps = c.prepareStatement("UPDATE session_lease SET heartbeat = now(), expires_at = now() + make_interval(secs => ?)"
                        + " WHERE node = ? AND session_id = ANY (?)")) {
                    ps.setDouble(1, lease.toMillis() / 1000.0);
                    ps.setString(2, node);
                    ps.setArray(3, c.createArrayOf("text", keep.toArray()));
                    ps.executeUpdate();
                }
            }
            if (idle.isEmpty()) return;
            closeLeftOpen(runs, idle);
            try (Connection c = db.connection()) {
                for (SessionId id : idle) {
                    letGo(c, runs, id);
                    unrepaired.remove(id);  // closed just above (closeLeftOpen)
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Deletes this node's lease of the session (under {@link #lock}); while the node drains, a prompt of the session that
     * waits is queued first, in the same transaction, for whichever node takes it (they are told at once): its runner
     * here started no turn for it, and no other node would know it waits.
     */
    private void letGo(Connection c, Runs runs, SessionId id) throws SQLException {
        boolean handOver = draining && runs.promptWaits(id);
        PgDb.inTransaction(c, tx -> {
            if (handOver) {
                try (PreparedStatement ps = tx.prepareStatement("INSERT INTO session_work(session_id) VALUES (?) ON CONFLICT (session_id) DO NOTHING")) {
                    ps.setString(1, id.value());
                    ps.executeUpdate();
                }
            }
            try (PreparedStatement ps = tx.prepareStatement("DELETE FROM session_lease WHERE session_id = ? AND node = ?")) {
                ps.setString(1, id.value());
                ps.setString(2, node);
                ps.executeUpdate();
            }
            // queued during the drain (or just above), it waited behind this node's live lease: the others may take it now
            try (PreparedStatement notify = tx.prepareStatement("SELECT pg_notify('" + CHANNEL + "', ?)")) {
                notify.setString(1, id.value());
                notify.execute();
            }
            return null;
        });
        held.remove(id);
    }

    @Override
    public void drain() {
        draining = true;
    }

    @Override
    public void release() {
        Runs here = runs;
        if (here == null) return;
        lock.lock();
        try {
            List<SessionId> stopped = held.keySet().stream().filter(id -> !here.running(id)).toList();
            try (Connection c = db.connection()) {
                for (SessionId id : stopped) letGo(c, here, id);
                statuses.keepOnly(c, here.running());
            }
            LOG.log(System.Logger.Level.INFO, "drained: let go of {0} sessions; {1} still running keep their leases until they expire",
                    stopped.size(), held.size());
        } catch (SQLException e) {
            // the leases left expire; another node takes the sessions over then, as after a crash
            LOG.log(System.Logger.Level.WARNING, "drain: cannot let go of the leases: {0}", db.failure("release", e).getMessage());
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
