package dev.lathe.core.store.postgresql;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Connection;
import java.util.OptionalLong;

/**
 * One node as the database sees it ({@code lathe doctor}, DESIGN §20): whether its presence connection is there, how far
 * its event listener has delivered and how many events it has not ({@link NodeActivity}), the session leases it holds,
 * and, for the whole team, the sessions with prompts waiting that no live lease covers. Read only; times by the
 * database's clock but for the age of an event (its {@code at} is the writing node's).
 *
 * @param delivered            empty when the node's listener is not connected
 * @param behind               events after {@code delivered} (0 when not listening)
 * @param oldestBehindMillis   how long the oldest of them has waited
 * @param expiredLeases        leases it holds that ran out without renewal (a dead or stuck node's)
 * @param oldestHeartbeatSecs  how long ago its least recently renewed lease was renewed
 * @param waiting              sessions with a prompt queued and no live lease (any node may take them)
 * @param oldestWaitingSecs    how long the oldest of them has waited
 */
public record PgNodeState(String node, boolean connected, OptionalLong delivered, long behind, long oldestBehindMillis, long leases,
        long expiredLeases, long oldestHeartbeatSecs, long waiting, long oldestWaitingSecs) {

    static PgNodeState read(Connection c, String node) throws SQLException {
        boolean connected;
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE application_name = ?")) {
            ps.setString(1, NodeActivity.presence(node));
            connected = one(ps) > 0;
        }
        OptionalLong delivered = OptionalLong.empty();
        try (PreparedStatement ps = c.prepareStatement("SELECT application_name FROM pg_stat_activity WHERE application_name LIKE ?")) {
            ps.setString(1, NodeActivity.listenerPattern(node));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next() && delivered.isEmpty()) delivered = NodeActivity.delivered(rs.getString(1), node);
            }
        }
        long behind = 0;
        long oldestBehind = 0;
        if (delivered.isPresent()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*), COALESCE((EXTRACT(EPOCH FROM now()) * 1000)::bigint - MIN(at), 0)"
                    + " FROM event WHERE id > ?")) {
                ps.setLong(1, delivered.getAsLong());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    behind = rs.getLong(1);
                    oldestBehind = Math.max(0, rs.getLong(2));
                }
            }
        }
        long leases;
        long expired;
        long heartbeat;
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*), count(*) FILTER (WHERE expires_at < now()),"
                + " COALESCE(EXTRACT(EPOCH FROM now() - MIN(heartbeat))::bigint, 0) FROM session_lease WHERE node = ?")) {
            ps.setString(1, node);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                leases = rs.getLong(1);
                expired = rs.getLong(2);
                heartbeat = rs.getLong(3);
            }
        }
        long waiting;
        long oldestWaiting;
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*), COALESCE(EXTRACT(EPOCH FROM now() - MIN(queued_at))::bigint, 0)"
                + " FROM session_work w WHERE NOT EXISTS (SELECT 1 FROM session_lease l WHERE l.session_id = w.session_id AND l.expires_at >= now())");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            waiting = rs.getLong(1);
            oldestWaiting = rs.getLong(2);
        }
        return new PgNodeState(node, connected, delivered, behind, oldestBehind, leases, expired, heartbeat, waiting, oldestWaiting);
    }

    private static long one(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
