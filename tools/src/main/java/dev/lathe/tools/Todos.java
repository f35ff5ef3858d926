package dev.lathe.tools;

import dev.lathe.protocol.session.Todo;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/** Port to the session's todo list (implemented in core, which stores it and tells clients). */
public interface Todos {
    /** Replaces the whole list. */
    void replace(List<Todo> todos);

    List<Todo> current();

    /** A list kept in memory only; for tests and contexts without a session. */
    static Todos inMemory() {
        var list = new AtomicReference<List<Todo>>(List.of());
        return new Todos() {
            @Override public void replace(List<Todo> todos) { list.set(List.copyOf(todos)); }

            @Override public List<Todo> current() { return list.get(); }
        };
    }
}
