package dev.lathe.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lathe.core.store.sqlite.Db;
import dev.lathe.core.store.sqlite.SqliteStorage;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.Usage;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A session's folder and parent are read from its stored row once (each tool call asks for them several times, issue
 * 43); an unknown session is asked again, a forgotten (deleted) one too. Over a real SQLite store, its lookups counted.
 */
class SessionPlacesTest {
    @TempDir Path tmp;

    @Test
    void aSessionsRowIsReadOnceAndAgainOnlyAfterItIsForgotten() throws Exception {
        try (Db db = Db.open(tmp.resolve("lathe.db"))) {
            var storage = SqliteStorage.over(db);
            AtomicInteger finds = new AtomicInteger();
            SessionStore real = storage.sessions();
            SessionStore counted = (SessionStore) Proxy.newProxyInstance(SessionStore.class.getClassLoader(), new Class<?>[] {SessionStore.class},
                    (proxy, method, args) -> {
                        if (method.getName().equals("find")) finds.incrementAndGet();
                        return method.invoke(real, args);
                    });
            var places = new SessionPlaces(counted);
            var parent = session(storage, "/work/p", Optional.empty());
            var child = session(storage, "/work/p", Optional.of(parent.id()));

            assertEquals(Optional.of(new SessionPlaces.Place("/work/p", Optional.of(parent.id()))), places.of(child.id()));
            assertEquals(Optional.of("/work/p"), places.directoryOf(child.id().value()));
            assertEquals(Optional.of(new SessionPlaces.Place("/work/p", Optional.of(parent.id()))), places.of(child.id()));
            assertEquals(1, finds.get(), "the row is read once");

            var later = SessionId.next();
            assertEquals(Optional.empty(), places.of(later));
            real.insert(new Session(later, storage.projects().idFor("/work/q"), "/work/q", Optional.empty(), "t", "build", "a/b", 1, 1,
                    Optional.empty(), Usage.ZERO, 0, Optional.empty()));
            assertEquals(Optional.of("/work/q"), places.directoryOf(later.value()), "an unknown session is not remembered as unknown");

            real.delete(java.util.List.of(child.id()));
            places.forget(child.id());
            int before = finds.get();
            assertEquals(Optional.empty(), places.of(child.id()), "a forgotten session is asked of the store again");
            assertEquals(before + 1, finds.get());
        }
    }

    private static Session session(Storage storage, String directory, Optional<SessionId> parent) {
        var s = new Session(SessionId.next(), storage.projects().idFor(directory), directory, parent, "t", "build", "a/b", 1, 1, Optional.empty(),
                Usage.ZERO, 0, Optional.empty());
        storage.sessions().insert(s);
        return s;
    }
}
