package dev.lathe.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.client.HttpLatheClient;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.EventFilter;
import dev.lathe.protocol.api.InputPart;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.EventEnvelope;
import dev.lathe.protocol.session.Part;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client that opens a session while its answer streams joins what it fetched with the deltas it receives (issue 42):
 * the messages it reads carry the streaming text up to the moment of reading, not as of the last periodic write, and
 * each delta's offset tells which of its characters that text already holds. Joined so, the text equals the stored
 * answer wherever the client opened it, with no character missing or doubled.
 */
class StreamJoinTest {
    @TempDir Path tmp;
    LiveServer live;

    @BeforeEach
    void start() throws Exception {
        live = new LiveServer(tmp, ", \"permission\": {\"*\": \"allow\"}");
    }

    @AfterEach
    void stop() {
        live.close();
    }

    @Test
    void aSnapshotTakenAtAnyMomentOfAStreamJoinsTheLaterDeltasByTheirOffsets() throws Exception {
        List<String> deltas = IntStream.range(0, 300).mapToObj(i -> (i % 40 == 39 ? "end.\n\n" : "word" + i + " ")).toList();
        String answer = String.join("", deltas);
        live.llm.enqueue(Turn.of(Step.textDeltas(deltas)).delayBetweenEvents(Duration.ofMillis(8)));
        List<EventEnvelope> events = new CopyOnWriteArrayList<>();
        Random random = new Random(42);
        record Open(int seenBefore, List<MessageWithParts> snapshot) {}
        List<Open> opens = new ArrayList<>();
        try (HttpLatheClient client = live.client()) {
            SessionId id = live.session(client).id();
            try (var _ = client.subscribe(EventFilter.session(id), 0, events::add)) {
                EventStreamTest.waitUntil(() -> events.stream().anyMatch(e -> e.event() instanceof Event.ServerConnected));
                client.prompt(id, new PromptRequest(List.of(new InputPart.Text("talk")), Optional.empty(), Optional.empty()));
                // open the session (fetch its newest messages, as the web UI does) at random moments of the stream
                while (!answerDone(events)) {
                    Thread.sleep(random.nextInt(5, 60));
                    int seen = events.size();
                    opens.add(new Open(seen, client.messages(id, 150, Optional.empty()).messages()));
                }
                live.awaitIdle(client, id);
            }
            String stored = client.messages(id).getLast().parts().stream().filter(p -> p instanceof Part.Text).map(p -> ((Part.Text) p).text())
                    .reduce("", String::concat);
            assertThat(stored).isEqualTo(answer);
        }
        PartId textPart = events.stream().map(EventEnvelope::event).filter(e -> e instanceof Event.PartDelta).map(e -> ((Event.PartDelta) e).partId())
                .findFirst().orElseThrow();
        int midStream = 0;
        for (Open open : opens) {
            String held = open.snapshot().stream().flatMap(m -> m.parts().stream()).filter(p -> p.id().equals(textPart))
                    .map(p -> ((Part.Text) p).text()).findFirst().orElse(null);
            if (held == null) continue; // opened before the answer began: its part.updated brings it
            if (held.length() < answer.length()) midStream++;
            // every delta received before the fetch began is in what it returned
            int announced = events.subList(0, open.seenBefore()).stream().map(EventEnvelope::event)
                    .filter(e -> e instanceof Event.PartDelta d && d.partId().equals(textPart))
                    .mapToInt(e -> ((Event.PartDelta) e).offset() + ((Event.PartDelta) e).delta().length()).max().orElse(0);
            assertThat(held.length()).as("the snapshot holds every delta announced before it").isGreaterThanOrEqualTo(announced);
            StringBuilder text = new StringBuilder(held);
            for (EventEnvelope e : events.subList(open.seenBefore(), events.size())) {
                if (!(e.event() instanceof Event.PartDelta d) || !d.partId().equals(textPart)) continue;
                assertThat(d.offset()).as("a delta never lies past what the client holds").isLessThanOrEqualTo(text.length());
                int skip = Math.min(text.length() - d.offset(), d.delta().length());
                text.append(d.delta(), skip, d.delta().length());
                assertThat(answer).as("the joined text is always a beginning of the answer").startsWith(text.toString());
            }
            assertThat(text.toString()).isEqualTo(answer);
        }
        assertThat(midStream).as("sessions opened mid-stream").isGreaterThan(5);
    }

    private static boolean answerDone(List<EventEnvelope> events) {
        return events.stream().anyMatch(e -> e.event() instanceof Event.SessionStatusChanged s
                && s.status() instanceof dev.lathe.protocol.session.SessionStatus.Idle);
    }
}
