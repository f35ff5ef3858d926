package dev.lathe.core.store.jdbc;

import dev.lathe.core.store.SessionStore;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.Usage;
import dev.lathe.protocol.wire.WireJson;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** Rows of the {@code session} table (and {@code session_worktree}). */
final class JdbcSessionStore implements SessionStore {
    private final Database db;

    private final SqlDialect dialect;

    JdbcSessionStore(Database db, SqlDialect dialect) {
        this.db = db;
        this.dialect = dialect;
    }

    @Override
    public void insert(Session s) {
        db.write(c -> {
            insert(c, s);
            return null;
        });
    }

    static void insert(Connection c, Session s) throws SQLException {
        try (PreparedStatement ps = Database.prepare(c, "INSERT INTO session(id, project_id, directory, parent_id, created_at, updated_at, data) VALUES (?,?,?,?,?,?,?)",
                s.id().value(), s.projectId().value(), s.directory(), s.parentId().map(SessionId::value).orElse(null),
                s.createdAt(), s.updatedAt(), WireJson.write(s))) {
            ps.executeUpdate();
        }
        if (s.worktree().isPresent()) {
            try (PreparedStatement ps = Database.prepare(c, "INSERT INTO session_worktree(session_id, main_checkout) VALUES (?,?)", s.id().value(),
                    s.worktree().get().mainCheckout())) {
                ps.executeUpdate();
            }
        }
    }

