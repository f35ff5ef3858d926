package dev.lathe.core.session;

import static dev.lathe.core.session.ScriptedProtocol.call;
import static dev.lathe.core.session.ScriptedProtocol.finish;
import static dev.lathe.core.session.ScriptedProtocol.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.llm.Content;
import dev.lathe.llm.LlmError;
import dev.lathe.llm.LlmEvent;
import dev.lathe.llm.LlmMessage;
import dev.lathe.llm.LlmRequest;
import dev.lathe.llm.StopReason;
import dev.lathe.protocol.api.Delivery;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.api.PermissionReplyRequest;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.PermissionReply;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.PromptNotRun;
import dev.lathe.protocol.session.PromptQueued;
import dev.lathe.protocol.session.ToolState;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DESIGN §18 "Steering": a prompt to a busy session is queued behind the running turn (the default), steered into it
 * at its next step boundary, or interrupts it. The running turn is held at a permission ask (or a gated model response)
 * while the second prompt arrives, so what each delivery does is seen in the model's requests.
 */
class SteeringTest {
    @TempDir Path tmp;

    private static LlmEvent[] calls(LlmEvent[]... groups) {
        return Stream.concat(Stream.of(groups).flatMap(Stream::of), Stream.of(finish(StopReason.TOOL_CALLS))).toArray(LlmEvent[]::new);
    }

    private static String lastUserText(LlmRequest request) {
        LlmMessage last = request.messages().stream().filter(m -> m.role() == LlmMessage.Role.USER).reduce((a, b) -> b).orElseThrow();
        return last.content().stream().map(String::valueOf).reduce("", String::concat);
    }

    private static String all(LlmRequest request) {
        return request.messages().toString();
    }

    private static Event.PermissionAsked awaitAsk(Harness h) throws InterruptedException {
        return (Event.PermissionAsked) h.awaitEvent(Event.PermissionAsked.class::isInstance);
    }

