package dev.lathe.core.cluster;

import dev.lathe.protocol.SessionId;
import java.util.List;
import java.util.Optional;

/** One process has no fleet: it keeps no tasks, and a new one is refused before anything is fetched ({@link #fleet}). */
enum NoFleet implements TaskStore {
    INSTANCE;

    @Override public boolean fleet() { return false; }

    @Override
    public void record(SessionId session, Task task) {
        throw new IllegalStateException("no fleet keeps tasks: a task is refused before it is made");
    }

    @Override public Optional<Task> of(SessionId session) { return Optional.empty(); }

    @Override public List<Task> all() { return List.of(); }
}
