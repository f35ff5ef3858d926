package dev.lathe.core.store.postgresql;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A node's presence on the database: one connection of its own, outside the pool, holding a shared advisory lock for
 * as long as the node runs. PostgreSQL lets go of it when the connection ends, also when the node is killed (the
 * server sees the socket close). A node that can take the same lock exclusively at start is the only one on the
 * database: it may repair what a crash left open, as SQLite's {@code DatabaseLease} allows the sole process to.
 */
final class NodePresence implements AutoCloseable {
    /** "lathe-node" as a number: the advisory lock every node holds shared. */
    static final long NODE_LOCK = 0x6c617468656eL;

    private final Connection connection;
    private final boolean aloneAtStart;

    private NodePresence(Connection connection, boolean aloneAtStart) {
        this.connection = connection;
        this.aloneAtStart = aloneAtStart;
    }

    /** @param node what the connection is named after ({@link NodeActivity#presence}), for {@code lathe doctor} */
    static NodePresence join(PostgresUrl url, String node) throws SQLException {
        Connection c = OwnConnection.open(url, NodeActivity.presence(node));
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_try_advisory_lock(" + NODE_LOCK + ")")) {
            rs.next();
            return new NodePresence(c, rs.getBoolean(1));
        } catch (SQLException e) {
            c.close();
            throw e;
        }
    }

    /** Whether no other node was on the database when this one joined (it holds the lock exclusively until {@link #settle}). */
    boolean aloneAtStart() { return aloneAtStart; }

    /** Holds the lock shared from now on (after the repair, when alone), so other nodes can join. */
    void settle() throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("SELECT pg_advisory_lock_shared(" + NODE_LOCK + ")");
            if (aloneAtStart) s.execute("SELECT pg_advisory_unlock(" + NODE_LOCK + ")");
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            // the lock goes with the connection either way
        }
    }
}
