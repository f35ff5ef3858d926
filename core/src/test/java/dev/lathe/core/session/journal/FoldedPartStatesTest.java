package dev.lathe.core.session.journal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.bus.EventBus;
import dev.lathe.core.store.MessageStore;
import dev.lathe.core.store.Recovery;
import dev.lathe.core.store.sqlite.Db;
import dev.lathe.core.store.sqlite.HeldWriter;
import dev.lathe.core.store.sqlite.SqliteStorage;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.RawJson;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.EventFilter;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.protocol.session.Usage;
import dev.lathe.protocol.session.UserMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tool part's states queued together are written as the newest alone (the store folds them, decision 544), yet
 * every state is announced, in order, each after a commit that holds it or a later one, and a crash in the middle of
 * the batch leaves exactly what was announced (DESIGN §4).
 */
class FoldedPartStatesTest {
    private static final RawJson INPUT = new RawJson("{\"filePath\":\"a.txt\"}");

    @TempDir Path tmp;
    private Db db;
    private MessageStore messages;
    private Journal journal;
    private Session row;
    private final EventBus bus = EventBus.standard();
    private final SessionId session = SessionId.next();
    private MessageId answer;
    private final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void setUp() {
        db = Db.open(tmp.resolve("lathe.db"));
        var storage = SqliteStorage.over(db);
        messages = storage.messages();
        journal = new Journal(messages, storage.sessions(), bus);
        row = new Session(session, storage.projects().idFor("/p"), "/p", Optional.empty(), "t", "build", "a/b", 1, 1, Optional.empty(), Usage.ZERO, 0,
                Optional.empty());
        storage.sessions().insert(row);
        var user = new UserMessage(MessageId.next(), session, 1, "build", "a/b");
        messages.insertUser(user, List.of(new Part.Text(PartId.next(), session, user.id(), "read a.txt", false)));
        answer = MessageId.next();
        messages.upsertAssistant(new AssistantMessage(answer, session, user.id(), "build", "a/b", 2, Optional.empty(), Optional.empty(),
                Optional.empty(), Usage.ZERO, 0));
    }

    @AfterEach
    void tearDown() {
        release.countDown();
        db.close();
    }

    @Test
    void aToolPartsQueuedStatesAreAnnouncedInOrderEachAfterACommitHoldingItOrALaterOne() throws Exception {
        List<Part.Tool> states = states(PartId.next());
        List<Part> announced = new CopyOnWriteArrayList<>();
        List<String> storedWhenAnnounced = new CopyOnWriteArrayList<>();
        try (var _ = bus.subscribe(EventFilter.ALL, bus.lastSeq(), e -> {
            if (e.event() instanceof Event.PartUpdated u) announced.add(u.part());
        })) {
            HeldWriter.until(db, release);
            // each future completes on the writer thread right after its state is published: what the store holds then
            List<CompletableFuture<Void>> written = states.stream()
                    .map(s -> journal.of(row).partBehind(s).thenRun(() -> storedWhenAnnounced.add(stored(messages, s.id())))).toList();
            assertThat(written).noneMatch(CompletableFuture::isDone);
            release.countDown();
            CompletableFuture.allOf(written.toArray(CompletableFuture[]::new)).join();
            while (announced.size() < states.size()) Thread.sleep(5);
        }
        assertThat(announced).containsExactlyElementsOf(states);
        List<String> order = List.of("pending", "running", "completed");
        for (int i = 0; i < states.size(); i++) {
            assertThat(order.indexOf(storedWhenAnnounced.get(i))).as("the store when state %d was announced: %s", i, storedWhenAnnounced)
                    .isGreaterThanOrEqualTo(order.indexOf(ToolState.status(states.get(i).state())));
        }
        assertThat(stored(messages, states.getFirst().id())).isEqualTo("completed");
    }

    @Test
    void aCrashInTheMiddleOfABatchLeavesTheStatesAnnouncedAndRecoveryClosesTheRest() throws Exception {
        PartId id = PartId.next();
        List<Part.Tool> states = states(id);
        List<Part> announced = new CopyOnWriteArrayList<>();
        try (var _ = bus.subscribe(EventFilter.ALL, bus.lastSeq(), e -> {
            if (e.event() instanceof Event.PartUpdated u) announced.add(u.part());
        })) {
            journal.of(row).partBehind(states.get(1)).join();
            while (announced.isEmpty()) Thread.sleep(5);
            HeldWriter.until(db, release);
            var running = journal.of(row).partBehind(states.get(2));
            // a write of another row that stops inside the batch's transaction, the running state folded into what follows
            var inside = new CountDownLatch(1);
            var crashNow = new CountDownLatch(1);
            db.writeBehindWhole("part elsewhere", _ -> {
                inside.countDown();
                try {
                    crashNow.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return null;
            });
            var completed = journal.of(row).partBehind(states.get(3));
            release.countDown();
            inside.await();

            // what a kill -9 leaves now: the files as they are, the batch's transaction open
            Path crashed = Files.createDirectories(tmp.resolve("crashed"));
            for (String name : List.of("lathe.db", "lathe.db-wal")) {
                Path file = tmp.resolve(name);
                if (Files.exists(file)) Files.copy(file, crashed.resolve(name));
            }
            assertThat(running).as("nothing of the open batch announced").isNotDone();
            assertThat(completed).isNotDone();
            assertThat(announced).containsExactly(states.get(1));

            crashNow.countDown();
            CompletableFuture.allOf(running, completed).join();
            while (announced.size() < 3) Thread.sleep(5);
            assertThat(announced).containsExactly(states.get(1), states.get(2), states.get(3));

            try (Db after = Db.open(crashed.resolve("lathe.db"))) {
                MessageStore restarted = SqliteStorage.over(after).messages();
                assertThat(stored(restarted, id)).as("the state last announced before the crash").isEqualTo("pending");
                assertThat(Recovery.repair(restarted)).isPositive();
                assertThat(stored(restarted, id)).as("closed by recovery, as any call a crash cut").isEqualTo("failed");
            }
            assertThat(stored(messages, id)).isEqualTo("completed");
        }
    }

    /** A read call's states as a step writes them: pending without input, pending, running, completed. */
    private List<Part.Tool> states(PartId id) {
        var started = new Part.Tool(id, session, answer, "c1", "read", new ToolState.Pending(RawJson.EMPTY_OBJECT));
        return List.of(started, started.withState(new ToolState.Pending(INPUT)), started.withState(new ToolState.Running(INPUT, "a.txt", 3, "")),
                started.withState(new ToolState.Completed(INPUT, "alpha\nbeta\n", "a.txt", Map.of(), 3, 4)));
    }

    /** The stored status of part {@code id}, as a reader of {@code store} sees it (committed only); "" when none. */
    private String stored(MessageStore store, PartId id) {
        return store.parts(answer).stream().filter(p -> p.id().equals(id)).map(p -> ToolState.status(((Part.Tool) p).state())).findFirst()
                .orElse("");
    }
}
