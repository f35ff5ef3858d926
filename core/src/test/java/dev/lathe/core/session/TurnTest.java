package dev.lathe.core.session;

import dev.lathe.core.context.ContextBuilder;
import dev.lathe.core.project.Project;
import dev.lathe.core.session.background.TaskTurns;
import dev.lathe.core.session.inbox.PromptIntake;
import dev.lathe.core.session.journal.JournalSeams;
import dev.lathe.core.session.runner.RunnerSeams;
import dev.lathe.core.session.runner.SessionRunner;

import static dev.lathe.core.session.ScriptedProtocol.call;
import static dev.lathe.core.session.ScriptedProtocol.finish;
import static dev.lathe.core.session.ScriptedProtocol.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.llm.Content;
import dev.lathe.llm.LlmEvent;
import dev.lathe.llm.LlmMessage;
import dev.lathe.llm.LlmRequest;
import dev.lathe.llm.StopReason;
import dev.lathe.llm.ToolChoice;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.api.PermissionReplyRequest;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.EventEnvelope;
import dev.lathe.protocol.event.PermissionReply;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.ToolState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TurnTest {
    @TempDir Path tmp;

    private static LlmEvent[] concat(LlmEvent[]... groups) {
        return Stream.of(groups).flatMap(Stream::of).toArray(LlmEvent[]::new);
    }

    private static List<Content.ToolResult> results(LlmRequest request) {
        return request.messages().stream().flatMap(m -> m.content().stream())
                .filter(Content.ToolResult.class::isInstance).map(Content.ToolResult.class::cast).toList();
    }

    private static AssistantMessage lastAssistant(List<MessageWithParts> history) {
        return (AssistantMessage) history.getLast().info();
    }

    @Test
    void parallelToolCallsRunAndTheirResultsGoBackToTheModel() throws Exception {
        try (var h = new Harness(tmp, "", 10)) {
            Files.writeString(h.project.resolve("a.txt"), "hello\n");
            Files.writeString(h.project.resolve("b.txt"), "world\n");
            h.llm.then(concat(new LlmEvent[] {text("Let me look.")}, call(1, "c1", "read", "{\"path\":\"a.txt\"}"),
                    call(2, "c2", "read", "{\"path\":\"" + h.project.resolve("b.txt") + "\"}"), new LlmEvent[] {finish(StopReason.TOOL_CALLS)}));
            h.llm.then(text("Both files read."), finish(StopReason.STOP));
            var s = h.session();

            h.promptAndWait(s.id(), "read a and b");

            assertThat(h.llm.requests).hasSize(2);
            var second = h.llm.requests.get(1);
            assertThat(results(second)).extracting(Content.ToolResult::callId).containsExactly("c1", "c2");
            assertThat(results(second).get(0).output()).contains("hello");
            assertThat(results(second).get(1).output()).contains("world");
            assertThat(second.messages().getFirst().role()).isEqualTo(LlmMessage.Role.USER);
            // the second request starts with the first one's messages: the cached prefix holds
            assertThat(second.messages().subList(0, 1)).isEqualTo(h.llm.requests.get(0).messages());
            assertThat(second.system()).isEqualTo(h.llm.requests.get(0).system());

            var history = h.api.messages(s.id());
            var done = lastAssistant(history);
            assertThat(done.finish()).contains("stop");
            assertThat(done.error()).isEmpty();
            assertThat(history.getLast().parts()).extracting(p -> p.getClass().getSimpleName())
                    .containsExactly("StepStart", "Text", "Tool", "Tool", "StepFinish", "StepStart", "Text", "StepFinish");
            assertThat(history.getLast().parts()).filteredOn(Part.Tool.class::isInstance)
                    .allSatisfy(p -> assertThat(((Part.Tool) p).state()).isInstanceOf(ToolState.Completed.class));
            // environment goes into the first user message, never into the system blocks
            assertThat(history.getFirst().parts()).anySatisfy(p -> assertThat(p).isInstanceOfSatisfying(Part.Text.class,
                    t -> assertThat(t.synthetic() && t.text().contains("<environment>")).isTrue()));
            assertThat(String.join("", second.system())).doesNotContain(h.project.toString());
        }
    }

    @Test
    void parallelEditsOfOneFileAreAppliedOneAfterTheOther() throws Exception {
        try (var h = new Harness(tmp, ", \"permission\": {\"edit\": \"allow\"}", 10)) {
            Files.writeString(h.project.resolve("f.txt"), "one\ntwo\nthree\nfour\n");
            List<LlmEvent[]> calls = new java.util.ArrayList<>();
            String[] words = {"one", "two", "three", "four"};
            for (int i = 0; i < words.length; i++) {
                calls.add(call(i, "c" + i, "edit", "{\"path\":\"f.txt\",\"oldString\":\"" + words[i] + "\",\"newString\":\"" + words[i].toUpperCase() + "\"}"));
            }
            calls.add(new LlmEvent[] {finish(StopReason.TOOL_CALLS)});
            h.llm.then(concat(calls.toArray(LlmEvent[][]::new)));
            h.llm.then(text("ok"), finish(StopReason.STOP));
            var s = h.session();

            h.promptAndWait(s.id(), "shout");

            assertThat(Files.readString(h.project.resolve("f.txt"))).isEqualTo("ONE\nTWO\nTHREE\nFOUR\n");
        }
    }

    /** Each edit needs the one before it: any other order fails one (a lock alone let a later call go first). */
    @Test
    void editsOfOneStepRunInTheOrderTheModelGaveThem() throws Exception {
        try (var h = new Harness(tmp, ", \"permission\": {\"edit\": \"allow\"}", 10)) {
            Files.writeString(h.project.resolve("f.txt"), "v0\n");
            List<LlmEvent[]> calls = new java.util.ArrayList<>();
            for (int i = 0; i < 12; i++) {
                calls.add(call(i, "c" + i, "edit", "{\"path\":\"f.txt\",\"oldString\":\"v" + i + "\",\"newString\":\"v" + (i + 1) + "\"}"));
            }
            calls.add(new LlmEvent[] {finish(StopReason.TOOL_CALLS)});
            h.llm.then(concat(calls.toArray(LlmEvent[][]::new)));
            h.llm.then(text("ok"), finish(StopReason.STOP));
            var s = h.session();

            h.promptAndWait(s.id(), "count up");

            assertThat(Files.readString(h.project.resolve("f.txt"))).isEqualTo("v12\n");
        }
    }

    @Test
    void aRateLimitIsRetriedAfterRetryAfterWithARetryStatus() throws Exception {
        try (var h = new Harness(tmp, "", 10)) {
            h.llm.then(ScriptedProtocol.failed(new dev.lathe.llm.LlmError.RateLimited(Optional.of(java.time.Duration.ofMillis(20)), "slow down")));
            h.llm.then(text("made it"), finish(StopReason.STOP));
            var s = h.session();

            h.promptAndWait(s.id(), "hi");

            assertThat(h.llm.requests).hasSize(2);
            var last = h.api.messages(s.id()).getLast();
            assertThat(lastAssistant(h.api.messages(s.id())).finish()).contains("stop");
            assertThat(last.parts()).anySatisfy(p -> assertThat(p).isInstanceOfSatisfying(Part.Retry.class, r -> {
                assertThat(r.attempt()).isEqualTo(2);
                assertThat(r.error()).contains("rate_limited").contains("slow down");
            }));
            assertThat(h.events).anySatisfy(e -> assertThat(e.event()).isInstanceOfSatisfying(Event.SessionStatusChanged.class,
                    c -> assertThat(c.status()).isInstanceOf(dev.lathe.protocol.session.SessionStatus.Retry.class)));
        }
    }

    @Test
    void aRefusedRequestIsNotRetriedAndRetriesAreBounded() throws Exception {
        try (var h = new Harness(tmp, ", \"retry\": {\"maxAttempts\": 2}", 10)) {
            h.llm.then(ScriptedProtocol.failed(new dev.lathe.llm.LlmError.InvalidRequest(400, "bad field")));
            var s = h.session();
            h.promptAndWait(s.id(), "one");
            assertThat(h.llm.requests).hasSize(1);
            assertThat(lastAssistant(h.api.messages(s.id())).error()).hasValueSatisfying(e -> assertThat(e.kind()).isEqualTo("invalid_request"));

            var limited = new dev.lathe.llm.LlmError.RateLimited(Optional.of(java.time.Duration.ofMillis(5)), "again");
            h.llm.then(ScriptedProtocol.failed(limited)).then(ScriptedProtocol.failed(limited)).then(text("never"), finish(StopReason.STOP));
            h.events.clear();
            h.promptAndWait(s.id(), "two");
            assertThat(h.llm.requests).hasSize(3);
            assertThat(lastAssistant(h.api.messages(s.id())).error()).hasValueSatisfying(e -> assertThat(e.kind()).isEqualTo("rate_limited"));
        }
    }

    @Test
    void aRetryAfterABrokenStreamDoesNotRunACompletedToolAgain() throws Exception {
        try (var h = new Harness(tmp, ", \"permission\": {\"bash\": \"allow\", \"edit\": \"allow\"}", 10)) {
            // the call is complete and runs while the stream is still open; then the connection breaks
            h.llm.then(concat(call(1, "c1", "bash", "{\"command\":\"echo ran >> count.txt\"}"),
                    new LlmEvent[] {ScriptedProtocol.failed(new dev.lathe.llm.LlmError.Transport("stream broke off: connection reset"))}));
            h.llm.then(text("The command ran once."), finish(StopReason.STOP));
            var s = h.session();

            h.promptAndWait(s.id(), "append a line");

            assertThat(Files.readString(h.project.resolve("count.txt"))).isEqualTo("ran\n");
            assertThat(h.llm.requests).hasSize(2);
            // the retried request carries the finished call and its result, so the model has no reason to call it again
            assertThat(results(h.llm.requests.get(1))).extracting(Content.ToolResult::callId).containsExactly("c1");
            assertThat(lastAssistant(h.api.messages(s.id())).finish()).contains("stop");
        }
    }

    @Test
    void aStalledStreamIsAbortedAndRetried() throws Exception {
        try (var h = new Harness(tmp, ", \"retry\": {\"streamIdleTimeoutSeconds\": 1}", 10)) {
            h.llm.thenHang(text("this never fin"));
            h.llm.then(text("second try"), finish(StopReason.STOP));
            var s = h.session();

            h.promptAndWait(s.id(), "hi");

            assertThat(h.llm.requests).hasSize(2);
            assertThat(lastAssistant(h.api.messages(s.id())).finish()).contains("stop");
            assertThat(h.api.messages(s.id()).getLast().parts()).anySatisfy(p -> assertThat(p).isInstanceOfSatisfying(Part.Retry.class,
                    r -> assertThat(r.error()).startsWith("stalled: fake at 127.0.0.1:9: no data from the provider for 1 s")));
            // the half-written text of the stalled attempt is not sent back as something the model said
            assertThat(h.llm.requests.get(1).messages()).hasSize(1);
            assertThat(h.llm.requests.get(1).messages()).isEqualTo(h.llm.requests.get(0).messages());
        }
    }

    @Test
    void unknownToolsAndMalformedArgumentsAreAnsweredAsToolErrors() throws Exception {
        try (var h = new Harness(tmp, "", 10)) {
            h.llm.then(concat(call(0, "c1", "teleport", "{}"), call(1, "c2", "read", "{\"path\": "), new LlmEvent[] {finish(StopReason.TOOL_CALLS)}));
            h.llm.then(text("Sorry."), finish(StopReason.STOP));
            var s = h.session();

            h.promptAndWait(s.id(), "go");

            var r = results(h.llm.requests.get(1));
            assertThat(r).allSatisfy(x -> assertThat(x.isError()).isTrue());
            assertThat(r.get(0).output()).contains("teleport");
            assertThat(r.get(1).output()).isNotBlank();
            assertThat(lastAssistant(h.api.messages(s.id())).finish()).contains("stop");
        }
    }

    @Test
    void theLastAllowedStepIsSentWithoutToolsAndAsksForASummary() throws Exception {
        try (var h = new Harness(tmp, "", 2)) {
            Files.writeString(h.project.resolve("a.txt"), "x");
            h.llm.then(concat(call(0, "c1", "read", "{\"path\":\"a.txt\"}"), new LlmEvent[] {finish(StopReason.TOOL_CALLS)}));
            h.llm.then(text("Summary: read a."), finish(StopReason.STOP));
            var s = h.session();

            h.promptAndWait(s.id(), "loop forever");

            assertThat(h.llm.requests).hasSize(2);
            assertThat(h.llm.requests.get(0).toolChoice()).isEqualTo(ToolChoice.AUTO);
            var last = h.llm.requests.get(1);
            assertThat(last.toolChoice()).isEqualTo(ToolChoice.NONE);
            assertThat(last.messages().getLast().content().getLast()).isEqualTo(new Content.Text(ContextBuilder.STEP_LIMIT_NOTE));
        }
    }

    @Test
    void abortEndsTheStreamAndKeepsWhatWasSaid() throws Exception {
        try (var h = new Harness(tmp, "", 10)) {
            h.llm.thenHang(text("partial answer"));
            var s = h.session();
            h.api.prompt(s.id(), dev.lathe.protocol.api.PromptRequest.text("go"));
            assertThat(h.llm.hanging.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

            h.api.abort(s.id());
            h.awaitIdle(s.id());

            var history = h.api.messages(s.id());
            assertThat(lastAssistant(history).error()).hasValueSatisfying(e -> assertThat(e.kind()).isEqualTo("aborted"));
            assertThat(history.getLast().parts()).anySatisfy(p -> assertThat(p).isInstanceOfSatisfying(Part.Text.class,
                    t -> assertThat(t.text()).isEqualTo("partial answer")));
        }
    }

    @Test
    void aPromptQueuedIntoAnAbortedTurnStaysMarkedNotRunAndTheModelNeverReadsIt() throws Exception {
        try (var h = new Harness(tmp, "", 10)) {
            h.llm.thenHang(text("partial answer"));
            var s = h.session();
            var first = h.api.prompt(s.id(), dev.lathe.protocol.api.PromptRequest.text("go"));
            assertThat(h.llm.hanging.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            var queued = h.api.prompt(s.id(), dev.lathe.protocol.api.PromptRequest.text("and then this"));

            h.api.abort(s.id());
            h.awaitIdle(s.id());

            // issue 53: a prompt answered 202 never vanishes; it stays, marked not run, and nothing runs it later
            var history = h.api.messages(s.id());
            assertThat(history).extracting(m -> m.info().id()).contains(first.messageId(), queued.messageId());
            var kept = history.stream().filter(m -> m.info().id().equals(queued.messageId())).findFirst().orElseThrow();
            assertThat(dev.lathe.protocol.session.PromptNotRun.marks(kept.parts())).isTrue();
            assertThat(h.events).noneSatisfy(e -> assertThat(e.event()).isInstanceOf(Event.MessageRemoved.class));

            h.llm.then(text("done"), finish(StopReason.STOP));
            var next = h.api.prompt(s.id(), dev.lathe.protocol.api.PromptRequest.text("something else"));
            h.awaitIdle(s.id());
            assertThat(h.llm.requests.getLast().messages().toString()).contains("something else").doesNotContain("and then this");
            var after = h.api.messages(s.id());
            assertThat(after.getLast().info()).isInstanceOfSatisfying(dev.lathe.protocol.session.AssistantMessage.class,
                    a -> assertThat(a.parentId()).isEqualTo(next.messageId()));
        }
    }

    @Test
    void aPromptAbortedBeforeItsTurnStartedIsMarkedNotRunNotLeftUnanswered() throws Exception {
        try (var h = new Harness(tmp, "", 10)) {
            var s = h.session();
            var services = h.sessions.services();
            // stored without waking the session's own runner: the runner below is the only one
            var prompt = new PromptIntake(services.journal()).store(s, h.sessions.current(s), "build", s.model(),
                    List.of(new dev.lathe.protocol.api.InputPart.Text("go")), PromptIntake.AgentScope.PRIMARY, _ -> { });
            var preparing = new java.util.concurrent.CountDownLatch(1);
            var release = new java.util.concurrent.CountDownLatch(1);
            // the run is held where it prepares (a fleet task checks its branch out there): the abort lands before any turn
            TaskTurns held = new TaskTurns() {
                @Override
                public dev.lathe.protocol.session.Session prepare(dev.lathe.protocol.session.Session session) {
                    preparing.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return session;
                }

                @Override public void turnEnded(dev.lathe.protocol.session.Session session) { }
            };
            var runner = new SessionRunner(s.id(), services, new SessionRunner.Lookups() {
                @Override
                public Session session(SessionId id) { return h.sessions.get(id); }

                @Override
                public Project project(Session session) { return h.sessions.current(session); }
            }, held);
            RunnerSeams.wake(runner);
            assertThat(preparing.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            RunnerSeams.abort(runner);
            release.countDown();
            assertThat(runner.awaitStopped(java.time.Duration.ofSeconds(10))).isTrue();

            var kept = h.api.messages(s.id()).stream().filter(m -> m.info().id().equals(prompt.message())).findFirst().orElseThrow();
            assertThat(dev.lathe.protocol.session.PromptNotRun.marks(kept.parts())).isTrue();
            assertThat(h.awaitEvent(e -> e instanceof Event.PartUpdated u && u.part().messageId().equals(prompt.message())
                    && u.part() instanceof Part.Text t && t.synthetic())).isNotNull();
        }
    }

    @Test
    void abortKillsARunningCommandWithinTwoSeconds() throws Exception {
        try (var h = new Harness(tmp, ", \"permission\": {\"bash\": \"allow\"}", 10)) {
            // the promise (DESIGN: abort kills tool process groups within 2 s) checked by events, not by wall time: the
            // command's tool call returns only after it sent the kill, so once the session is idle the command's
            // process is gone or going, the kernel's teardown all that is left (a bound of 2 s on the abort's wall
            // time could be reached by load alone). The command outlives the test's waits, its timeout (two minutes)
            // too: an abort that did not kill it would leave the session running past awaitIdle's 20 s.
            h.llm.then(concat(call(0, "c1", "bash", "{\"command\":\"sleep 313 & echo started=$!; wait\"}"), new LlmEvent[] {finish(StopReason.TOOL_CALLS)}));
            var s = h.session();
            h.api.prompt(s.id(), dev.lathe.protocol.api.PromptRequest.text("run it"));
            long sleeper = dev.lathe.testkit.ChildProcesses.await("sleep 313");
            h.api.abort(s.id());
            h.awaitIdle(s.id());
            long idle = System.nanoTime();
            while (dev.lathe.testkit.ChildProcesses.isRunning(sleeper) && System.nanoTime() - idle < 2_000_000_000L) Thread.sleep(10);
            assertThat(dev.lathe.testkit.ChildProcesses.isRunning(sleeper)).as("the command's process, 2 s after the aborted session went idle").isFalse();
            var tool = h.api.messages(s.id()).getLast().parts().stream().filter(Part.Tool.class::isInstance).map(Part.Tool.class::cast).findFirst().orElseThrow();
            assertThat(tool.state()).isInstanceOfSatisfying(ToolState.Failed.class, f -> assertThat(f.error()).contains("aborted"));
            assertThat(h.llm.requests).hasSize(1);
        }
    }

    @Test
    void aDenyRuleFailsTheCallTheModelReadsItAndOnDenyStopStopsTheTurn() throws Exception {
        // DESIGN §26: a denial is information; the turn goes on
        try (var h = new Harness(tmp, ", \"permission\": {\"bash\": {\"rm *\": \"deny\"}}", 10)) {
            h.llm.then(concat(call(0, "c1", "bash", "{\"command\":\"rm -rf build\"}"), new LlmEvent[] {finish(StopReason.TOOL_CALLS)}));
            h.llm.then(text("I may not remove it."), finish(StopReason.STOP));
            var s = h.session();

            h.promptAndWait(s.id(), "clean");

            assertThat(h.llm.requests).hasSize(2);
            var history = h.api.messages(s.id());
            assertThat(lastAssistant(history).error()).isEmpty();
            assertThat(history.toString()).contains("Denied by bash: rm *");
        }
        // "onDeny": "stop": OpenCode's stop, kept as a setting
        try (var h = new Harness(tmp.resolve("stop"), ", \"permission\": {\"bash\": {\"rm *\": \"deny\"}, \"onDeny\": \"stop\"}", 10)) {
            h.llm.then(concat(call(0, "c1", "bash", "{\"command\":\"rm -rf build\"}"), new LlmEvent[] {finish(StopReason.TOOL_CALLS)}));
            var s = h.session();

            h.promptAndWait(s.id(), "clean");

            assertThat(h.llm.requests).hasSize(1);
            var history = h.api.messages(s.id());
            assertThat(lastAssistant(history).error()).hasValueSatisfying(e -> assertThat(e.kind()).isEqualTo("permission_rejected"));
            assertThat(history.getLast().parts()).anySatisfy(p -> assertThat(p).isInstanceOfSatisfying(Part.Tool.class,
                    t -> assertThat(t.state()).isInstanceOf(ToolState.Failed.class)));
        }
    }

    @Test
    void anAlwaysAnswerIsKeptForTheProjectAcrossSessionsAndRestarts() throws Exception {
        // edits are allowed, so only the bash rules decide (the redirection writes inside the project)
        String editsAllowed = ", \"permission\": {\"edit\": \"allow\"}";
        try (var h = new Harness(tmp, editsAllowed, 10)) {
            h.llm.then(concat(call(0, "c1", "bash", "{\"command\":\"echo first > out.txt\"}"), new LlmEvent[] {finish(StopReason.TOOL_CALLS)}));
            h.llm.then(text("Done."), finish(StopReason.STOP));
            var s = h.session();
            h.api.prompt(s.id(), dev.lathe.protocol.api.PromptRequest.text("write it"));

            Event.PermissionAsked asked = awaitAsk(h);
            assertThat(asked.request().always()).singleElement().asString().startsWith("echo ").endsWith(" *");
            h.api.replyPermission(asked.request().id(), PermissionReplyRequest.of(PermissionReply.ALWAYS));
            h.awaitIdle(s.id());
            assertThat(Files.readString(h.project.resolve("out.txt"))).isEqualTo("first\n");
        }
        // a new server on the same data folder: the answer still holds, in a new session
        try (var h = new Harness(tmp, editsAllowed, 10)) {
            h.llm.then(concat(call(0, "c2", "bash", "{\"command\":\"echo first again > out.txt\"}"), new LlmEvent[] {finish(StopReason.TOOL_CALLS)}));
            h.llm.then(text("Done again."), finish(StopReason.STOP));
            var s = h.session();

            h.promptAndWait(s.id(), "write it again");

            assertThat(h.events).noneSatisfy(e -> assertThat(e.event()).isInstanceOf(Event.PermissionAsked.class));
            assertThat(Files.readString(h.project.resolve("out.txt"))).isEqualTo("first again\n");
        }
    }

    @Test
    void aBashLineIsDecidedByWhatItRunsAndReadsNotByItsFirstWord() throws Exception {
        String rules = ", \"permission\": {\"bash\": {\"cat *\": \"allow\", \"echo *\": \"allow\"}, \"read\": {\".env\": \"deny\"}}";
        try (var h = new Harness(tmp, rules, 10)) {
            Files.writeString(h.project.resolve(".env"), "TOKEN=secret\n");
            h.llm.then(concat(call(0, "c1", "bash", "{\"command\":\"echo ok && cat .env\"}"), new LlmEvent[] {finish(StopReason.TOOL_CALLS)}));
            var s = h.session();

            h.promptAndWait(s.id(), "show the env file");

            var tool = h.api.messages(s.id()).getLast().parts().stream().filter(Part.Tool.class::isInstance).map(Part.Tool.class::cast)
                    .findFirst().orElseThrow();
            assertThat(tool.state()).isInstanceOfSatisfying(dev.lathe.protocol.session.ToolState.Failed.class,
                    f -> assertThat(f.error()).contains("read: .env"));
            assertThat(h.events).noneSatisfy(e -> assertThat(e.event()).isInstanceOf(Event.PermissionAsked.class));
        }
    }

    @Test
    void eachToolCallIsAnnouncedInTheOrderOfItsStatesThoughItsFirstStatesAreWrittenBehind() throws Exception {
        try (var h = new Harness(tmp, ", \"permission\": {\"edit\": \"allow\"}", 10)) {
            Files.writeString(h.project.resolve("a.txt"), "one\n");
            var s = h.session();
            h.llm.then(concat(call(0, "c1", "read", "{\"path\":\"a.txt\"}"), call(1, "c2", "write", "{\"path\":\"b.txt\",\"content\":\"b\\n\"}"),
                    call(2, "c3", "read", "{\"path\":\"a.txt\"}"), new LlmEvent[] {finish(StopReason.TOOL_CALLS)}));
            h.llm.then(text("Done."), finish(StopReason.STOP));

            h.promptAndWait(s.id(), "go");

            for (String callId : List.of("c1", "c2", "c3")) {
                List<String> states = h.events.stream().map(EventEnvelope::event)
                        .filter(e -> e instanceof Event.PartUpdated u && u.part() instanceof Part.Tool t && t.callId().equals(callId))
                        .map(e -> dev.lathe.protocol.session.ToolState.status(((Part.Tool) ((Event.PartUpdated) e).part()).state()))
                        .toList();
                assertThat(states).as(callId).containsExactly("pending", "pending", "running", "completed");
            }
            // and stored as they ended
            assertThat(h.api.messages(s.id()).getLast().parts()).filteredOn(Part.Tool.class::isInstance)
                    .allSatisfy(p -> assertThat(((Part.Tool) p).state()).isInstanceOf(dev.lathe.protocol.session.ToolState.Completed.class));
        }
    }

    @Test
    void eachStepThatChangedFilesGetsItsPatchInOrderThoughItsSnapshotIsTakenWhileTheNextRequestGoesOut() throws Exception {
        try (var h = new Harness(tmp, ", \"permission\": {\"edit\": \"allow\"}", 10)) {
            Files.writeString(h.project.resolve("a.txt"), "one\n");
            var s = h.session();
            h.llm.then(concat(call(0, "c1", "write", "{\"path\":\"a.txt\",\"content\":\"two\\n\"}"), new LlmEvent[] {finish(StopReason.TOOL_CALLS)}));
            h.llm.then(concat(call(0, "c2", "read", "{\"path\":\"a.txt\"}"), new LlmEvent[] {finish(StopReason.TOOL_CALLS)}));
            h.llm.then(concat(call(0, "c3", "write", "{\"path\":\"b.txt\",\"content\":\"new\\n\"}"), new LlmEvent[] {finish(StopReason.TOOL_CALLS)}));
            h.llm.then(text("Done."), finish(StopReason.STOP));

            h.promptAndWait(s.id(), "change things");

            List<Part> parts = h.api.messages(s.id()).getLast().parts();
            List<Part> records = parts.stream().filter(p -> p instanceof Part.Patch || p instanceof Part.StepFinish).toList();
            assertThat(records).extracting(p -> p.getClass().getSimpleName())
                    .containsExactly("Patch", "StepFinish", "StepFinish", "Patch", "StepFinish", "StepFinish");
            var first = (Part.Patch) records.get(0);
            var afterFirst = (Part.StepFinish) records.get(1);
            var afterRead = (Part.StepFinish) records.get(2);
            var second = (Part.Patch) records.get(3);
            var afterSecond = (Part.StepFinish) records.get(4);
            var last = (Part.StepFinish) records.get(5);
            assertThat(first.files()).containsExactly("a.txt");
            assertThat(second.files()).containsExactly("b.txt");
            // every finish names the tree after its step, and each patch the tree before its own step
            assertThat(afterFirst.snapshot()).isPresent().isNotEqualTo(Optional.of(first.snapshot()));
            assertThat(afterRead.snapshot()).isEqualTo(afterFirst.snapshot());
            assertThat(second.snapshot()).isEqualTo(afterRead.snapshot().orElseThrow());
            assertThat(afterSecond.snapshot()).isPresent().isNotEqualTo(afterRead.snapshot());
            assertThat(last.snapshot()).isEqualTo(afterSecond.snapshot());
            // each patch sorts before the finish of its own step, not after the next step's start
            assertThat(parts.indexOf(first)).isLessThan(parts.indexOf(afterFirst));
            assertThat(parts.indexOf(second)).isLessThan(parts.indexOf(afterSecond)).isGreaterThan(parts.indexOf(afterRead));

            h.api.undo(s.id());
            assertThat(Files.readString(h.project.resolve("a.txt"))).isEqualTo("one\n");
            assertThat(h.project.resolve("b.txt")).doesNotExist();
        }
    }

    @Test
    void undoRestoresTheFilesOfTheLastTurnAndHidesItRedoPutsItBackAndANewPromptDropsIt() throws Exception {
        try (var h = new Harness(tmp, ", \"permission\": {\"edit\": \"allow\"}", 10)) {
            Files.writeString(h.project.resolve("a.txt"), "one\n");
            var s = h.session();
            h.llm.then(text("Nothing to change."), finish(StopReason.STOP));
            h.promptAndWait(s.id(), "look");
            h.llm.then(concat(call(0, "c1", "write", "{\"path\":\"a.txt\",\"content\":\"two\\n\"}"),
                    call(1, "c2", "write", "{\"path\":\"new.txt\",\"content\":\"created\\n\"}"), new LlmEvent[] {finish(StopReason.TOOL_CALLS)}));
            h.llm.then(text("Changed."), finish(StopReason.STOP));
            h.promptAndWait(s.id(), "change a.txt");
            assertThat(h.api.messages(s.id()).getLast().parts()).anySatisfy(p -> assertThat(p).isInstanceOfSatisfying(Part.Patch.class,
                    patch -> assertThat(patch.files()).containsExactly("a.txt", "new.txt")));
            int shown = h.api.messages(s.id()).size();

            var undone = h.api.undo(s.id());

            assertThat(undone.files()).containsExactlyInAnyOrder("a.txt", "new.txt");
            assertThat(Files.readString(h.project.resolve("a.txt"))).isEqualTo("one\n");
            assertThat(h.project.resolve("new.txt")).doesNotExist();
            assertThat(h.api.messages(s.id())).hasSize(shown - 2);
            assertThat(h.api.session(s.id()).revert()).isPresent();

            h.api.redo(s.id());
            assertThat(Files.readString(h.project.resolve("a.txt"))).isEqualTo("two\n");
            assertThat(Files.readString(h.project.resolve("new.txt"))).isEqualTo("created\n");
            assertThat(h.api.messages(s.id())).hasSize(shown);

            h.api.undo(s.id());
            h.llm.then(text("Fresh start."), finish(StopReason.STOP));
            h.promptAndWait(s.id(), "something else");
            // the undone turn is gone for good: the model never sees it again
            assertThat(h.llm.requests.getLast().messages().toString()).doesNotContain("change a.txt").contains("something else");
            assertThat(h.api.session(s.id()).revert()).isEmpty();
            assertThat(Files.readString(h.project.resolve("a.txt"))).isEqualTo("one\n");
        }
    }

    @Test
    void undoOfATurnWhoseSnapshotsWereGarbageCollectedIsRefusedAndTouchesNoFile() throws Exception {
        try (var h = new Harness(tmp, ", \"permission\": {\"edit\": \"allow\"}", 10)) {
            Files.writeString(h.project.resolve("a.txt"), "one\n");
            var s = h.session();
            h.llm.then(concat(call(0, "c1", "write", "{\"path\":\"a.txt\",\"content\":\"two\\n\"}"), new LlmEvent[] {finish(StopReason.TOOL_CALLS)}));
            h.llm.then(text("Changed."), finish(StopReason.STOP));
            h.promptAndWait(s.id(), "change a.txt");
            Files.writeString(h.project.resolve("a.txt"), "three\n");
            // a quota gc keeps only what a ref or the index holds: the turn's tree before is gone
            new dev.lathe.core.snapshot.Snapshots(h.data, h.project, new dev.lathe.core.config.ServerEnvironment(System.getenv()).gitAttributes()).track();
            new dev.lathe.core.snapshot.Snapshots(h.data, h.project, new dev.lathe.core.config.ServerEnvironment(System.getenv()).gitAttributes()).gc(0);

            assertThatThrownBy(() -> h.api.undo(s.id())).isInstanceOfSatisfying(dev.lathe.protocol.api.LatheException.class,
                    e -> assertThat(e.getMessage()).contains("garbage-collected"));
            assertThat(Files.readString(h.project.resolve("a.txt"))).isEqualTo("three\n");
            assertThat(h.api.session(s.id()).revert()).isEmpty();
        }
    }

    @Test
    void anImageTheReadToolOpensReachesTheModelAfterTheToolResult() throws Exception {
        try (var h = new Harness(tmp, "", 10)) {
            Files.write(h.project.resolve("shot.png"), java.util.Base64.getDecoder().decode(
                    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="));
            h.llm.then(concat(call(0, "c1", "read", "{\"path\":\"shot.png\"}"), new LlmEvent[] {finish(StopReason.TOOL_CALLS)}));
            h.llm.then(text("A single pixel."), finish(StopReason.STOP));
            var s = h.session();

            h.promptAndWait(s.id(), "what is in shot.png?");

            var last = h.llm.requests.get(1).messages().getLast();
            assertThat(last.role()).isEqualTo(LlmMessage.Role.USER);
            assertThat(last.content().getFirst()).isInstanceOf(Content.ToolResult.class);
            assertThat(last.content().getLast()).isInstanceOfSatisfying(Content.Image.class, i -> assertThat(i.mime()).isEqualTo("image/png"));
        }
    }

    @Test
    void aPromptSentWithAllowAllHasItsAsksAnsweredOnceByTheServerWhileDenyStillDenies() throws Exception {
        try (var h = new Harness(tmp, ", \"permission\": {\"bash\": {\"*\": \"ask\", \"rm *\": \"deny\"}}", 10)) {
            Files.writeString(h.project.resolve("keep.txt"), "kept\n");
            h.llm.then(concat(call(0, "c1", "write", "{\"path\":\"new.txt\",\"content\":\"hi\"}"), new LlmEvent[] {finish(StopReason.TOOL_CALLS)}));
            h.llm.then(concat(call(0, "c2", "bash", "{\"command\":\"echo hi > out.txt\"}"), new LlmEvent[] {finish(StopReason.TOOL_CALLS)}));
            // a denied call ends the turn, as it does without allowAll
            h.llm.then(concat(call(0, "c3", "bash", "{\"command\":\"rm -f keep.txt\"}"), new LlmEvent[] {finish(StopReason.TOOL_CALLS)}));
            var s = h.session();

            // nobody replies: the turn must not wait for anyone
            h.api.prompt(s.id(), dev.lathe.protocol.api.PromptRequest.text("go").allowingAll());
            h.awaitIdle(s.id());

            assertThat(h.project.resolve("new.txt")).hasContent("hi");
            assertThat(h.project.resolve("out.txt")).hasContent("hi");
            assertThat(h.project.resolve("keep.txt")).as("a deny rule is no ask").exists();
            // announced like any ask, each answered allow-once, and the session never showed itself waiting
            List<Event> events = h.events.stream().map(EventEnvelope::event).toList();
            assertThat(events).filteredOn(Event.PermissionAsked.class::isInstance).extracting(e -> ((Event.PermissionAsked) e).request().permission())
                    .containsExactly("edit", "bash");
            assertThat(events).filteredOn(Event.PermissionReplied.class::isInstance).extracting(e -> ((Event.PermissionReplied) e).reply())
                    .containsExactly(PermissionReply.ONCE, PermissionReply.ONCE);
            assertThat(events).noneMatch(e -> e instanceof Event.SessionStatusChanged c && c.status() instanceof dev.lathe.protocol.session.SessionStatus.Waiting);
            assertThat(h.api.permissions(h.project.toString())).isEmpty();

            // the next prompt, sent without it, asks and waits again: the answers were once, and the flag was the prompt's
            h.llm.then(concat(call(0, "c4", "write", "{\"path\":\"new.txt\",\"content\":\"again\"}"), new LlmEvent[] {finish(StopReason.TOOL_CALLS)}));
            h.llm.then(text("Stopped."), finish(StopReason.STOP));
            h.api.prompt(s.id(), dev.lathe.protocol.api.PromptRequest.text("again"));
            var asked = (Event.PermissionAsked) h.awaitEvent(e -> e instanceof Event.PermissionAsked a && a.request().callId().equals("c4"));
            assertThat(h.api.permissions(h.project.toString())).singleElement().satisfies(r -> assertThat(r.id()).isEqualTo(asked.request().id()));
            h.api.replyPermission(asked.request().id(), PermissionReplyRequest.of(PermissionReply.REJECT));
            h.awaitIdle(s.id());
            assertThat(h.project.resolve("new.txt")).hasContent("hi");
        }
    }

    @Test
    void anAllowAllPromptQueuedIntoARunningTurnAnswersItsAsksFromTheStepItJoins() throws Exception {
        try (var h = new Harness(tmp, "", 10)) {
            h.llm.then(concat(call(0, "c1", "write", "{\"path\":\"a.txt\",\"content\":\"a\"}"), new LlmEvent[] {finish(StopReason.TOOL_CALLS)}));
            h.llm.then(concat(call(0, "c2", "write", "{\"path\":\"b.txt\",\"content\":\"b\"}"), new LlmEvent[] {finish(StopReason.TOOL_CALLS)}));
            h.llm.then(text("Both written."), finish(StopReason.STOP));
            var s = h.session();
            h.api.prompt(s.id(), dev.lathe.protocol.api.PromptRequest.text("write a"));
            Event.PermissionAsked first = awaitAsk(h);

            // sent while the first prompt's ask waits: steered, it joins the turn at the next step
            h.api.prompt(s.id(), dev.lathe.protocol.api.PromptRequest.text("and b").allowingAll().delivered(dev.lathe.protocol.api.Delivery.steer));
            h.api.replyPermission(first.request().id(), PermissionReplyRequest.of(PermissionReply.ONCE));
            h.awaitIdle(s.id());

            assertThat(h.project.resolve("b.txt")).as("the joined prompt's ask was answered by the server").hasContent("b");
            assertThat(h.events.stream().map(EventEnvelope::event).filter(Event.PermissionReplied.class::isInstance)).hasSize(2);
            assertThat(h.api.permissions(h.project.toString())).isEmpty();
        }
    }

    @Test
    void anAskBlocksUntilAClientRepliesAndOnceLetsTheCallRun() throws Exception {
        try (var h = new Harness(tmp, "", 10)) {
            h.llm.then(concat(call(0, "c1", "write", "{\"path\":\"new.txt\",\"content\":\"hi\"}"), new LlmEvent[] {finish(StopReason.TOOL_CALLS)}));
            h.llm.then(text("Written."), finish(StopReason.STOP));
            var s = h.session();
            h.api.prompt(s.id(), dev.lathe.protocol.api.PromptRequest.text("write"));

            Event.PermissionAsked asked = awaitAsk(h);
            assertThat(asked.request().permission()).isEqualTo("edit");
            assertThat(h.api.status(s.id())).isInstanceOf(dev.lathe.protocol.session.SessionStatus.Waiting.class);
            assertThat(h.api.permissions(h.project.toString())).hasSize(1);
            assertThat(Files.exists(h.project.resolve("new.txt"))).isFalse();
            assertThat(JournalSeams.holds(h.journal, s.id())).as("the running turn's history is in memory").isTrue();
            h.api.replyPermission(asked.request().id(), PermissionReplyRequest.of(PermissionReply.ONCE));
            h.awaitIdle(s.id());
            assertThat(JournalSeams.holds(h.journal, s.id())).as("and dropped once the session is idle").isFalse();

            assertThat(Files.readString(h.project.resolve("new.txt"))).isEqualTo("hi");
            assertThat(lastAssistant(h.api.messages(s.id())).finish()).contains("stop");
        }
    }

    @Test
    void rejectingAnAskStopsTheTurnWithoutSideEffects() throws Exception {
        try (var h = new Harness(tmp, "", 10)) {
            h.llm.then(concat(call(0, "c1", "write", "{\"path\":\"new.txt\",\"content\":\"hi\"}"), new LlmEvent[] {finish(StopReason.TOOL_CALLS)}));
            var s = h.session();
            h.api.prompt(s.id(), dev.lathe.protocol.api.PromptRequest.text("write"));
            h.api.replyPermission(awaitAsk(h).request().id(), PermissionReplyRequest.of(PermissionReply.REJECT));
            h.awaitIdle(s.id());

            assertThat(Files.exists(h.project.resolve("new.txt"))).isFalse();
            assertThat(h.llm.requests).hasSize(1);
            assertThat(toolState(h, s.id(), "c1")).isInstanceOfSatisfying(ToolState.Failed.class, f ->
                    assertThat(f.rejection()).contains(dev.lathe.protocol.session.ToolRejection.byUser(Optional.empty())));
            assertThat(lastAssistant(h.api.messages(s.id())).error()).hasValueSatisfying(e -> assertThat(e.kind()).isEqualTo("permission_rejected"));
        }
    }

    @Test
    void rejectingWithAMessageForTheAgentContinuesTheTurnWithIt() throws Exception {
        try (var h = new Harness(tmp, "", 10)) {
            h.llm.then(concat(call(0, "c1", "write", "{\"path\":\"new.txt\",\"content\":\"hi\"}"), new LlmEvent[] {finish(StopReason.TOOL_CALLS)}));
            h.llm.then(text("I will use other.txt instead."), finish(StopReason.STOP));
            var s = h.session();
            h.api.prompt(s.id(), dev.lathe.protocol.api.PromptRequest.text("write"));
            h.api.replyPermission(awaitAsk(h).request().id(), new PermissionReplyRequest(PermissionReply.REJECT, Optional.of("call it other.txt")));
            h.awaitIdle(s.id());

            assertThat(Files.exists(h.project.resolve("new.txt"))).isFalse();
            // the same turn went on: the next request carries the user's words as the rejected call's result
            assertThat(h.llm.requests).hasSize(2);
            assertThat(results(h.llm.requests.get(1))).singleElement().satisfies(r -> {
                assertThat(r.callId()).isEqualTo("c1");
                assertThat(r.output()).startsWith(dev.lathe.core.ask.PermissionGate.WITH_FEEDBACK).endsWith("call it other.txt");
            });
            var done = lastAssistant(h.api.messages(s.id()));
            assertThat(done.error()).isEmpty();
            assertThat(done.finish()).contains("stop");
            assertThat(h.api.messages(s.id()).stream().filter(m -> m.info() instanceof dev.lathe.protocol.session.UserMessage)).hasSize(1);
            // stored as the user's decision, with their words, not as an error
            assertThat(toolState(h, s.id(), "c1")).isInstanceOfSatisfying(ToolState.Failed.class, f ->
                    assertThat(f.rejection()).contains(dev.lathe.protocol.session.ToolRejection.byUser(Optional.of("call it other.txt"))));
        }
    }

    @Test
    void aCompletedToolPartIsAnnouncedOnlyAfterItIsStored() throws Exception {
        try (var h = new Harness(tmp, "", 10)) {
            Files.writeString(h.project.resolve("a.txt"), "x");
            var storedWhenAnnounced = new java.util.concurrent.CopyOnWriteArrayList<Boolean>();
            var s = h.session();
            try (var _ = h.api.subscribe(dev.lathe.protocol.api.EventFilter.session(s.id()), 0, e -> {
                if (e.event() instanceof Event.PartUpdated u && u.part() instanceof Part.Tool t && t.state() instanceof ToolState.Completed) {
                    storedWhenAnnounced.add(h.api.messages(s.id()).stream().flatMap(m -> m.parts().stream()).anyMatch(p -> p.equals(t)));
                }
            })) {
                h.llm.then(concat(call(0, "c1", "read", "{\"path\":\"a.txt\"}"), new LlmEvent[] {finish(StopReason.TOOL_CALLS)}));
                h.llm.then(text("ok"), finish(StopReason.STOP));
                h.promptAndWait(s.id(), "read");
                Thread.sleep(100);
            }
            assertThat(storedWhenAnnounced).containsExactly(true);
        }
    }

    private static ToolState toolState(Harness h, dev.lathe.protocol.SessionId session, String callId) {
        return h.api.messages(session).stream().flatMap(m -> m.parts().stream()).filter(Part.Tool.class::isInstance).map(Part.Tool.class::cast)
                .filter(t -> t.callId().equals(callId)).findFirst().orElseThrow().state();
    }

    private static Event.PermissionAsked awaitAsk(Harness h) throws InterruptedException {
        for (int i = 0; i < 1000; i++) {
            var found = h.events.stream().map(e -> e.event()).filter(Event.PermissionAsked.class::isInstance).map(Event.PermissionAsked.class::cast).findFirst();
            if (found.isPresent()) return found.get();
            Thread.sleep(10);
        }
        throw new AssertionError("no permission ask");
    }



}