    @Override
    public void update(Session s) {
        // the folder and project columns too: a fleet task's session moves to the copy of the node that runs it, and the
        // listings by folder (lathe sessions --dir) and by repository must find it where it is now
        db.write(c -> {
            int updated;
            try (PreparedStatement ps = Database.prepare(c, "UPDATE session SET project_id = ?, directory = ?, updated_at = ?, data = ? WHERE id = ?",
                    s.projectId().value(), s.directory(), s.updatedAt(), WireJson.write(s), s.id().value())) {
                updated = ps.executeUpdate();
            }
            if (updated == 0 || s.worktree().isEmpty()) return null;
            try (PreparedStatement ps = Database.prepare(c, "UPDATE session_worktree SET main_checkout = ? WHERE session_id = ?",
                    s.worktree().get().mainCheckout(), s.id().value())) {
                if (ps.executeUpdate() == 1) return null;
            }
            try (PreparedStatement ps = Database.prepare(c, "INSERT INTO session_worktree(session_id, main_checkout) VALUES (?,?)", s.id().value(),
                    s.worktree().get().mainCheckout())) {
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** Adds {@code usage} and {@code cost} to session {@code id}'s totals, inside the caller's transaction {@code c}. */
    static void addUsage(Connection c, SessionId id, Usage usage, long cost, long now) throws SQLException {
        Session s;
        try (PreparedStatement ps = Database.prepare(c, "SELECT data FROM session WHERE id = ?", id.value()); java.sql.ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) return;  // the session is gone: nothing to add to
            s = WireJson.read(rs.getString(1), Session.class);
        }
        Session added = s.withUsage(usage, cost, Math.max(now, s.updatedAt()));
        try (PreparedStatement ps = Database.prepare(c, "UPDATE session SET updated_at = ?, data = ? WHERE id = ?", added.updatedAt(), WireJson.write(added),
                id.value())) {
            ps.executeUpdate();
        }
    }

    @Override
    public Optional<Session> find(SessionId id) {
        return db.query("SELECT data FROM session WHERE id = ?", rs -> WireJson.read(rs.getString(1), Session.class), id.value())
                .stream().findFirst();
    }

    @Override
    public boolean exists(SessionId id) {
        return !db.query("SELECT 1 FROM session WHERE id = ?", rs -> rs.getInt(1), id.value()).isEmpty();
    }

    /** Sessions whose parent is {@code parent}, oldest first. */
    @Override
    public List<Session> children(SessionId parent) {
        return db.query("SELECT data FROM session WHERE parent_id = ? ORDER BY created_at, id",
                rs -> WireJson.read(rs.getString(1), Session.class), parent.value());
    }

    /** {@code root} and every session below it (children, their children, ...), parents before their children. */
    @Override
    public List<Session> tree(SessionId root) {
        return db.query("""
                WITH RECURSIVE tree(id, depth) AS (
                  SELECT id, 0 FROM session WHERE id = ?
                  UNION ALL
                  SELECT s.id, tree.depth + 1 FROM session s JOIN tree ON s.parent_id = tree.id
                )
                SELECT s.data FROM session s JOIN tree ON s.id = tree.id ORDER BY tree.depth, s.created_at, s.id""",
                rs -> WireJson.read(rs.getString(1), Session.class), root.value());
    }

    /**
     * Deletes the sessions (and everything that belongs to them: parts, messages, todo lists) in one transaction. The
     * rows are deleted explicitly rather than through the cascades, so nothing depends on {@code foreign_keys=ON}.
     */
    @Override
    public void delete(List<SessionId> ids) {
        if (ids.isEmpty()) return;
        db.write(c -> {
            for (SessionId id : ids.reversed()) {
                for (String sql : List.of("DELETE FROM part WHERE session_id = ?", "DELETE FROM message WHERE session_id = ?",
                        "DELETE FROM todo WHERE session_id = ?", "DELETE FROM session_worktree WHERE session_id = ?",
                        "DELETE FROM session_owner WHERE session_id = ?", "DELETE FROM session_task WHERE session_id = ?", "DELETE FROM session WHERE id = ?")) {
                    try (PreparedStatement ps = Database.prepare(c, sql, id.value())) {
                        ps.executeUpdate();
                    }
                }
            }
            return null;
        });
    }

    /** Every folder's sessions but archived ones, most recently updated first, at most {@code limit}. */
    @Override
    public List<Session> recent(int limit) {
        return db.query("SELECT data FROM session WHERE " + dialect.jsonText("data", "archivedAt") + " IS NULL ORDER BY updated_at DESC, id DESC LIMIT ?",
                rs -> WireJson.read(rs.getString(1), Session.class), limit);
    }

    /** Every folder that has sessions, most recently active first. */
    @Override
    public List<Folder> folders() {
        return db.query("SELECT directory, SUM(CASE WHEN parent_id IS NULL THEN 1 ELSE 0 END), MAX(updated_at) FROM session GROUP BY directory ORDER BY MAX(updated_at) DESC",
                rs -> new Folder(rs.getString(1), rs.getInt(2), rs.getLong(3)));
    }

    /** Whether {@code directory} (normalised) has a session: a project of this server, whose files its routes serve. */
    @Override
    public boolean hasSessions(String directory) {
        return !db.query("SELECT 1 FROM session WHERE directory = ? LIMIT 1", rs -> rs.getInt(1), directory).isEmpty();
    }

    /** Sessions of one folder, most recently updated first. */
    @Override
    public List<Session> byDirectory(String directory) {
        return db.query("SELECT data FROM session WHERE directory = ? ORDER BY updated_at DESC, id DESC",
                rs -> WireJson.read(rs.getString(1), Session.class), directory);
    }

    /**
     * Sessions of one folder and of the git worktrees it is the main checkout of (DESIGN §19), most recently updated
     * first.
     */
    @Override
    public List<Session> byRepository(String directory) {
        return db.query("SELECT data FROM session WHERE directory = ? OR id IN (SELECT session_id FROM session_worktree WHERE main_checkout = ?)"
                + " ORDER BY updated_at DESC, id DESC",
                rs -> WireJson.read(rs.getString(1), Session.class), directory, directory);
    }

    /** The id of the newest top-level session in {@code directory}, if any. */
    @Override
    public Optional<SessionId> newestIn(String directory) {
        return db.query("SELECT id FROM session WHERE directory = ? AND parent_id IS NULL ORDER BY updated_at DESC, id DESC LIMIT 1",
                rs -> new SessionId(rs.getString(1)), directory).stream().findFirst();
    }
}
