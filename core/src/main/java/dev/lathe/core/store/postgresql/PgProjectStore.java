package dev.lathe.core.store.postgresql;

import dev.lathe.core.store.ProjectStore;
import dev.lathe.protocol.ProjectId;
import java.util.List;

/** Rows of the {@code project} table. */
final class PgProjectStore implements ProjectStore {
    private final PgDb db;

    PgProjectStore(PgDb db) { this.db = db; }

    /** Whether {@code directory} (absolute, normalised) is a project here: a session was opened there or a client opened it. */
    @Override
    public boolean isKnown(String directory) {
        return !db.query("SELECT id FROM project WHERE directory = ?", rs -> rs.getString(1), directory).isEmpty();
    }

    /** The id of the project at {@code directory}, created on first use. */
    @Override
    public ProjectId idFor(String directory) {
        List<ProjectId> found = db.query("SELECT id FROM project WHERE directory = ?", rs -> new ProjectId(rs.getString(1)), directory);
        if (!found.isEmpty()) return found.getFirst();
        ProjectId id = ProjectId.next();
        db.update("INSERT INTO project(id, directory, created_at) VALUES (?,?,?) ON CONFLICT DO NOTHING", id.value(), directory, System.currentTimeMillis());
        return db.query("SELECT id FROM project WHERE directory = ?", rs -> new ProjectId(rs.getString(1)), directory).getFirst();
    }
}
