package dev.lathe.core.session.journal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Usage;
import dev.lathe.protocol.session.UserMessage;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The list a read of the held history hands out is kept until something changes (issue 55: a step reads several times,
 * most find nothing new): every change, of any kind, must be seen by the next read, and only an unchanged history gives
 * the same list again.
 */
class LiveHistoryTest {
    private final SessionId session = SessionId.next();
    private final MessageId prompt = MessageId.next();
    private final MessageId answer = MessageId.next();
    private final PartId first = PartId.next();

    private LiveHistory loaded() {
        var live = new LiveHistory();
        live.load(List.of(
                new MessageWithParts(new UserMessage(prompt, session, 1, "build", "a/b"), List.of(text(prompt, PartId.next(), "hi"))),
                new MessageWithParts(assistant(answer, 2), List.of(text(answer, first, "one")))));
        return live;
    }

    @Test
    void anUnchangedHistoryIsReadAsTheSameListAndAPartCommittedBehindChangesNothingSeen() {
        var live = loaded();
        List<MessageWithParts> read = live.read();
        assertThat(live.read()).isSameAs(read);
        live.committed(text(answer, first, "one"));
        assertThat(live.read()).isSameAs(read);
        assertThat(live.find(answer)).contains(read.getLast());
        assertThat(live.find(MessageId.next())).isEmpty();
    }

    @Test
    void everyKindOfChangeIsSeenByTheNextRead() {
        PartId second = PartId.next();
        MessageId later = MessageId.next();
        List<Change> changes = List.of(
                new Change("a part written", l -> l.part(text(answer, second, "two")), r -> parts(r, answer).size() == 2),
                new Change("a part written behind", l -> l.pending(text(answer, second, "two")), r -> parts(r, answer).size() == 2),
                new Change("a part replaced", l -> l.part(text(answer, first, "one, longer")),
                        r -> parts(r, answer).equals(List.of(text(answer, first, "one, longer")))),
                new Change("a failed write", l -> {
                    l.pending(text(answer, second, "two"));
                    l.read();
                    l.failed(text(answer, second, "two"));
                }, r -> parts(r, answer).size() == 1),
                new Change("a part removed", l -> l.removed(text(answer, first, "one")), r -> parts(r, answer).isEmpty()),
                new Change("a message written", l -> l.message(new UserMessage(later, session, 3, "build", "a/b")), r -> r.size() == 3),
                new Change("a message updated", l -> l.message(assistant(answer, 9)), r -> ((AssistantMessage) r.getLast().info()).createdAt() == 9),
                new Change("a message removed", l -> l.removedMessage(answer), r -> r.size() == 1),
                new Change("messages deleted from one on", l -> l.deletedFrom(prompt), List::isEmpty),
                new Change("a prompt stored elsewhere", l -> l.promptsStoredElsewhere(List.of(new MessageWithParts(
                        new UserMessage(later, session, 3, "build", "a/b"), List.of()))), r -> r.size() == 3),
                new Change("loaded again", l -> l.load(List.of()), List::isEmpty));
        for (Change c : changes) {
            var live = loaded();
            List<MessageWithParts> before = live.read();
            c.change().accept(live);
            List<MessageWithParts> after = live.read();
            assertThat(after).as(c.name()).isNotSameAs(before);
            assertThat(c.seen().test(after)).as(c.name()).isTrue();
            assertThat(before).as(c.name() + ": a list handed out never changes").hasSize(2);
        }
    }

    @Test
    void partsWrittenInAnyOrderReplacedFailedAndRemovedAreHeldInIdOrderAsATreeWouldHoldThem() {
        var random = new java.util.Random(66);
        List<PartId> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) ids.add(PartId.next());
        for (int round = 0; round < 20; round++) {
            var live = loaded();
            // the reference: parts by id in a sorted tree, and the versions committed
            var model = new java.util.TreeMap<String, Part>();
            var committed = new java.util.HashMap<String, Part>();
            model.put(first.value(), text(answer, first, "one"));
            committed.put(first.value(), text(answer, first, "one"));
            for (int op = 0; op < 200; op++) {
                PartId id = ids.get(random.nextInt(ids.size()));
                Part part = text(answer, id, "v" + op);
                switch (random.nextInt(5)) {
                    case 0 -> {
                        live.part(part);
                        model.put(id.value(), part);
                        committed.put(id.value(), part);
                    }
                    case 1 -> {
                        live.pending(part);
                        model.put(id.value(), part);
                    }
                    case 2 -> {
                        Part held = model.get(id.value());
                        if (held == null) continue;
                        live.failed(held);
                        Part stored = committed.get(id.value());
                        if (stored != null) model.put(id.value(), stored);
                        else model.remove(id.value());
                    }
                    case 3 -> {
                        live.removed(part);
                        model.remove(id.value());
                        committed.remove(id.value());
                    }
                    default -> {
                        Part held = model.get(id.value());
                        if (held == null) continue;
                        live.committed(held);
                        committed.put(id.value(), held);
                    }
                }
                if (op % 7 == 0) assertThat(parts(live.read(), answer)).as("round %d, op %d", round, op).containsExactlyElementsOf(model.values());
            }
            assertThat(parts(live.read(), answer)).containsExactlyElementsOf(model.values());
        }
    }

    private record Change(String name, Consumer<LiveHistory> change, java.util.function.Predicate<List<MessageWithParts>> seen) {}

    private static List<Part> parts(List<MessageWithParts> history, MessageId id) {
        return history.stream().filter(m -> m.info().id().equals(id)).findFirst().orElseThrow().parts();
    }

    private AssistantMessage assistant(MessageId id, long created) {
        return new AssistantMessage(id, session, prompt, "build", "a/b", created, Optional.empty(), Optional.empty(), Optional.empty(), Usage.ZERO, 0);
    }

    private Part.Text text(MessageId message, PartId id, String text) {
        return new Part.Text(id, session, message, text, false);
    }
}
