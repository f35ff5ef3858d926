package dev.lathe.core.store.jdbc;

import dev.lathe.core.store.ProjectStore;
import dev.lathe.protocol.ProjectId;
import java.util.List;

/** Rows of the {@code project} table. */
final class JdbcProjectStore implements ProjectStore {
    private final Database db;

    private final SqlDialect dialect;

    JdbcProjectStore(Database db, SqlDialect dialect) {
        this.db = db;
        this.dialect = dialect;
    }

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
        db.update(dialect.insertOrIgnore("project(id, directory, created_at) VALUES (?,?,?)"), id.value(), directory, System.currentTimeMillis());
        return db.query("SELECT id FROM project WHERE directory = ?", rs -> new ProjectId(rs.getString(1)), directory).getFirst();
    }
}
