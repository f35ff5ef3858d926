package dev.lathe.run.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.ProjectId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.EventListener;
import dev.lathe.protocol.api.LatheApi;
import dev.lathe.protocol.api.MessagePage;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.api.PromptAccepted;
import dev.lathe.protocol.api.TrustInfo;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.EventEnvelope;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.MessageError;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.protocol.session.Usage;
import dev.lathe.protocol.session.UserMessage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code lathe run} ends when its turn ends, also when the events that would say so never arrive: a subscriber that fell
 * behind is dropped after a resync, a daemon's stream can break. The turn here failed before its first step (an
 * unreachable provider, a model that cannot be resolved): the history holds the prompt and nothing after it.
 */
class HeadlessRunEndTest {
    private static final SessionId S = new SessionId("ses_end");

    @Test
    void aTurnThatFailedBeforeItsFirstStepEndsTheRunThoughItsEventsWereLost() throws Exception {
        MessageId prompt = MessageId.next();
        var session = new Session(S, new ProjectId("prj_1"), "/tmp/p", Optional.empty(), "t", "build", "fake/m", 0, 0, Optional.empty(),
                Usage.ZERO, 0, Optional.empty());
        // the session's runner finished (idle); the event stream delivered nothing of it
        LatheApi api = (LatheApi) Proxy.newProxyInstance(LatheApi.class.getClassLoader(), new Class<?>[] {LatheApi.class}, (self, method, args) ->
                switch (method.getName()) {
                    case "trust" -> new TrustInfo("/tmp/p", true, true, List.of());
                    case "createSession" -> session;
                    case "subscribe" -> (AutoCloseable) () -> { };
                    case "prompt" -> new PromptAccepted(prompt);
                    case "permissions", "questions", "children" -> List.of();
                    case "status" -> SessionStatus.IDLE;
                    case "messages" -> stored(args, List.of(new MessageWithParts(new UserMessage(prompt, S, 0, "build", "fake/m"), List.of())));
                    case "close" -> null;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        var err = new ByteArrayOutputStream();
        var run = new HeadlessRun(api, new RunOptions("/tmp/p", "hi", Optional.empty(), Optional.of("fake/m"), Optional.empty(), Optional.empty(),
                false, OutputFormat.text, false), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        // a virtual thread (a daemon): a run that never ends fails the test instead of holding up the JVM
        var exit = new java.util.concurrent.CompletableFuture<Integer>();
        Thread.ofVirtual().start(() -> {
            try {
                exit.complete(run.run());
            } catch (Throwable t) {
                exit.completeExceptionally(t);
            }
        });
        long start = System.nanoTime();
        assertThat(exit.get(10, TimeUnit.SECONDS)).isEqualTo(ExitCode.MODEL_ERROR);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("lathe: 0 steps");
    }

    /**
     * A prompt a {@code UserPromptSubmit} hook refused is taken back from the store; the run found the end by polling
     * before the events said why. The store's last answer is then an earlier turn's: the run must not end as if it were
     * this one's, and it waits for the refusal the live stream is still bringing.
     */
    @Test
    void aPromptTakenBackEndsTheRunWithItsRefusalThoughTheEventsCameAfterTheIdlePolls() throws Exception {
        MessageId earlier = MessageId.next();
        MessageId answer = MessageId.next();
        MessageId prompt = MessageId.next();
        var session = new Session(S, new ProjectId("prj_1"), "/tmp/p", Optional.empty(), "t", "build", "fake/m", 0, 0, Optional.empty(),
                Usage.ZERO, 0, Optional.empty());
        var listener = new java.util.concurrent.atomic.AtomicReference<EventListener>();
        var polls = new java.util.concurrent.atomic.AtomicInteger();
        LatheApi api = (LatheApi) Proxy.newProxyInstance(LatheApi.class.getClassLoader(), new Class<?>[] {LatheApi.class}, (self, method, args) ->
                switch (method.getName()) {
                    case "trust" -> new TrustInfo("/tmp/p", true, true, List.of());
                    case "createSession" -> session;
                    case "subscribe" -> {
                        listener.set((EventListener) args[2]);
                        yield (AutoCloseable) () -> { };
                    }
                    case "prompt" -> new PromptAccepted(prompt);
                    case "permissions", "questions", "children" -> List.of();
                    case "status" -> {
                        // the second idle poll ends the waiting; the turn's events arrive a moment later
                        if (polls.incrementAndGet() == 2) Thread.ofVirtual().start(() -> lateEvents(listener.get(), prompt));
                        yield SessionStatus.IDLE;
                    }
                    // the earlier turn only: this run's prompt was taken back
                    case "messages" -> stored(args, List.of(new MessageWithParts(new UserMessage(earlier, S, 0, "build", "fake/m"), List.of()),
                            new MessageWithParts(new AssistantMessage(answer, S, earlier, "build", "fake/m", 1, Optional.of(2L), Optional.of("stop"),
                                    Optional.empty(), Usage.ZERO, 0), List.of())));
                    case "close" -> null;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        var err = new ByteArrayOutputStream();
        var run = new HeadlessRun(api, new RunOptions("/tmp/p", "a forbidden thing", Optional.empty(), Optional.of("fake/m"), Optional.empty(),
                Optional.empty(), false, OutputFormat.text, false), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(run.run()).isEqualTo(ExitCode.MODEL_ERROR);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("prompts about forbidden things are refused");
    }

    /** The stored history as {@code messages} answers: whole, or the page its arguments ask for. */
    @SuppressWarnings("unchecked")
    static Object stored(Object[] args, List<MessageWithParts> history) {
        return args.length == 1 ? history : MessagePage.of(history, (int) args[1], (Optional<MessageId>) args[2]);
    }

    private static void lateEvents(EventListener listener, MessageId prompt) {
        try {
            Thread.sleep(300);
        } catch (InterruptedException e) {
            return;
        }
        List<Event> events = List.of(new Event.MessageUpdated(new UserMessage(prompt, S, 3, "build", "fake/m")),
                new Event.SessionStatusChanged(S, SessionStatus.BUSY),
                new Event.SessionErrored(S, new MessageError("hook_blocked", "A UserPromptSubmit hook blocked the prompt: prompts about forbidden things are refused")),
                new Event.SessionStatusChanged(S, SessionStatus.IDLE));
        long seq = 1;
        for (Event e : events) listener.on(new EventEnvelope(seq++, 0, Optional.of("/tmp/p"), e));
    }
}
