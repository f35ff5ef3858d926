package dev.lathe.core.store;

import dev.lathe.protocol.ProjectId;
import java.util.List;

/** Project folders Lathe has seen; a project is identified by its absolute, normalised directory. */
public final class ProjectStore {
    private final Db db;

    public ProjectStore(Db db) { this.db = db; }

    /** Whether {@code directory} (absolute, normalised) is a project here: a session was opened there or a client opened it. */
    public boolean isKnown(String directory) {
        return !db.query("SELECT id FROM project WHERE directory = ?", rs -> rs.getString(1), directory).isEmpty();
    }

    /** The id of the project at {@code directory}, created on first use. */
    public ProjectId idFor(String directory) {
        List<ProjectId> found = db.query("SELECT id FROM project WHERE directory = ?", rs -> new ProjectId(rs.getString(1)), directory);
        if (!found.isEmpty()) return found.getFirst();
        ProjectId id = ProjectId.next();
        db.update("INSERT OR IGNORE INTO project(id, directory, created_at) VALUES (?,?,?)", id.value(), directory, System.currentTimeMillis());
        return db.query("SELECT id FROM project WHERE directory = ?", rs -> new ProjectId(rs.getString(1)), directory).getFirst();
    }
}
