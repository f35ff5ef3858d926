package dev.lathe.core.session.journal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.bus.EventBus;
import dev.lathe.core.session.inbox.InboxHistory;
import dev.lathe.core.store.sqlite.Db;
import dev.lathe.core.store.sqlite.HeldWriter;
import dev.lathe.core.store.MessageStore;
import dev.lathe.core.store.sqlite.SqliteStorage;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.RawJson;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.EventFilter;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.EventEnvelope;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.protocol.session.Usage;
import dev.lathe.protocol.session.UserMessage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The turn reads its own writes from memory before they are committed; clients and the store see them only after
 * (DESIGN §4). Others' writes through the journal reach the turn's history too, and nothing is held once the turn ends.
 */
class JournalTest {
    private static final RawJson INPUT = new RawJson("{\"path\":\"a.txt\"}");

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
        messages = SqliteStorage.over(db).messages();
        var sessions = SqliteStorage.over(db).sessions();
        journal = new Journal(messages, sessions, bus);
        row = new Session(session, SqliteStorage.over(db).projects().idFor("/p"), "/p", Optional.empty(), "t", "build", "a/b", 1, 1, Optional.empty(), Usage.ZERO, 0,
                Optional.empty());
        sessions.insert(row);
        var user = new UserMessage(MessageId.next(), session, 1, "build", "a/b");
        messages.insertUser(user, List.of(new Part.Text(PartId.next(), session, user.id(), "hi", false)));
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
    void partsWrittenBehindAreInTheTurnsHistoryAtOnceAndStoredAndAnnouncedOnlyOnceCommitted() throws Exception {
        var running = new Part.Tool(PartId.next(), session, answer, "c1", "read", new ToolState.Running(INPUT, "a.txt", 3, ""));
        journal.of(row).part(running);
        var completed = running.withState(new ToolState.Completed(INPUT, "alpha", "a.txt", Map.of(), 3, 4));
        var finish = new Part.StepFinish(PartId.next(), session, answer, "tool_calls", Usage.ZERO, 0, Optional.empty());
        List<EventEnvelope> events = new CopyOnWriteArrayList<>();
        try (var _ = bus.subscribe(EventFilter.ALL, bus.lastSeq(), events::add); var _ = journal.live(session)) {
            HeldWriter.until(db, release);
            journal.of(row).partBehind(completed);
            journal.of(row).partBehind(finish);

            assertThat(answerParts(journal.history(session))).containsExactly(completed, finish);
            assertThat(answerParts(messages.bySession(session))).as("the store, and so every client, is not there yet").containsExactly(running);
            assertThat(events).isEmpty();

            release.countDown();
            while (events.size() < 2) Thread.sleep(5);
            assertThat(journal.history(session)).isEqualTo(messages.bySession(session));
        }
        assertThat(events).extracting(EventEnvelope::event).containsExactly(new Event.PartUpdated(completed), new Event.PartUpdated(finish));
        assertThat(messages.bySession(session)).isEqualTo(journal.history(session));
    }

    @Test
    void aNewerVersionWrittenWhileAnOlderIsQueuedIsTheOneTheTurnSees() throws Exception {
        var finish = new Part.StepFinish(PartId.next(), session, answer, "tool_calls", Usage.ZERO, 0, Optional.empty());
        var withTree = new Part.StepFinish(finish.id(), session, answer, "tool_calls", Usage.ZERO, 0, Optional.of("4b825dc"));
        try (var _ = journal.live(session)) {
            HeldWriter.until(db, release);
            journal.of(row).partBehind(finish);
            assertThat(answerParts(journal.history(session))).containsExactly(finish);
            Thread writing = Thread.ofVirtual().start(() -> journal.of(row).part(withTree));
            release.countDown();
            writing.join();
            assertThat(answerParts(journal.history(session))).containsExactly(withTree);
            assertThat(answerParts(messages.bySession(session))).containsExactly(withTree);
            assertThat(journal.history(session)).isEqualTo(messages.bySession(session));
        }
    }

