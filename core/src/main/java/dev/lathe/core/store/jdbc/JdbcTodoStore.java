package dev.lathe.core.store.jdbc;

import dev.lathe.core.store.TodoStore;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.session.Todo;
import dev.lathe.protocol.wire.WireJson;
import java.util.List;

/** Rows of the {@code todo} table: one whole list per session, replaced on every write. */
final class JdbcTodoStore implements TodoStore {
    private final Database db;

    JdbcTodoStore(Database db) { this.db = db; }

    @Override
    public void replace(SessionId session, List<Todo> todos) {
        db.update("INSERT INTO todo(session_id, updated_at, data) VALUES (?,?,?) "
                + "ON CONFLICT(session_id) DO UPDATE SET updated_at = excluded.updated_at, data = excluded.data",
                session.value(), System.currentTimeMillis(), WireJson.write(todos.toArray(Todo[]::new)));
    }

    @Override
    public List<Todo> find(SessionId session) {
        return db.query("SELECT data FROM todo WHERE session_id = ?", rs -> List.of(WireJson.read(rs.getString(1), Todo[].class)), session.value())
                .stream().findFirst().orElse(List.of());
    }
}
