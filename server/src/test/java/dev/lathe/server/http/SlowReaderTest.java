package dev.lathe.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.client.HttpLatheClient;
import dev.lathe.protocol.api.EventFilter;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.EventEnvelope;
import dev.lathe.protocol.session.Session;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 52: a reader of {@code /events} that does not keep up while a long answer streams costs the server a bounded
 * amount (it held ~190 MB), is dropped with a {@code resync} marker, and resumes after it with the events that
 * follow; a reader beside it that keeps up receives every delta. Real core, real HTTP on loopback, the fake LLM.
 */
class SlowReaderTest {
    /**
     * 12 MB of answer in 1 KB deltas, three times the bound per subscriber: fewer events than the old count bound
     * (50,000), so only a bound in bytes holds.
     */
    static final int DELTAS = 12_000;
    static final int DELTA_CHARS = 1_000;

    @TempDir Path tmp;
    LiveServer live;

    @BeforeEach
    void start() throws Exception {
        // a reader that is slow, not stopped: the stall timeout (which drops a reader whose buffer stays full) is long
        // and the answer may be as long as the test needs (limits.maxAnswerBytes is 4 MiB by default)
        live = new LiveServer(tmp, ", \"limits\": {\"maxAnswerBytes\": 0}", false, Duration.ofSeconds(120));
    }

    @AfterEach
    void stop() {
        live.close();
    }

    @Test
    void aReaderThatFallsBehindALongAnswerIsDroppedWithAResyncAndResumesWhileOthersGetEverything() throws Exception {
        List<String> deltas = new ArrayList<>();
        for (int i = 0; i < DELTAS; i++) deltas.add(Character.toString('a' + i % 26).repeat(DELTA_CHARS));
        // paced (~0.5 ms a delta, ~2 MB/s) so that the reader that keeps up does, even on a CI machine busy with other
        // tests (at 5 MB/s it once fell the bound's 4 MB behind): a reader 4 MB behind is a slow one
        live.llm.enqueue(Turn.of(Step.textDeltas(deltas)).delayBetweenEvents(Duration.ofNanos(500_000)));
        live.llm.enqueue(Turn.of(Step.text("second answer")));
        HttpLatheClient fastClient = live.client();
        HttpLatheClient slowClient = live.client();
        Session session = live.session(fastClient);
        var release = new CountDownLatch(1);
        // what the reader that keeps up received, counted rather than kept: the test's own heap is measured
        var fastText = new java.util.concurrent.atomic.AtomicLong();
        var fastResyncs = new java.util.concurrent.atomic.AtomicInteger();
        List<EventEnvelope> slow = new CopyOnWriteArrayList<>();
        try (var _ = fastClient.subscribe(EventFilter.session(session.id()), 0, e -> {
                 if (e.event() instanceof Event.PartDelta d && d.delta().length() == DELTA_CHARS) fastText.addAndGet(d.delta().length());
                 if (e.event() instanceof Event.Resync) fastResyncs.incrementAndGet();
             });
             var _ = slowClient.subscribe(EventFilter.session(session.id()), 0, e -> {
                 // the client reads its socket on this thread: while it waits, nothing is read and the server's side fills
                 if (e.event() instanceof Event.ServerConnected) return;
                 try {
                     release.await(120, TimeUnit.SECONDS);
                 } catch (InterruptedException ex) {
                     Thread.currentThread().interrupt();
                 }
                 // kept only once released (the test's own heap is measured while it waits)
                 if (!(e.event() instanceof Event.PartDelta d && d.delta().length() == DELTA_CHARS)) slow.add(e);
             })) {
            // what the server holds for its subscribers, sampled while the answer streams
            var most = new java.util.concurrent.atomic.AtomicLong();
            var bus = (dev.lathe.core.api.LocalLathe) live.core.api();
            Thread sampler = Thread.ofPlatform().daemon().start(() -> {
                // while the deltas stream: the answer's final text part (12 MB in one event) may wait alone, as any single event may
                while (!Thread.currentThread().isInterrupted() && fastText.get() < (long) DELTAS * DELTA_CHARS * 9 / 10) {
                    most.accumulateAndGet(bus.heaviestBacklog(), Math::max);
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException ex) {
                        return;
                    }
                }
            });
            fastClient.prompt(session.id(), PromptRequest.text("write a lot"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
            while (fastText.get() < (long) DELTAS * DELTA_CHARS && System.nanoTime() < deadline) Thread.sleep(50);
            live.awaitIdle(fastClient, session.id());
            sampler.interrupt();
            assertThat(fastText.get()).as("text the reader that keeps up received").isEqualTo((long) DELTAS * DELTA_CHARS);
            assertThat(fastResyncs.get()).isZero();
            // at most the bound per subscriber (4 M characters): the 8 MB more the slow reader had missed by then were not held for it
            assertThat(most.get()).as("the most event text one subscriber had waiting").isLessThanOrEqualTo(dev.lathe.core.bus.EventBus.SUBSCRIBER_WEIGHT);

            release.countDown();
            fastClient.prompt(session.id(), PromptRequest.text("again"));
            EventStreamTest.waitUntil(() -> slow.stream().anyMatch(SlowReaderTest::secondAnswer));
            // a copy: the reader goes on adding, and a view of a CopyOnWriteArrayList fails once it changes (a CI failure)
            List<EventEnvelope> seen = List.copyOf(slow);
            List<EventEnvelope> resyncs = seen.stream().filter(e -> e.event() instanceof Event.Resync).toList();
            assertThat(resyncs).as("the slow reader was told to refetch").isNotEmpty();
            int marker = seen.indexOf(resyncs.getFirst());
            assertThat(seen.subList(marker, seen.size())).as("the slow reader resumed after its marker").anyMatch(SlowReaderTest::secondAnswer);
        } finally {
            release.countDown();
        }
    }

    private static boolean secondAnswer(EventEnvelope e) {
        return e.event() instanceof Event.PartDelta d && d.delta().contains("second answer")
                || e.event() instanceof Event.PartUpdated u && u.part() instanceof dev.lathe.protocol.session.Part.Text t && t.text().contains("second answer");
    }
}
