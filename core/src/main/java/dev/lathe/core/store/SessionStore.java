package dev.lathe.core.store;

import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.wire.WireJson;
import java.util.List;
import java.util.Optional;

/** Rows of the {@code session} table. */
public final class SessionStore {
    private final Db db;

    public SessionStore(Db db) { this.db = db; }

    Db db() { return db; }

    public void insert(Session s) {
        db.update("INSERT INTO session(id, project_id, directory, parent_id, created_at, updated_at, data) VALUES (?,?,?,?,?,?,?)",
                s.id().value(), s.projectId().value(), s.directory(), s.parentId().map(SessionId::value).orElse(null),
                s.createdAt(), s.updatedAt(), WireJson.write(s));
    }

    public void update(Session s) {
        db.update("UPDATE session SET updated_at = ?, data = ? WHERE id = ?", s.updatedAt(), WireJson.write(s), s.id().value());
    }

    public Optional<Session> find(SessionId id) {
        return db.query("SELECT data FROM session WHERE id = ?", rs -> WireJson.read(rs.getString(1), Session.class), id.value())
                .stream().findFirst();
    }

    /** Sessions of one folder, most recently updated first. */
    public List<Session> byDirectory(String directory) {
        return db.query("SELECT data FROM session WHERE directory = ? ORDER BY updated_at DESC, id DESC",
                rs -> WireJson.read(rs.getString(1), Session.class), directory);
    }
}
