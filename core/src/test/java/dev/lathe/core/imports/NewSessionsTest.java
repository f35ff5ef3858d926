package dev.lathe.core.imports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.bus.EventBus;
import dev.lathe.core.store.Storage;
import dev.lathe.core.store.TranscriptStore;
import dev.lathe.core.store.sqlite.Db;
import dev.lathe.core.store.sqlite.SqliteStorage;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.EventFilter;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.EventEnvelope;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.Usage;
import dev.lathe.protocol.session.UserMessage;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A session comes to exist in one way: written whole, then announced once; never announced when nothing was written. */
class NewSessionsTest {
    @TempDir Path tmp;
    private Db db;
    private Storage storage;
    private final EventBus bus = EventBus.standard();
    private NewSessions created;

    @BeforeEach
    void setUp() {
        db = Db.open(tmp.resolve("lathe.db"));
        storage = SqliteStorage.over(db);
        created = new NewSessions(storage.sessions(), storage.transcripts(), bus);
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    private Session session(SessionId id) {
        return new Session(id, storage.projects().idFor("/p"), "/p", Optional.empty(), "t", "build", "a/b", 1, 1, Optional.empty(), Usage.ZERO, 0,
                Optional.empty());
    }

    private static List<MessageWithParts> transcript(SessionId id) {
        var user = new UserMessage(MessageId.next(), id, 1, "build", "a/b");
        return List.of(new MessageWithParts(user, List.of(new Part.Text(PartId.next(), id, user.id(), "hi", false))));
    }

    @Test
    void anEmptySessionIsAnnouncedOnlyOnceItsRowIsStored() throws Exception {
        Session s = session(SessionId.next());
        var announced = new CountDownLatch(1);
        var storedWhenAnnounced = new AtomicBoolean();
        try (var _ = bus.subscribe(EventFilter.ALL, bus.lastSeq(), (EventEnvelope e) -> {
            if (e.event() instanceof Event.SessionCreated c && c.session().equals(s)) {
                storedWhenAnnounced.set(storage.sessions().exists(s.id()));
                announced.countDown();
            }
        })) {
            assertThat(created.insert(s, NewSessions.EMPTY)).isInstanceOf(TranscriptStore.Outcome.Stored.class);
            assertThat(announced.await(10, TimeUnit.SECONDS)).as("session.created").isTrue();
        }
        assertThat(storedWhenAnnounced).isTrue();
        assertThat(storage.messages().bySession(s.id())).isEmpty();
    }

    @Test
    void aTranscriptIsWrittenWholeAndAnnouncedOnce() {
        Session s = session(SessionId.next());
        long before = bus.lastSeq();

        assertThat(created.insert(s, new NewSessions.Contents.Originals(transcript(s.id())))).isInstanceOf(TranscriptStore.Outcome.Stored.class);

        assertThat(storage.messages().bySession(s.id())).singleElement().satisfies(m -> assertThat(m.parts()).hasSize(1));
        assertThat(bus.lastSeq()).as("one event: session.created").isEqualTo(before + 1);
    }

    @Test
    void aTranscriptWhoseSessionIsTakenIsNeitherWrittenNorAnnounced() {
        SessionId id = SessionId.next();
        created.insert(session(id), NewSessions.EMPTY);
        long before = bus.lastSeq();

        assertThat(created.insert(session(id), new NewSessions.Contents.Originals(transcript(id)))).isInstanceOf(TranscriptStore.Outcome.Taken.class);

        assertThat(storage.messages().bySession(id)).isEmpty();
        assertThat(bus.lastSeq()).as("nothing announced").isEqualTo(before);
    }
}
