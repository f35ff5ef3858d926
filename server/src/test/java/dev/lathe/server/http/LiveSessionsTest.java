package dev.lathe.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.client.HttpLatheClient;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.Delivery;
import dev.lathe.protocol.api.EventFilter;
import dev.lathe.protocol.api.InputPart;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.EventEnvelope;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.protocol.session.UserMessage;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sessions live in the server, not in a client (DESIGN §3, §5): they finish with nobody attached, every attached
 * client sees every event in the same order, a client that loses its connection resumes without gaps or repeats,
 * and prompts from several clients at once are queued onto the one running loop.
 */
class LiveSessionsTest {
    @TempDir Path tmp;
    LiveServer live;

    @BeforeEach
    void start() throws Exception {
        live = new LiveServer(tmp, ", \"permission\": {\"*\": \"allow\", \"bash\": \"allow\"}");
    }

    @AfterEach
    void stop() {
        live.close();
    }

    @Test
    void aSessionFinishesWithNoClientAttachedAndALaterClientSeesTheWholeResult() throws Exception {
        Files.writeString(live.project.resolve("notes.txt"), "alpha\n");
        live.llm.enqueue(slow(Turn.of(Step.text("Reading it. "), Step.toolCall("call_1", "read", "{\"path\": \"notes.txt\"}"))));
        live.llm.enqueue(slow(Turn.of(Step.text("The file says alpha."))));
        SessionId id;
        try (HttpLatheClient first = live.client()) {
            id = live.session(first).id();
            first.prompt(id, prompt("what is in notes.txt?"));
        }  // the first client is gone before the model has answered

        assertThat(live.llm.awaitRequests(2, Duration.ofSeconds(20))).isTrue();
        try (HttpLatheClient second = live.client()) {
            live.awaitIdle(second, id);
            List<MessageWithParts> messages = second.messages(id);
            // one assistant message per turn, holding both steps
            assertThat(messages).extracting(m -> m.info().getClass().getSimpleName()).containsExactly("UserMessage", "AssistantMessage");
            Part.Tool read = tools(messages).getFirst();
            assertThat(read.state()).isInstanceOfSatisfying(ToolState.Completed.class, c -> assertThat(c.output()).contains("alpha"));
            assertThat(texts(messages.getLast())).isEqualTo("Reading it. The file says alpha.");
            assertThat(((AssistantMessage) messages.getLast().info()).completedAt()).isPresent();
        }
    }

    @Test
    void twoAttachedClientsReceiveEveryEventInTheSameOrder() throws Exception {
        live.llm.enqueue(slow(Turn.of(Step.text("one two three"), Step.toolCall("call_1", "list", "{}"))));
        live.llm.enqueue(slow(Turn.of(Step.text("done"))));
        List<EventEnvelope> a = new CopyOnWriteArrayList<>();
        List<EventEnvelope> b = new CopyOnWriteArrayList<>();
        try (HttpLatheClient ca = live.client(); HttpLatheClient cb = live.client()) {
            SessionId id = live.session(ca).id();
            try (var _ = ca.subscribe(EventFilter.session(id), 0, a::add); var _ = cb.subscribe(EventFilter.session(id), 0, b::add)) {
                ca.prompt(id, prompt("list the folder"));
                live.awaitIdle(ca, id);
                awaitIdleEvent(a);
                awaitIdleEvent(b);
            }
        }
        List<Long> seqA = seqs(a);
        assertThat(seqA).hasSizeGreaterThan(10).isSorted().doesNotHaveDuplicates();
        assertThat(seqs(b)).isEqualTo(seqA);
        assertThat(real(a)).extracting(EventEnvelope::event).isEqualTo(real(b).stream().map(EventEnvelope::event).toList());
    }

    @Test
    void aClientThatLosesItsConnectionResumesWithoutMissingOrRepeatedEvents() throws Exception {
        live.llm.enqueue(Turn.of(Step.text("a long answer streamed in many small pieces, ".repeat(6)), Step.toolCall("call_1", "list", "{}"))
                .delayBetweenEvents(Duration.ofMillis(15)));
        live.llm.enqueue(Turn.of(Step.text("and the rest of it, ".repeat(6))).delayBetweenEvents(Duration.ofMillis(15)));
        List<EventEnvelope> direct = new CopyOnWriteArrayList<>();
        List<EventEnvelope> flaky = new CopyOnWriteArrayList<>();
        try (var proxy = new CuttableProxy(live.http.port());
             HttpLatheClient reference = live.client();
             HttpLatheClient roaming = HttpLatheClient.connect(proxy.url(), live.token, Optional.of(live.project.toString()))) {
            SessionId id = live.session(reference).id();
            try (var _ = reference.subscribe(EventFilter.session(id), 0, direct::add);
                 var _ = roaming.subscribe(EventFilter.session(id), 0, flaky::add)) {
                reference.prompt(id, prompt("go"));
                for (int cut = 0; cut < 3; cut++) {
                    int seen = flaky.size();
                    EventStreamTest.waitUntil(() -> flaky.size() > seen + 5);
                    proxy.cutAll();
                }
                live.awaitIdle(reference, id);
                awaitIdleEvent(direct);
                awaitIdleEvent(flaky);
            }
        }
        assertThat(flaky.stream().filter(e -> e.event() instanceof Event.ServerConnected)).as("reconnections").hasSize(4);
        assertThat(flaky).noneMatch(e -> e.event() instanceof Event.Resync);
        assertThat(seqs(flaky)).doesNotHaveDuplicates().isEqualTo(seqs(direct));
    }

