package dev.lathe.core.store.postgresql;

import dev.lathe.core.reply.TeamAsks;
import dev.lathe.protocol.SessionId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * {@link TeamAsks} in the {@code node_ask} table (migration V011). An answer is stored with
 * {@code UPDATE … WHERE reply IS NULL}, so of two answers given at once through two nodes exactly one is taken, and
 * {@code NOTIFY lathe_ask} tells the nodes; the node whose ask it is reads its answered rows ({@link #deliverAnswered},
 * called by its {@link PgEventFeed} on that notification and after every reconnect, so an answer given while it was
 * not listening is not lost). An ask is open only while its node holds a live lease: a killed node's asks leave every
 * list once its leases expire, and an answer to one is refused as unknown.
 */
final class PgTeamAsks implements TeamAsks {
    static final String CHANNEL = "lathe_ask";
    /** The row's node is alive: this one, or one holding a lease not yet expired (by the database's clock). */
    static final String LIVE = "(a.node = ? OR EXISTS (SELECT 1 FROM session_lease l WHERE l.node = a.node AND l.expires_at >= now()))";

    private final PgDb db;
    private final String node;
    private final Map<Kind, BiConsumer<String, String>> listeners = new ConcurrentHashMap<>();

    PgTeamAsks(PgDb db, String node) {
        this.db = db;
        this.node = node;
    }

    /** What this node left in the table before a restart: nothing of it waits any more. */
    void forgetOwn() throws SQLException {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement("DELETE FROM node_ask WHERE node = ?")) {
            ps.setString(1, node);
            ps.executeUpdate();
        }
    }

    @Override
    public void opened(Kind kind, String id, SessionId session, String directory, String request) {
        update("cannot store the ask", "INSERT INTO node_ask(id, kind, session_id, directory, node, request) VALUES (?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (id) DO NOTHING", id, kind.name(), session.value(), directory, node, request);
    }

    @Override
    public Answer answer(Kind kind, String id, String reply) {
        try (Connection c = db.connection()) {
            return PgDb.inTransaction(c, tx -> {
                try (PreparedStatement ps = tx.prepareStatement("UPDATE node_ask a SET reply = ? WHERE id = ? AND kind = ? AND reply IS NULL AND " + LIVE)) {
                    ps.setString(1, reply);
                    ps.setString(2, id);
                    ps.setString(3, kind.name());
                    ps.setString(4, node);
                    if (ps.executeUpdate() == 1) {
                        try (PreparedStatement notify = tx.prepareStatement("SELECT pg_notify('" + CHANNEL + "', ?)")) {
                            notify.setString(1, id);
                            notify.execute();  // delivered at commit, after the answer is visible
                        }
                        return Answer.STORED;
                    }
                }
                try (PreparedStatement ps = tx.prepareStatement("SELECT 1 FROM node_ask a WHERE id = ? AND kind = ? AND " + LIVE)) {
                    ps.setString(1, id);
                    ps.setString(2, kind.name());
                    ps.setString(3, node);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? Answer.TAKEN : Answer.UNKNOWN;
                    }
                }
            });
        } catch (SQLException e) {
            throw db.failure("cannot store the answer", e);
        }
    }

    @Override
    public Optional<String> request(Kind kind, String id) {
        List<String> found = db.query("SELECT a.request FROM node_ask a WHERE id = ? AND kind = ? AND reply IS NULL AND " + LIVE,
                rs -> rs.getString(1), id, kind.name(), node);
        return found.stream().findFirst();
    }

    @Override
    public void closed(String id) {
        update("cannot drop the ask", "DELETE FROM node_ask WHERE id = ? AND node = ?", id, node);
    }

    @Override
    public List<Open> open(Kind kind, String directory) {
        return db.query("SELECT a.id, a.directory, a.request FROM node_ask a WHERE kind = ? AND reply IS NULL AND (? = '' OR directory = ?) AND "
                + LIVE + " ORDER BY a.id", rs -> new Open(rs.getString(1), rs.getString(2), rs.getString(3)), kind.name(), directory, directory, node);
    }

    @Override
    public void listen(Kind kind, BiConsumer<String, String> answered) {
        listeners.put(kind, answered);
    }

    /** Hands every answered ask of this node to its listener (an ask is closed by its listener's turn, not here). */
    void deliverAnswered(Connection c) throws SQLException {
        List<String[]> answered = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, kind, reply FROM node_ask WHERE node = ? AND reply IS NOT NULL")) {
            ps.setString(1, node);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) answered.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
            }
        }
        for (String[] row : answered) {
            var listener = listeners.get(Kind.valueOf(row[1]));
            if (listener != null) listener.accept(row[0], row[2]);
        }
    }

    private void update(String doing, String sql, String... args) {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) ps.setString(i + 1, args[i]);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw db.failure(doing, e);
        }
    }
}
