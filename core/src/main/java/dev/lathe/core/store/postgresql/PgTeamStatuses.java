package dev.lathe.core.store.postgresql;

import dev.lathe.core.cluster.TeamStatuses;
import dev.lathe.protocol.SessionId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@link TeamStatuses} in the {@code session_run} table (migration V011): a row per session this node runs, written at
 * each change of its status (a few per turn) and deleted when it is idle. A failed write is logged, not thrown: a turn
 * does not fail because the board of other nodes could not be told, and the lease thread's {@link #keepOnly} drops the
 * rows of sessions no longer running here once the database answers again. Rows count only while their node holds a
 * live lease ({@link PgTeamAsks#LIVE}).
 */
final class PgTeamStatuses implements TeamStatuses {
    private static final System.Logger LOG = System.getLogger(PgTeamStatuses.class.getName());

    private final PgDb db;
    private final String node;

    PgTeamStatuses(PgDb db, String node) {
        this.db = db;
        this.node = node;
    }

    @Override
    public void announce(SessionId id, String json) {
        String sql = json == null ? "DELETE FROM session_run WHERE session_id = ? AND node = ?"
                : "INSERT INTO session_run(session_id, node, status) VALUES (?, ?, ?) ON CONFLICT (session_id)"
                        + " DO UPDATE SET node = EXCLUDED.node, status = EXCLUDED.status, updated_at = now()";
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, id.value());
            ps.setString(2, node);
            if (json != null) ps.setString(3, json);
            ps.executeUpdate();
        } catch (SQLException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot share the status of {0}: {1}", id, db.failure("cannot write", e).getMessage());
        }
    }

    @Override
    public Map<SessionId, String> elsewhere() {
        Map<SessionId, String> out = new LinkedHashMap<>();
        db.query("SELECT a.session_id, a.status FROM session_run a WHERE a.node <> ? AND " + PgTeamAsks.LIVE + " ORDER BY a.session_id",
                rs -> out.put(new SessionId(rs.getString(1)), rs.getString(2)), node, node);
        return out;
    }

    @Override
    public java.util.Optional<String> elsewhere(SessionId id) {
        return db.query("SELECT a.status FROM session_run a WHERE a.session_id = ? AND a.node <> ? AND " + PgTeamAsks.LIVE,
                rs -> rs.getString(1), id.value(), node, node).stream().findFirst();
    }

    /**
     * Drops this node's rows but those of {@code running} (read just before): at each lease renewal. A row written in the
     * last seconds is kept: its session may have started after {@code running} was read.
     */
    void keepOnly(Connection c, Collection<SessionId> running) throws SQLException {
        keepOnly(c, running, true);
    }

    /** @param keepRecent false at start, when nothing of this node runs and every row it has is a previous run's */
    void keepOnly(Connection c, Collection<SessionId> running, boolean keepRecent) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM session_run WHERE node = ? AND NOT (session_id = ANY (?))"
                + (keepRecent ? " AND updated_at < now() - interval '10 seconds'" : ""))) {
            ps.setString(1, node);
            ps.setArray(2, c.createArrayOf("text", running.stream().map(SessionId::value).toArray()));
            ps.executeUpdate();
        }
    }

    /** Drops the rows of sessions another node took over (and their children): what ran there stopped with its node. */
    static void forget(Connection c, Collection<String> sessions) throws SQLException {
        for (String table : new String[] {"session_run", "node_ask"}) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE session_id = ANY (?)")) {
                ps.setArray(1, c.createArrayOf("text", sessions.toArray()));
                ps.executeUpdate();
            }
        }
    }
}
