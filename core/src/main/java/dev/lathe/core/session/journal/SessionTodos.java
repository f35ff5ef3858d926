package dev.lathe.core.session.journal;

import dev.lathe.core.store.TodoStore;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.Todo;
import dev.lathe.tools.Todos;
import java.util.List;

/** The {@link Todos} port of one session: the list is stored first, then {@code todo.updated} tells clients. */
public record SessionTodos(Session session, TodoStore store, Journal journal) implements Todos {
    @Override
    public void replace(List<Todo> todos) {
        store.replace(session.id(), todos);
        journal.of(session).publish(new Event.TodoUpdated(session.id(), List.copyOf(todos)));
    }

    @Override
    public List<Todo> current() { return store.find(session.id()); }
}
