package dev.lathe.tui.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.ProjectId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.LatheApi;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.api.PromptAccepted;
import dev.lathe.protocol.api.TrustInfo;
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
                    case "messages" -> List.of(new MessageWithParts(new UserMessage(prompt, S, 0, "build", "fake/m"), List.of()));
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
}
