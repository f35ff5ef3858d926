package dev.lathe.core.store.jdbc;

import dev.lathe.core.cluster.TaskStore;
import dev.lathe.protocol.SessionId;
import java.util.Optional;

/** Rows of {@code session_task} (migration V010): the team server's fleet tasks. */
public final class JdbcTaskStore implements TaskStore {
    private final Database db;

    /** A store's tasks are a fleet's: only a store the nodes share is asked for them. */
    @Override
    public boolean fleet() { return true; }

    public JdbcTaskStore(Database db) {
        this.db = db;
    }

    @Override
    public void record(SessionId session, Task task) {
        db.update("INSERT INTO session_task(session_id, repo, base_commit, name) VALUES (?,?,?,?)", session.value(), task.repo(), task.baseCommit(),
                task.name());
    }

    @Override
    public Optional<Task> of(SessionId session) {
        return db.query("SELECT repo, base_commit, name FROM session_task WHERE session_id = ?",
                rs -> new Task(rs.getString(1), rs.getString(2), rs.getString(3)), session.value()).stream().findFirst();
    }

    @Override
    public java.util.List<Task> all() {
        return db.query("SELECT repo, base_commit, name FROM session_task", rs -> new Task(rs.getString(1), rs.getString(2), rs.getString(3)));
    }
}