    /**
     * On a team server a prompt sent through another node is stored by that node's journal, not this one's: when the
     * leases hand it to this node, which runs the turn, it joins the held history, so a steer reaches the running turn.
     */
    @Test
    void aPromptAnotherNodeStoredJoinsTheHeldHistoryAsASteer() throws Exception {
        var running = new Part.Tool(PartId.next(), session, answer, "c1", "read", new ToolState.Running(INPUT, "a.txt", 3, ""));
        journal.of(row).part(running);
        try (var _ = journal.live(session)) {
            var elsewhere = new UserMessage(MessageId.next(), session, 3, "build", "a/b");
            var text = new Part.Text(PartId.next(), session, elsewhere.id(), "use tabs", false);
            messages.insertUser(elsewhere, List.of(text));
            assertThat(journal.history(session)).as("not through this journal: not held yet").hasSize(2);

            journal.joinStoredPrompts(session);
            journal.joinStoredPrompts(session);

            assertThat(journal.history(session)).hasSize(3);
            assertThat(journal.history(session).getLast()).isEqualTo(new MessageWithParts(elsewhere, List.of(text)));
            assertThat(answerParts(journal.history(session))).containsExactly(running);
            assertThat(InboxHistory.steered(journal.history(session), answer)).isTrue();
        }
    }

    @Test
    void aPromptStoredThroughTheJournalWhileTheTurnRunsIsInItsHistoryAtTheNextRead() throws Exception {
        try (var _ = journal.live(session)) {
            List<MessageWithParts> before = journal.history(session);
            var queued = new UserMessage(MessageId.next(), session, 3, "plan", "a/b");
            var text = new Part.Text(PartId.next(), session, queued.id(), "and also this", false);
            Thread api = Thread.ofVirtual().start(() -> journal.of(row).user(queued, List.of(text)));
            api.join();

            assertThat(before).hasSize(2);
            assertThat(journal.history(session)).hasSize(3);
            assertThat(journal.history(session).getLast()).isEqualTo(new MessageWithParts(queued, List.of(text)));
            assertThat(journal.history(session)).isEqualTo(messages.bySession(session));
        }
    }

    @Test
    void theHistoryIsReadFromTheStoreOnceAndDroppedWhenTheLastHoldEnds() {
        var held = journal.live(session);
        var nested = journal.live(session);
        // written behind the journal's back: a held history does not see it, the store does
        var stray = new Part.Text(PartId.next(), session, answer, "not through the journal", false);
        messages.upsertPart(stray);
        assertThat(answerParts(journal.history(session))).isEmpty();
        nested.close();
        assertThat(answerParts(journal.history(session))).as("still held once").isEmpty();
        held.close();
        assertThat(journal.holds(session)).isFalse();
        assertThat(answerParts(journal.history(session))).as("read from the store again").containsExactly(stray);
    }

    @Test
    void aPartWhoseWriteFailsLeavesTheHistoryAndIsNeverAnnounced() throws Exception {
        List<EventEnvelope> events = new CopyOnWriteArrayList<>();
        try (var _ = journal.live(session); var _ = bus.subscribe(EventFilter.ALL, bus.lastSeq(), events::add)) {
            var gone = new AssistantMessage(MessageId.next(), session, answer, "build", "a/b", 3, Optional.empty(), Optional.empty(),
                    Optional.empty(), Usage.ZERO, 0);
            journal.of(row).assistant(gone);
            // deleted behind the journal's back: the part's write below breaks its foreign key
            messages.deleteFrom(session, gone.id());
            HeldWriter.until(db, release);
            var part = new Part.Text(PartId.next(), session, gone.id(), "lost", false);
            journal.of(row).partBehind(part);
            assertThat(journal.history(session).getLast().parts()).containsExactly(part);

            release.countDown();
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (!journal.history(session).getLast().parts().isEmpty() && System.nanoTime() < deadline) Thread.sleep(5);
            assertThat(journal.history(session).getLast().parts()).isEmpty();
            assertThat(events).extracting(EventEnvelope::event).doesNotContain(new Event.PartUpdated(part));
        }
    }

