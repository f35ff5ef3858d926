package dev.lathe.core.store;

import dev.lathe.protocol.ProjectId;
import java.util.List;

/** Project folders Lathe has seen; a project is identified by its absolute, normalised directory. */
public final class ProjectStore {
    private final Db db;

    public ProjectStore(Db db) { this.db = db; }

    /** The id of the project at {@code directory}, created on first use. */
    public ProjectId idFor(String directory) {
        List<ProjectId> found = db.query("SELECT id FROM project WHERE directory = ?", rs -> new ProjectId(rs.getString(1)), directory);
        if (!found.isEmpty()) return found.getFirst();
        ProjectId id = ProjectId.next();
        db.update("INSERT OR IGNORE INTO project(id, directory, created_at) VALUES (?,?,?)", id.value(), directory, System.currentTimeMillis());
        return db.query("SELECT id FROM project WHERE directory = ?", rs -> new ProjectId(rs.getString(1)), directory).getFirst();
    }
}
