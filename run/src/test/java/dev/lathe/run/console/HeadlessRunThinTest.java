package dev.lathe.run.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.ProjectId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.EventListener;
import dev.lathe.protocol.api.LatheApi;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.api.PromptAccepted;
import dev.lathe.protocol.api.TrustInfo;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.EventEnvelope;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.protocol.session.Usage;
import dev.lathe.protocol.session.UserMessage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@code lathe run} is a thin client (issue 55): with its turn's events whole it prints and sums them as they come and
 * never reads the session's history, which grows with every step; with events lost (a resync) it reads the store.
 */
class HeadlessRunThinTest {
    private static final SessionId S = new SessionId("ses_thin");
    private final MessageId prompt = MessageId.next();
    private final MessageId answer = MessageId.next();

    @Test
    void aTurnWhoseEventsCameWholeIsSummedFromThemWithoutReadingTheHistory() throws Exception {
        var reads = new AtomicInteger();
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        assertThat(run(events(false), reads, out, err)).isEqualTo(ExitCode.FINISHED);
        assertThat(reads).as("reads of the session's messages").hasValue(0);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("Reading.\n\nDone: it works.\n");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("lathe: 2 steps, 250 tokens, $0.0012, ");
    }

    @Test
    void aTurnWhoseEventsWereLostIsReadFromTheStore() throws Exception {
        var reads = new AtomicInteger();
        var err = new ByteArrayOutputStream();
        assertThat(run(events(true), reads, new ByteArrayOutputStream(), err)).isEqualTo(ExitCode.FINISHED);
        assertThat(reads).hasValue(1);
        // the store's history says what the lost events did not: its own totals
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("lathe: 1 step, 7 tokens, ");
    }

    /**
     * A client slower than its server (a loaded machine, a long session) finds the turn over by polling while its events
     * are still seconds behind; it catches up with them as long as they keep coming, rather than reading the turn from the
     * store, which held the whole session in memory at once (issue 70: the client's peak grew with the session).
     */
    @Test
    void aStreamBehindItsServerIsCaughtUpWithNotReplacedByTheStore() throws Exception {
        var reads = new AtomicInteger();
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        // 14 events 200 ms apart: the last arrives ~2.8 s after the polls found the session idle (the old wait was 1 s)
        assertThat(run(events(false), reads, out, err, 200)).isEqualTo(ExitCode.FINISHED);
        assertThat(reads).as("reads of the session's messages").hasValue(0);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("Reading.\n\nDone: it works.\n");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("lathe: 2 steps, 250 tokens, $0.0012, ");
    }

    private List<Event> events(boolean lost) {
        PartId s1 = PartId.next();
        PartId t1 = PartId.next();
        PartId s2 = PartId.next();
        PartId t2 = PartId.next();
        var all = new ArrayList<Event>(List.of(
                new Event.MessageUpdated(new UserMessage(prompt, S, 0, "build", "fake/m")),
                new Event.SessionStatusChanged(S, SessionStatus.BUSY),
                new Event.MessageUpdated(assistant(Usage.ZERO, 0, Optional.empty())),
                new Event.PartUpdated(new Part.StepStart(s1, S, answer, Optional.empty(), java.util.Map.of())),
                new Event.PartUpdated(new Part.Text(t1, S, answer, "", false)),
                new Event.PartDelta(S, answer, t1, "text", "Reading."),
                new Event.PartUpdated(new Part.StepFinish(PartId.next(), S, answer, "tool-calls", Usage.ZERO, 0, Optional.empty())),
                new Event.PartUpdated(new Part.StepStart(s2, S, answer, Optional.empty(), java.util.Map.of())),
                new Event.PartUpdated(new Part.Text(t2, S, answer, "", false)),
                new Event.PartDelta(S, answer, t2, "text", "Done: "),
                new Event.PartDelta(S, answer, t2, "text", "it works.")));
        if (lost) all.add(new Event.Resync());
        all.addAll(List.of(
                new Event.PartUpdated(new Part.StepFinish(PartId.next(), S, answer, "stop", Usage.ZERO, 0, Optional.empty())),
                new Event.MessageUpdated(assistant(new Usage(200, 40, 0, 10, 0), 1234, Optional.of("stop"))),
                new Event.SessionStatusChanged(S, SessionStatus.IDLE)));
        return all;
    }

    private AssistantMessage assistant(Usage usage, long cost, Optional<String> finish) {
        return new AssistantMessage(answer, S, prompt, "build", "fake/m", 0, Optional.empty(), finish, Optional.empty(), usage, cost);
    }

    private int run(List<Event> events, AtomicInteger reads, ByteArrayOutputStream out, ByteArrayOutputStream err) throws Exception {
        return run(events, reads, out, err, 0);
    }

    /** @param gapMillis 0: the events come with the prompt's answer; otherwise from another thread, this far apart */
    private int run(List<Event> events, AtomicInteger reads, ByteArrayOutputStream out, ByteArrayOutputStream err, long gapMillis) throws Exception {
        var session = new Session(S, new ProjectId("prj_1"), "/tmp/p", Optional.empty(), "t", "build", "fake/m", 0, 0, Optional.empty(),
                Usage.ZERO, 0, Optional.empty());
        var listener = new AtomicReference<EventListener>();
        LatheApi api = (LatheApi) Proxy.newProxyInstance(LatheApi.class.getClassLoader(), new Class<?>[] {LatheApi.class}, (self, method, args) ->
                switch (method.getName()) {
                    case "trust" -> new TrustInfo("/tmp/p", true, true, List.of());
                    case "createSession" -> session;
                    case "subscribe" -> {
                        listener.set((EventListener) args[2]);
                        yield (AutoCloseable) () -> { };
                    }
                    case "prompt" -> {
                        Runnable deliver = () -> {
                            long seq = 1;
                            for (Event e : events) {
                                if (gapMillis > 0) sleep(gapMillis);
                                listener.get().on(new EventEnvelope(seq++, 0, Optional.of("/tmp/p"), e));
                            }
                        };
                        if (gapMillis == 0) deliver.run();
                        else Thread.ofVirtual().start(deliver);
                        yield new PromptAccepted(prompt);
                    }
                    case "permissions", "questions", "children" -> List.of();
                    case "status" -> SessionStatus.IDLE;
                    case "messages" -> {
                        reads.incrementAndGet();
                        var stored = new AssistantMessage(answer, S, prompt, "build", "fake/m", 0, Optional.empty(), Optional.of("stop"),
                                Optional.empty(), new Usage(5, 2, 0, 0, 0), 1);
                        yield HeadlessRunEndTest.stored(args, List.of(new MessageWithParts(new UserMessage(prompt, S, 0, "build", "fake/m"), List.of()),
                                new MessageWithParts(stored, List.<Part>of(new Part.StepStart(PartId.next(), S, answer, Optional.empty(), java.util.Map.of()),
                                        new Part.Text(PartId.next(), S, answer, "Done: it works.", false),
                                        new Part.StepFinish(PartId.next(), S, answer, "stop", Usage.ZERO, 0, Optional.empty())))));
                    }
                    case "close" -> null;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        var run = new HeadlessRun(api, new RunOptions("/tmp/p", "hi", Optional.empty(), Optional.of("fake/m"), Optional.empty(), Optional.empty(),
                false, OutputFormat.text, false), new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        var exit = new CompletableFuture<Integer>();
        Thread.ofVirtual().start(() -> {
            try {
                exit.complete(run.run());
            } catch (Throwable t) {
                exit.completeExceptionally(t);
            }
        });
        return exit.get(10, TimeUnit.SECONDS);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