    @Test
    void aPartReplacesTheOneWithItsIdOrJoinsItsMessageInIdOrderAndAPartOfAMessageNotHeldIsDropped() {
        PartId first = PartId.next();
        PartId second = PartId.next();
        PartId third = PartId.next();
        var stored = List.of(new MessageWithParts(new AssistantMessage(answer, session, MessageId.next(), "build", "a/b", 2, Optional.empty(),
                Optional.empty(), Optional.empty(), Usage.ZERO, 0), List.of(text(first, "one"), text(third, "three"))));
        var live = new LiveHistory();
        live.load(stored);
        List<MessageWithParts> earlier = live.read();

        live.pending(text(second, "two"));
        live.part(text(third, "three, longer"));
        live.part(new Part.Text(PartId.next(), session, MessageId.next(), "of a message not held", false));

        assertThat(answerParts(live.read())).containsExactly(text(first, "one"), text(second, "two"), text(third, "three, longer"));
        assertThat(live.read()).hasSize(1);
        assertThat(answerParts(earlier)).as("a read is a copy").containsExactly(text(first, "one"), text(third, "three"));
        live.failed(text(second, "two"));
        assertThat(answerParts(live.read())).containsExactly(text(first, "one"), text(third, "three, longer"));
    }

    @Test
    void aPartWrittenBehindBeforeTheHoldAndCommittedAfterItIsInTheHeldHistory() throws Exception {
        HeldWriter.until(db, release);
        var part = new Part.Text(PartId.next(), session, answer, "queued before the turn began", false);
        journal.of(row).partBehind(part);
        // the writer is freed while live() loads: the load must wait for the queued part, or it is missing all turn long
        var freeing = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            release.countDown();
        });
        try (var _ = journal.live(session)) {
            freeing.join();
            assertThat(answerParts(journal.history(session))).containsExactly(part);
            assertThat(journal.history(session)).isEqualTo(messages.bySession(session));
        }
    }

    @Test
    void aNewerVersionWhoseWriteBehindFailsGivesWayToTheVersionCommitted() throws Exception {
        // a real refusal by SQLite of one version of the part, the other versions pass
        db.update("CREATE TRIGGER refuse_poison_update BEFORE UPDATE ON part WHEN NEW.data LIKE '%poison%' BEGIN SELECT RAISE(ABORT, 'refused'); END");
        db.update("CREATE TRIGGER refuse_poison_insert BEFORE INSERT ON part WHEN NEW.data LIKE '%poison%' BEGIN SELECT RAISE(ABORT, 'refused'); END");
        var running = new Part.Tool(PartId.next(), session, answer, "c1", "read", new ToolState.Running(INPUT, "a.txt", 3, ""));
        List<EventEnvelope> events = new CopyOnWriteArrayList<>();
        try (var _ = journal.live(session); var _ = bus.subscribe(EventFilter.ALL, bus.lastSeq(), events::add)) {
            journal.of(row).part(running);
            var poisoned = running.withState(new ToolState.Completed(INPUT, "poison", "a.txt", Map.of(), 3, 4));
            HeldWriter.until(db, release);
            journal.of(row).partBehind(poisoned);
            assertThat(answerParts(journal.history(session))).containsExactly(poisoned);

            release.countDown();
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (answerParts(journal.history(session)).contains(poisoned) && System.nanoTime() < deadline) Thread.sleep(5);
            assertThat(answerParts(journal.history(session))).as("the version still stored").containsExactly(running);
            assertThat(journal.history(session)).isEqualTo(messages.bySession(session));
            assertThat(events).extracting(EventEnvelope::event).doesNotContain(new Event.PartUpdated(poisoned));
        }
    }

    @Test
    void messagesDeletedThroughTheJournalLeaveTheHeldHistory() {
        try (var _ = journal.live(session)) {
            var later = new UserMessage(MessageId.next(), session, 5, "build", "a/b");
            journal.of(row).user(later, List.of(new Part.Text(PartId.next(), session, later.id(), "again", false)));
            assertThat(journal.history(session)).hasSize(3);

            journal.deleteFrom(session, answer);

            assertThat(journal.history(session)).hasSize(1);
            assertThat(journal.history(session)).isEqualTo(messages.bySession(session));
        }
    }

    private Part.Text text(PartId id, String text) {
        return new Part.Text(id, session, answer, text, false);
    }

    private List<Part> answerParts(List<MessageWithParts> history) {
        return history.stream().filter(m -> m.info().id().equals(answer)).findFirst().orElseThrow().parts();
    }
}