    /** Waits until {@code prompt} has a completed answer, then for the session to be idle. */
    private static void awaitAnswer(Harness h, dev.lathe.protocol.SessionId id, dev.lathe.protocol.MessageId prompt) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
        while (h.api.messages(id).stream().noneMatch(m -> m.info() instanceof AssistantMessage a && a.parentId().equals(prompt) && a.completedAt().isPresent())) {
            if (System.nanoTime() > deadline) throw new AssertionError("no answer to " + prompt);
            Thread.sleep(10);
        }
        h.awaitIdle(id);
    }

    private static PromptRequest prompt(String text, Delivery delivery) {
        return PromptRequest.text(text).delivered(delivery);
    }

    @Test
    void aSteeredPromptIsInTheNextRequestOfTheSameTurn() throws Exception {
        try (var h = new Harness(tmp, "", 10)) {
            h.llm.then(calls(call(0, "c1", "write", "{\"path\":\"a.txt\",\"content\":\"a\"}")));
            h.llm.then(text("Written, and noted."), finish(StopReason.STOP));
            var s = h.session();
            var first = h.api.prompt(s.id(), PromptRequest.text("write a"));
            var ask = awaitAsk(h);

            var steered = h.api.prompt(s.id(), prompt("use lowercase names", Delivery.steer));
            assertThat(steered.queued()).isTrue();
            h.api.replyPermission(ask.request().id(), PermissionReplyRequest.of(PermissionReply.ONCE));
            h.awaitIdle(s.id());

            // two requests in all: the step after the boundary carried it, and no turn was started for it
            assertThat(h.llm.requests).hasSize(2);
            assertThat(all(h.llm.requests.get(0))).doesNotContain("use lowercase names");
            assertThat(lastUserText(h.llm.requests.get(1))).contains("use lowercase names");
            List<MessageWithParts> history = h.api.messages(s.id());
            assertThat(history).extracting(m -> m.info().id()).contains(first.messageId(), steered.messageId());
            assertThat(history.getLast().info()).isInstanceOfSatisfying(AssistantMessage.class, a -> assertThat(a.parentId()).isEqualTo(steered.messageId()));
        }
    }

    /**
     * On a team server a prompt steered through another node is stored by that node and queued through the cluster's
     * leases; the node running the turn must add it to the history the turn holds, or it would only be answered as a
     * turn of its own after this one. Here the other node is played by a direct store write and a queue call.
     */
    @Test
    void aPromptStoredElsewhereAndQueuedThroughTheLeasesJoinsTheRunningTurn() throws Exception {
        try (var h = new Harness(tmp, "", 10)) {
            h.llm.then(calls(call(0, "c1", "write", "{\"path\":\"a.txt\",\"content\":\"a\"}")));
            h.llm.then(text("Written, and noted."), finish(StopReason.STOP));
            var s = h.session();
            h.api.prompt(s.id(), PromptRequest.text("write a"));
            var ask = awaitAsk(h);

            var elsewhere = new dev.lathe.protocol.session.UserMessage(dev.lathe.protocol.MessageId.next(), s.id(), System.currentTimeMillis(), "build", s.model());
            h.storage.messages().insertUser(elsewhere, List.of(new Part.Text(dev.lathe.protocol.PartId.next(), s.id(), elsewhere.id(), "use lowercase names", false)));
            h.cluster.leases().queue(s.id());
            h.api.replyPermission(ask.request().id(), PermissionReplyRequest.of(PermissionReply.ONCE));
            h.awaitIdle(s.id());

            assertThat(h.llm.requests).as("the step after the boundary carried it; no turn of its own").hasSize(2);
            assertThat(lastUserText(h.llm.requests.get(1))).contains("use lowercase names");
        }
    }

    @Test
    void aQueuedPromptWaitsForTheTurnsEndAndIsATurnOfItsOwn() throws Exception {
        try (var h = new Harness(tmp, "", 10)) {
            h.llm.then(calls(call(0, "c1", "write", "{\"path\":\"a.txt\",\"content\":\"a\"}")));
            h.llm.then(text("Written."), finish(StopReason.STOP));
            h.llm.then(text("Here is the summary."), finish(StopReason.STOP));
            var s = h.session();
            h.api.prompt(s.id(), PromptRequest.text("write a"));
            var ask = awaitAsk(h);

            // no delivery given: queue, the default
            var queued = h.api.prompt(s.id(), PromptRequest.text("then summarise"));
            var waiting = h.api.messages(s.id()).stream().filter(m -> m.info().id().equals(queued.messageId())).findFirst().orElseThrow();
            assertThat(PromptQueued.marks(waiting.parts())).as("stored with the mark, so the running turn never reads it").isTrue();
            h.api.replyPermission(ask.request().id(), PermissionReplyRequest.of(PermissionReply.ONCE));
            h.awaitIdle(s.id());

            assertThat(h.llm.requests).hasSize(3);
            assertThat(all(h.llm.requests.get(1))).as("the running turn's next request").doesNotContain("then summarise");
            LlmRequest own = h.llm.requests.get(2);
            assertThat(lastUserText(own)).contains("then summarise").doesNotContain(PromptQueued.TEXT);
            assertThat(all(own)).contains("Written.");
            // taken up after the answer it waited behind: the mark removed, the same message, answered by a turn of its own
            List<MessageWithParts> history = h.api.messages(s.id());
            MessageWithParts taken = history.stream().filter(m -> m.info().id().equals(queued.messageId())).findFirst().orElseThrow();
            assertThat(PromptQueued.marks(taken.parts())).isFalse();
            assertThat(h.events).anySatisfy(e -> assertThat(e.event()).isInstanceOfSatisfying(Event.PartRemoved.class,
                    r -> assertThat(r.messageId()).isEqualTo(queued.messageId())));
            assertThat(history.getLast().info()).isInstanceOfSatisfying(AssistantMessage.class, a -> assertThat(a.parentId()).isEqualTo(queued.messageId()));
            assertThat(history.get(history.size() - 3).info()).isInstanceOf(AssistantMessage.class);
        }
    }

    /** A prompt queued behind a turn that then fails was never tried: it runs as its own turn, not at the next message. */
    @Test
    void aQueuedPromptRunsAfterTheTurnItWaitedBehindFailed() throws Exception {
        try (var h = new Harness(tmp, "", 10)) {
            h.llm.then(calls(call(0, "c1", "write", "{\"path\":\"a.txt\",\"content\":\"a\"}")));
            h.llm.then(ScriptedProtocol.failed(new LlmError.InvalidRequest(400, "the model said NO WAY")));
            h.llm.then(text("Here is the summary."), finish(StopReason.STOP));
            var s = h.session();
            h.api.prompt(s.id(), PromptRequest.text("write a"));
            var ask = awaitAsk(h);
            var queued = h.api.prompt(s.id(), PromptRequest.text("then summarise"));
            h.api.replyPermission(ask.request().id(), PermissionReplyRequest.of(PermissionReply.ONCE));

            awaitAnswer(h, s.id(), queued.messageId());
            assertThat(h.llm.requests).hasSize(3);
            assertThat(lastUserText(h.llm.requests.get(2))).contains("then summarise");
            List<MessageWithParts> history = h.api.messages(s.id());
            assertThat(history.getLast().info()).isInstanceOfSatisfying(AssistantMessage.class, a -> {
                assertThat(a.parentId()).isEqualTo(queued.messageId());
                assertThat(a.error()).isEmpty();
            });
        }
    }

    @Test
    void twoQueuedPromptsRunOneTurnEachInTheOrderSentEachReadAfterTheAnswersBeforeIt() throws Exception {
        try (var h = new Harness(tmp, "", 10)) {
            h.llm.then(calls(call(0, "c1", "write", "{\"path\":\"a.txt\",\"content\":\"a\"}")));
            h.llm.then(text("Written."), finish(StopReason.STOP));
            h.llm.then(text("First done."), finish(StopReason.STOP));
            h.llm.then(text("Second done."), finish(StopReason.STOP));
            var s = h.session();
            h.api.prompt(s.id(), PromptRequest.text("write a"));
            var ask = awaitAsk(h);
            h.api.prompt(s.id(), prompt("queued one", Delivery.queue));
            h.api.prompt(s.id(), prompt("queued two", Delivery.queue));
            h.api.replyPermission(ask.request().id(), PermissionReplyRequest.of(PermissionReply.ONCE));
            h.awaitIdle(s.id());

            assertThat(h.llm.requests).hasSize(4);
            assertThat(lastUserText(h.llm.requests.get(2))).contains("queued one");
            assertThat(all(h.llm.requests.get(2))).doesNotContain("queued two");
            String fourth = all(h.llm.requests.get(3));
            assertThat(lastUserText(h.llm.requests.get(3))).contains("queued two");
            // each read right before its own answer: after "Written." and "First done.", in the order they were answered
            assertThat(fourth.indexOf("Written.")).isLessThan(fourth.indexOf("queued one"));
            assertThat(fourth.indexOf("queued one")).isLessThan(fourth.indexOf("First done."));
            assertThat(fourth.indexOf("First done.")).isLessThan(fourth.indexOf("queued two"));
        }
    }

    /**
     * A server that stops while a turn waits (SIGTERM) ends the turn before its store closes, and the prompt queued
     * behind it stays queued for the next server: unlike a user's interrupt, the stop is not the user's choice.
     */
    @Test
    void aStoppingServerEndsTheRunningTurnAndKeepsThePromptQueuedBehindIt() throws Exception {
        try (var h = new Harness(tmp, "", 10)) {
            h.llm.then(calls(call(0, "c1", "write", "{\"path\":\"a.txt\",\"content\":\"a\"}")));
            var s = h.session();
            h.api.prompt(s.id(), PromptRequest.text("write a"));
            awaitAsk(h);
            var queued = h.api.prompt(s.id(), prompt("then write b", Delivery.queue));

            h.sessions.stop(java.time.Duration.ofSeconds(10));

            assertThat(h.api.status(s.id())).isInstanceOf(dev.lathe.protocol.session.SessionStatus.Idle.class);
            var history = h.api.messages(s.id());
            assertThat(history).as("the turn's answer was ended and stored").anyMatch(m -> m.info() instanceof AssistantMessage a && a.completedAt().isPresent());
            var prompt = history.stream().filter(m -> m.info().id().equals(queued.messageId())).findFirst().orElseThrow();
            assertThat(dev.lathe.protocol.session.PromptNotRun.marks(prompt.parts())).as("the queued prompt is not marked not run").isFalse();
            // nothing starts in a stopped server, not even the queued prompt
            assertThat(h.llm.requests).hasSize(1);
        }
    }

    @Test
    void aPromptQueuedWhenTheServerStoppedRunsOnceAtTheNextStart() throws Exception {
        dev.lathe.protocol.SessionId id;
        dev.lathe.protocol.MessageId queued;
        try (var h = new Harness(tmp, "", 10)) {
            h.llm.then(calls(call(0, "c1", "write", "{\"path\":\"a.txt\",\"content\":\"a\"}")));
            id = h.session().id();
            h.api.prompt(id, PromptRequest.text("write a"));
            awaitAsk(h);
            queued = h.api.prompt(id, prompt("then write b", Delivery.queue)).messageId();
            h.sessions.stop(java.time.Duration.ofSeconds(10));
        }
        // the next start (same data folder) takes the queued prompt up as a turn of its own, once
        try (var h = new Harness(tmp, "", 10)) {
            h.llm.then(text("Wrote b."), finish(StopReason.STOP));
            awaitAnswer(h, id, queued);
            Thread.sleep(300);
            h.awaitIdle(id);
            assertThat(h.llm.requests).as("one request: the queued prompt's turn").hasSize(1);
            assertThat(lastUserText(h.llm.requests.getFirst())).contains("then write b");
            assertThat(h.api.messages(id).stream().filter(m -> m.info() instanceof AssistantMessage a && a.parentId().equals(queued)))
                    .as("answered once").hasSize(1);
            var prompt = h.api.messages(id).stream().filter(m -> m.info().id().equals(queued)).findFirst().orElseThrow();
            assertThat(PromptQueued.marks(prompt.parts())).as("no longer marked queued").isFalse();
        }
    }

    @Test
    void aSteerAcceptedWhileAStepRunsSkipsTheCallsThatHadNotStarted() throws Exception {
        try (var h = new Harness(tmp, "", 10)) {
            // two writes in one step: they run one at a time, so the second waits while the first one's ask is open
            h.llm.then(calls(call(0, "c1", "write", "{\"path\":\"a.txt\",\"content\":\"a\"}"), call(1, "c2", "write", "{\"path\":\"b.txt\",\"content\":\"b\"}")));
            h.llm.then(text("Stopped after a."), finish(StopReason.STOP));
            var s = h.session();
            h.api.prompt(s.id(), PromptRequest.text("write a and b"));
            var ask = awaitAsk(h);

            h.api.prompt(s.id(), prompt("do not write b", Delivery.steer));
            h.api.replyPermission(ask.request().id(), PermissionReplyRequest.of(PermissionReply.ONCE));
            h.awaitIdle(s.id());

            assertThat(h.project.resolve("a.txt")).hasContent("a");
            assertThat(h.project.resolve("b.txt")).doesNotExist();
            Part.Tool second = h.api.messages(s.id()).stream().flatMap(m -> m.parts().stream()).filter(Part.Tool.class::isInstance)
                    .map(Part.Tool.class::cast).filter(t -> t.callId().equals("c2")).findFirst().orElseThrow();
            assertThat(second.state()).isInstanceOfSatisfying(ToolState.Failed.class, f -> assertThat(f.error()).startsWith("skipped: the user sent a message"));
            assertThat(h.llm.requests).hasSize(2);
            LlmRequest next = h.llm.requests.get(1);
            assertThat(next.messages().stream().flatMap(m -> m.content().stream()).filter(Content.ToolResult.class::isInstance).map(String::valueOf))
                    .anySatisfy(r -> assertThat(r).contains("skipped: the user sent a message"));
            assertThat(lastUserText(next)).contains("do not write b");
        }
    }

    @Test
    void anInterruptStopsALongCommandAndRunsTheMessageNext() throws Exception {
        try (var h = new Harness(tmp, ", \"permission\": {\"bash\": \"allow\"}", 10)) {
            h.llm.then(calls(call(0, "c1", "bash", "{\"command\":\"sleep 30.3\"}")));
            h.llm.then(text("Stopped; doing the other thing."), finish(StopReason.STOP));
            var s = h.session();
            h.api.prompt(s.id(), PromptRequest.text("run it"));
            long sleeper = dev.lathe.testkit.ChildProcesses.await("sleep 30.3");

            long before = System.nanoTime();
            var interrupting = h.api.prompt(s.id(), prompt("stop that and do the other thing", Delivery.interrupt));
            assertThat((System.nanoTime() - before) / 1_000_000).as("ms until the interrupt was accepted").isLessThan(15_000);
            long accepted = System.nanoTime();
            while (dev.lathe.testkit.ChildProcesses.isRunning(sleeper) && System.nanoTime() - accepted < 2_000_000_000L) Thread.sleep(10);
            assertThat(dev.lathe.testkit.ChildProcesses.isRunning(sleeper)).as("the command, 2 s after the interrupt was accepted").isFalse();
            awaitAnswer(h, s.id(), interrupting.messageId());

            assertThat(h.llm.requests).hasSize(2);
            assertThat(lastUserText(h.llm.requests.get(1))).contains("stop that and do the other thing");
            List<MessageWithParts> history = h.api.messages(s.id());
            assertThat(history.get(1).info()).isInstanceOfSatisfying(AssistantMessage.class,
                    a -> assertThat(a.error()).hasValueSatisfying(e -> assertThat(e.kind()).isEqualTo("aborted")));
            assertThat(history.getLast().info()).isInstanceOfSatisfying(AssistantMessage.class, a -> {
                assertThat(a.parentId()).isEqualTo(interrupting.messageId());
                assertThat(a.error()).isEmpty();
            });
        }
    }

    @Test
    void aSteerThatArrivesAsTheTurnEndsBecomesTheNextTurn() throws Exception {
        try (var h = new Harness(tmp, "", 10)) {
            var release = new CountDownLatch(1);
            // the turn's last step is in flight when the steer arrives: there is no later boundary in this turn
            h.llm.thenAfter(release, text("All done."), finish(StopReason.STOP));
            h.llm.then(text("And the late one too."), finish(StopReason.STOP));
            var s = h.session();
            h.api.prompt(s.id(), PromptRequest.text("do it"));
            assertThat(h.llm.gated.await(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

            var late = h.api.prompt(s.id(), prompt("one more thing", Delivery.steer));
            release.countDown();
            h.awaitIdle(s.id());

            assertThat(h.llm.requests).hasSize(2);
            assertThat(lastUserText(h.llm.requests.get(1))).contains("one more thing");
            assertThat(all(h.llm.requests.get(1))).contains("All done.");
            assertThat(h.api.messages(s.id()).getLast().info()).isInstanceOfSatisfying(AssistantMessage.class,
                    a -> assertThat(a.parentId()).isEqualTo(late.messageId()));
        }
    }

    /**
     * A stop marks every prompt queued behind the run not run, wherever it sorts: one queued before the turn opened its
     * second answer (to a steer that came as its last step ended) sorts before that answer. It used to stay queued in the
     * stopped session, unmarked, and run behind the user's next prompt; and a prompt queued just after the stop then
     * waited behind it, unanswered, in an idle session.
     */
    @Test
    void aStopMarksEveryPromptQueuedBehindTheRunNotRunAndTheNextPromptRunsAlone() throws Exception {
        try (var h = new Harness(tmp, "", 10)) {
            var release = new CountDownLatch(1);
            h.llm.thenAfter(release, text("All done."), finish(StopReason.STOP));
            h.llm.thenHang(text("On it"));
            h.llm.then(text("Answered the next one."), finish(StopReason.STOP));
            h.llm.then(text("Never asked for."), finish(StopReason.STOP));
            var s = h.session();
            h.api.prompt(s.id(), PromptRequest.text("do it"));
            assertThat(h.llm.gated.await(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            var steered = h.api.prompt(s.id(), prompt("one more thing", Delivery.steer));
            var queued = h.api.prompt(s.id(), prompt("and after that", Delivery.queue));
            release.countDown();
            assertThat(h.llm.hanging.await(20, java.util.concurrent.TimeUnit.SECONDS)).as("the second answer streams").isTrue();
            assertThat(h.api.messages(s.id()).getLast().info()).as("the queued prompt sorts before the answer being written")
                    .isInstanceOfSatisfying(AssistantMessage.class, a -> assertThat(a.parentId()).isEqualTo(steered.messageId()));

            h.api.abort(s.id());
            h.awaitIdle(s.id());
            var stopped = h.api.messages(s.id()).stream().filter(m -> m.info().id().equals(queued.messageId())).findFirst().orElseThrow();
            assertThat(PromptNotRun.marks(stopped.parts())).as("the prompt queued behind the stopped run is marked not run").isTrue();

            var next = h.api.prompt(s.id(), PromptRequest.text("next"));
            awaitAnswer(h, s.id(), next.messageId());
            Thread.sleep(300); // a queued prompt would be taken up now, behind the answer
            h.awaitIdle(s.id());
            assertThat(h.llm.requests).as("the stopped queue never runs").hasSize(3);
            assertThat(h.api.messages(s.id())).noneMatch(m -> m.info() instanceof AssistantMessage a && a.parentId().equals(queued.messageId()));
        }
    }

    @Test
    void onAnIdleSessionEveryDeliveryStartsATurn() throws Exception {
        try (var h = new Harness(tmp, "", 10)) {
            var s = h.session();
            for (Delivery d : Delivery.values()) {
                h.llm.then(text("answered " + d), finish(StopReason.STOP));
                var accepted = h.api.prompt(s.id(), prompt("as " + d, d));
                assertThat(accepted.queued()).isFalse();
                awaitAnswer(h, s.id(), accepted.messageId());
                assertThat(lastUserText(h.llm.requests.getLast())).contains("as " + d);
            }
            assertThat(h.llm.requests).hasSize(3);
        }
    }
}
