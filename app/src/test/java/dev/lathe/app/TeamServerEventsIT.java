package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.CreateSessionRequest;
import dev.lathe.protocol.api.EventFilter;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.EventEnvelope;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.PostgresCluster;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.TempWorkspace;
import dev.lathe.testkit.Turn;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Any node serves any session, live (DESIGN §20, §18 "Team server"): two real {@code lathe serve} nodes on one
 * PostgreSQL; a client on node A watches (SSE) a turn that runs on node B, while it runs; it then drops its connection
 * and resumes on node B with its last event id, and what it read on both nodes together is every event once, in order
 * (the answer's text rebuilt from its deltas is the stored text: no gap, no duplicate).
 */
class TeamServerEventsIT {
    private static final Duration WAIT = Duration.ofSeconds(120);  // six engineers on two cores: generous, never weaker

    @TempDir Path tmp;

    @Test
    void aClientOnOneNodeWatchesATurnOnAnotherAndResumesOnItWithoutGapOrDuplicate() throws Exception {
        var db = PostgresCluster.shared().newDatabase("team_events");
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create()) {
            ws.write("notes.txt", "remember the milk\n").initGitRepo();
            String config = Lathe.providerConfig("anthropic-messages", llm.baseUrl(), "sk-x");
            var nodes = TeamNode.startAll(List.of(tmp.resolve("node-a"), tmp.resolve("node-b")), config, db.url());
            try (var a = nodes.get(0); var b = nodes.get(1);
                    var onA = a.client(ws.path()); var onB = b.client(ws.path())) {
                SessionId id = onA.createSession(CreateSessionRequest.in(ws.path().toString())).id();
                var seenOnA = new CopyOnWriteArrayList<EventEnvelope>();  // the stream's own frames (connected, heartbeat) left out
                String answer = "Streaming slowly from node B. " + "Word by word. ".repeat(60);
                var watchOnA = onA.subscribe(EventFilter.session(id), 0, e -> keep(seenOnA, e));
                llm.enqueue(Turn.of(Step.text(answer)).delayBetweenEvents(Duration.ofMillis(30)));
                onB.prompt(id, PromptRequest.text("tell me slowly"));  // the turn runs on B
                await(() -> deltas(seenOnA).size() >= 10);
                // live: A's client had text while B was still answering
                assertThat(TeamNode.completedAnswers(onB, id)).isZero();
                watchOnA.close();  // the connection drops mid-turn
                List<EventEnvelope> before = List.copyOf(seenOnA);
                long lastId = before.getLast().seq();

                var seenOnB = new CopyOnWriteArrayList<EventEnvelope>();
                try (var _ = onB.subscribe(EventFilter.session(id), lastId, e -> keep(seenOnB, e))) {
                    await(() -> seenOnB.stream().anyMatch(e -> e.event() instanceof Event.SessionStatusChanged s && s.status() instanceof SessionStatus.Idle));
                }
                assertThat(seenOnB).noneMatch(e -> e.event() instanceof Event.Resync);
                List<EventEnvelope> all = new ArrayList<>(before);
                all.addAll(seenOnB);
                assertThat(all.stream().map(EventEnvelope::seq).toList()).isSorted().doesNotHaveDuplicates();
                var text = new StringBuilder();
                for (Event.PartDelta d : deltas(all)) {
                    assertThat(d.offset()).as("each delta continues the text: none missing, none twice").isEqualTo(text.length());
                    text.append(d.delta());
                }
                assertThat(text.toString()).isEqualTo(answer);
                assertThat(onA.messages(id).getLast().parts()).anySatisfy(p -> assertThat(p).isInstanceOfSatisfying(Part.Text.class,
                        t -> assertThat(t.text()).isEqualTo(answer)));
            }
        }
    }

    /** Keeps what the bus published: the stream's connected and heartbeat frames repeat the resume point's id. */
    private static void keep(List<EventEnvelope> seen, EventEnvelope e) {
        if (!(e.event() instanceof Event.ServerConnected) && !(e.event() instanceof Event.ServerHeartbeat)) seen.add(e);
    }

    private static List<Event.PartDelta> deltas(List<EventEnvelope> events) {
        return events.stream().map(EventEnvelope::event).filter(Event.PartDelta.class::isInstance).map(Event.PartDelta.class::cast).toList();
    }

    private static void await(BooleanSupplier done) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > end) throw new AssertionError("timed out");
            Thread.sleep(50);
        }
    }
}