    @Test
    void promptsFromTwoClientsWhileBusyAreQueuedOntoTheOneLoopAndBothClientsSeeBoth() throws Exception {
        // the first answer asks for a tool, so the second prompt reaches the model at that step boundary
        live.llm.enqueue(slow(Turn.of(Step.text("working"), Step.toolCall("call_1", "bash", "{\"command\": \"sleep 0.5; echo slept\"}"))));
        live.llm.enqueue(Turn.of(Step.text("both handled")));
        List<EventEnvelope> a = new CopyOnWriteArrayList<>();
        List<EventEnvelope> b = new CopyOnWriteArrayList<>();
        try (HttpLatheClient ca = live.client(); HttpLatheClient cb = live.client()) {
            SessionId id = live.session(ca).id();
            try (var _ = ca.subscribe(EventFilter.session(id), 0, a::add); var _ = cb.subscribe(EventFilter.session(id), 0, b::add)) {
                ca.prompt(id, prompt("first from A"));
                assertThat(live.llm.awaitRequests(1, Duration.ofSeconds(10))).isTrue();
                // steered: the running turn reads it at its next step (queue, the default, would wait for a turn of its own)
                cb.prompt(id, prompt("second from B").delivered(Delivery.steer));
                assertThat(cb.statuses("")).containsEntry(id, dev.lathe.protocol.session.SessionStatus.BUSY);
                assertThat(cb.statuses(live.project.toString())).containsOnlyKeys(id);
                live.awaitIdle(ca, id);
                awaitIdleEvent(a);
                awaitIdleEvent(b);
            }
            assertThat(live.llm.requests()).hasSize(2);
            String secondRequest = live.llm.requests().get(1).body();
            assertThat(secondRequest).contains("first from A").contains("second from B").contains("slept");
            List<MessageWithParts> messages = ca.messages(id);
            assertThat(messages.stream().filter(m -> m.info() instanceof UserMessage)).hasSize(2);
            assertThat(texts(messages.getLast())).isEqualTo("both handled");
        }
        for (List<EventEnvelope> seen : List.of(a, b)) {
            assertThat(userMessageTexts(seen)).containsExactly("first from A", "second from B");
            // one loop: the session never reported idle between the two prompts
            assertThat(seen.stream().filter(e -> e.event() instanceof Event.SessionStatusChanged s
                    && s.status() instanceof dev.lathe.protocol.session.SessionStatus.Idle)).hasSize(1);
        }
    }

    private static Turn slow(Turn turn) {
        return turn.delayBetweenEvents(Duration.ofMillis(20));
    }

    private static PromptRequest prompt(String text) {
        return new PromptRequest(List.of(new InputPart.Text(text)), Optional.empty(), Optional.empty());
    }

    private static void awaitIdleEvent(List<EventEnvelope> seen) throws InterruptedException {
        EventStreamTest.waitUntil(() -> seen.stream().anyMatch(e -> e.event() instanceof Event.SessionStatusChanged s
                && s.status() instanceof dev.lathe.protocol.session.SessionStatus.Idle));
    }

    /** Events of the session itself, without the connection's own frames. */
    private static List<EventEnvelope> real(List<EventEnvelope> seen) {
        return seen.stream().filter(e -> !(e.event() instanceof Event.ServerConnected || e.event() instanceof Event.ServerHeartbeat)).toList();
    }

    private static List<Long> seqs(List<EventEnvelope> seen) {
        return real(seen).stream().map(EventEnvelope::seq).toList();
    }

    private static List<String> userMessageTexts(List<EventEnvelope> seen) {
        return seen.stream().map(EventEnvelope::event)
                .filter(e -> e instanceof Event.PartUpdated p && p.part() instanceof Part.Text t && !t.synthetic())
                .map(e -> ((Part.Text) ((Event.PartUpdated) e).part()))
                .filter(t -> t.text().contains("from"))
                .map(Part.Text::text).distinct().toList();
    }

    private static List<Part.Tool> tools(List<MessageWithParts> messages) {
        return messages.stream().flatMap(m -> m.parts().stream()).filter(p -> p instanceof Part.Tool).map(p -> (Part.Tool) p).toList();
    }

    private static String texts(MessageWithParts message) {
        return message.parts().stream().filter(p -> p instanceof Part.Text t && !t.synthetic()).map(p -> ((Part.Text) p).text())
                .reduce("", String::concat);
    }
}
