package dev.lathe.core.session;

import static dev.lathe.core.session.ScriptedProtocol.call;
import static dev.lathe.core.session.ScriptedProtocol.finish;
import static dev.lathe.core.session.ScriptedProtocol.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.ask.PermissionGate;
import dev.lathe.core.context.ContextBuilder;
import dev.lathe.core.toolcall.LoopGuard;
import dev.lathe.llm.Content;
import dev.lathe.llm.LlmEvent;
import dev.lathe.llm.LlmRequest;
import dev.lathe.llm.StopReason;
import dev.lathe.llm.ToolChoice;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.PermissionReplyRequest;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.EventEnvelope;
import dev.lathe.protocol.event.PermissionReply;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.ToolState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loop guard and the absence of a default step limit (issue 31), through the real core: the server's default step
 * limit ({@link Sessions#DEFAULT_MAX_STEPS}, as {@code LatheCore} wires it), the real permission gate and broker, the
 * real {@code read} tool on files of a temporary project, a scripted model.
 */
class LoopGuardTest {
    @TempDir Path tmp;

    @Test
    void theThirdIdenticalReadInARowIsADoomLoopAskAndOnceLetsItRun() throws Exception {
        try (var h = new Harness(tmp, "", Sessions.DEFAULT_MAX_STEPS)) {
            Files.writeString(h.project.resolve("a.txt"), "alpha\n");
            // one step each, so the count runs across steps; the keys in another order are the same input
            h.llm.then(step("c1", "read", "{\"path\":\"a.txt\"}"));
            h.llm.then(step("c2", "read", "{\"path\": \"a.txt\"}"));
            h.llm.then(step("c3", "read", "{\"path\":\"a.txt\",\"limit\":5}"));
            h.llm.then(step("c4", "read", "{\"limit\":5,\"path\":\"a.txt\"}"));
            h.llm.then(step("c5", "read", "{\"path\":\"a.txt\",\"limit\":5}"));
            h.llm.then(text("Read it."), finish(StopReason.STOP));
            var s = h.session();
            h.api.prompt(s.id(), PromptRequest.text("read a.txt"));

            var asked = (Event.PermissionAsked) h.awaitEvent(e -> e instanceof Event.PermissionAsked);
            assertThat(asked.request().permission()).isEqualTo(LoopGuard.PERMISSION);
            assertThat(asked.request().callId()).as("c1, c2 are two in a row; c3 has other input and starts over; c5 is its third").isEqualTo("c5");
            assertThat(asked.request().patterns()).containsExactly("read");
            assertThat(asked.request().title()).isEqualTo("The agent is repeating itself: read with the same input 3 times in a row");
            assertThat(h.llm.requests).as("c5 waits for the answer: no next step yet").hasSize(5);
            h.api.replyPermission(asked.request().id(), PermissionReplyRequest.of(PermissionReply.ONCE));
            h.awaitIdle(s.id());

            assertThat(asks(h)).as("only the repeat asked: reads are allowed").hasSize(1);
            assertThat(results(h.llm.requests.getLast())).extracting(Content.ToolResult::callId).containsExactly("c1", "c2", "c3", "c4", "c5");
            assertThat(results(h.llm.requests.getLast()).getLast().output()).contains("alpha");
            assertThat(lastAssistant(h, s.id()).finish()).contains("stop");
        }
    }

    @Test
    void rejectingTheDoomLoopAskWithAMessageGivesTheModelTheRejection() throws Exception {
        try (var h = new Harness(tmp, "", Sessions.DEFAULT_MAX_STEPS)) {
            Files.writeString(h.project.resolve("a.txt"), "alpha\n");
            for (int i = 1; i <= 3; i++) h.llm.then(step("c" + i, "read", "{\"path\":\"a.txt\"}"));
            h.llm.then(text("I will stop reading it."), finish(StopReason.STOP));
            var s = h.session();
            h.api.prompt(s.id(), PromptRequest.text("read a.txt"));

            var asked = (Event.PermissionAsked) h.awaitEvent(e -> e instanceof Event.PermissionAsked);
            assertThat(asked.request().callId()).isEqualTo("c3");
            h.api.replyPermission(asked.request().id(), new PermissionReplyRequest(PermissionReply.REJECT, Optional.of("you have it already")));
            h.awaitIdle(s.id());

            assertThat(results(h.llm.requests.getLast())).last().satisfies(r -> {
                assertThat(r.callId()).isEqualTo("c3");
                assertThat(r.output()).isEqualTo(PermissionGate.WITH_FEEDBACK + "you have it already");
            });
            assertThat(toolState(h, s.id(), "c3")).isInstanceOfSatisfying(ToolState.Failed.class,
                    f -> assertThat(f.rejection()).contains(dev.lathe.protocol.session.ToolRejection.byUser(Optional.of("you have it already"))));
            assertThat(lastAssistant(h, s.id()).error()).isEmpty();
        }
    }

    @Test
    void doomLoopAllowInTheConfigLetsRepeatsRunAndDenyRefusesThem() throws Exception {
        try (var h = new Harness(tmp, ", \"permission\": {\"doom_loop\": {\"*\": \"deny\", \"read\": \"allow\"}}", Sessions.DEFAULT_MAX_STEPS)) {
            Files.writeString(h.project.resolve("a.txt"), "alpha\n");
            for (int i = 1; i <= 4; i++) h.llm.then(step("r" + i, "read", "{\"path\":\"a.txt\"}"));
            for (int i = 1; i <= 3; i++) h.llm.then(step("g" + i, "glob", "{\"pattern\":\"*.txt\"}"));
            h.llm.then(text("understood"), finish(dev.lathe.llm.StopReason.STOP));
            var s = h.session();

            h.promptAndWait(s.id(), "look around");

            assertThat(asks(h)).isEmpty();
            for (int i = 1; i <= 4; i++) assertThat(toolState(h, s.id(), "r" + i)).isInstanceOf(ToolState.Completed.class);
            assertThat(toolState(h, s.id(), "g2")).isInstanceOf(ToolState.Completed.class);
            // a deny rule refuses the repeat: the model reads the denial and goes on (DESIGN §26)
            assertThat(toolState(h, s.id(), "g3")).isInstanceOfSatisfying(ToolState.Failed.class,
                    f -> assertThat(f.error()).startsWith("Denied by doom_loop: *").contains("doom_loop of glob is not permitted"));
            assertThat(lastAssistant(h, s.id()).error()).isEmpty();
        }
    }

    @Test
    void withEveryAskAnsweredInAdvanceTheTenthIdenticalCallInARowEndsTheTurn() throws Exception {
        try (var h = new Harness(tmp, "", Sessions.DEFAULT_MAX_STEPS)) {
            Files.writeString(h.project.resolve("a.txt"), "alpha\n");
            // a model that would repeat itself for ever, under --allow-all (the API's allowAll): no step limit stops it
            for (int i = 1; i <= 30; i++) h.llm.then(step("c" + i, "read", "{\"path\":\"a.txt\"}"));
            var s = h.session();
            h.api.prompt(s.id(), PromptRequest.text("read a.txt").allowingAll());
            h.awaitIdle(s.id());

            assertThat(h.llm.requests).as("ten steps, then the turn ended: no eleventh request").hasSize(LoopGuard.HARD_STOP);
            assertThat(asks(h)).as("the 3rd to the 9th asked and were allowed in advance").hasSize(LoopGuard.HARD_STOP - 2 - 1);
            assertThat(toolState(h, s.id(), "c9")).isInstanceOf(ToolState.Completed.class);
            assertThat(toolState(h, s.id(), "c10")).isInstanceOfSatisfying(ToolState.Failed.class,
                    f -> assertThat(f.error()).contains("The agent repeated read with the same input 10 times in a row"));
            assertThat(lastAssistant(h, s.id()).error()).hasValueSatisfying(e -> assertThat(e.kind()).isEqualTo("permission_rejected"));
        }
    }

    @Test
    void theCountStartsOverWithTheNextPromptAndNothingStaysRememberedWhenIdle() throws Exception {
        try (var h = new Harness(tmp, "", Sessions.DEFAULT_MAX_STEPS)) {
            Files.writeString(h.project.resolve("a.txt"), "alpha\n");
            var s = h.session();
            for (int turn = 0; turn < 2; turn++) {
                h.llm.then(step("t" + turn + "a", "read", "{\"path\":\"a.txt\"}"));
                h.llm.then(step("t" + turn + "b", "read", "{\"path\":\"a.txt\"}"));
                h.llm.then(text("done"), finish(StopReason.STOP));
                h.promptAndWait(s.id(), "read a.txt again");
                assertThat(h.sessions.loopGuard().remembered()).isZero();
            }

            assertThat(asks(h)).as("two reads per turn: four in all, never three in one turn").isEmpty();
        }
    }

    @Test
    void aHundredAndTwentyStepTaskCompletesWithTheDefaultSettings() throws Exception {
        try (var h = new Harness(tmp, "", Sessions.DEFAULT_MAX_STEPS)) {
            int steps = 120;
            for (int i = 0; i < steps; i++) {
                Files.writeString(h.project.resolve("f" + i + ".txt"), "content " + i + "\n");
                h.llm.then(step("c" + i, "read", "{\"path\":\"f" + i + ".txt\"}"));
            }
            h.llm.then(text("Read all 120 files."), finish(StopReason.STOP));
            var s = h.session();

            h.promptAndWait(s.id(), "read every file");

            assertThat(h.llm.requests).hasSize(steps + 1);
            assertThat(h.llm.requests).allSatisfy(r -> assertThat(r.toolChoice()).isEqualTo(ToolChoice.AUTO));
            assertThat(results(h.llm.requests.getLast())).hasSize(steps).last().satisfies(r -> assertThat(r.output()).contains("content 119"));
            assertThat(asks(h)).isEmpty();
            var done = lastAssistant(h, s.id());
            assertThat(done.error()).isEmpty();
            assertThat(done.finish()).contains("stop");
            assertThat(h.api.messages(s.id()).getLast().parts()).filteredOn(Part.Text.class::isInstance)
                    .extracting(p -> ((Part.Text) p).text()).containsExactly("Read all 120 files.");
        }
    }

    @Test
    void anAgentsStepsStillCapsTheTurn() throws Exception {
        try (var h = new Harness(tmp, ", \"agent\": {\"build\": {\"steps\": 5}}", Sessions.DEFAULT_MAX_STEPS)) {
            for (int i = 0; i < 4; i++) {
                Files.writeString(h.project.resolve("f" + i + ".txt"), "content " + i + "\n");
                h.llm.then(step("c" + i, "read", "{\"path\":\"f" + i + ".txt\"}"));
            }
            h.llm.then(text("Summary: read four files."), finish(StopReason.STOP));
            // what the model would do next, were it asked with tools again
            h.llm.then(step("c4", "read", "{\"path\":\"f0.txt\"}"));
            var s = h.session();

            h.promptAndWait(s.id(), "read every file");

            assertThat(h.llm.requests).hasSize(5);
            assertThat(h.llm.requests.subList(0, 4)).allSatisfy(r -> assertThat(r.toolChoice()).isEqualTo(ToolChoice.AUTO));
            var fifth = h.llm.requests.get(4);
            assertThat(fifth.toolChoice()).as("the fifth step is the last: no tools, a summary").isEqualTo(ToolChoice.NONE);
            assertThat(fifth.messages().getLast().content().getLast()).isEqualTo(new Content.Text(ContextBuilder.STEP_LIMIT_NOTE));
            assertThat(lastAssistant(h, s.id()).finish()).contains("stop");
        }
    }

    private static LlmEvent[] step(String id, String tool, String args) {
        return Stream.concat(Stream.of(call(0, id, tool, args)), Stream.of(finish(StopReason.TOOL_CALLS))).toArray(LlmEvent[]::new);
    }

    private static List<Content.ToolResult> results(LlmRequest request) {
        return request.messages().stream().flatMap(m -> m.content().stream())
                .filter(Content.ToolResult.class::isInstance).map(Content.ToolResult.class::cast).toList();
    }

    private static List<Event.PermissionAsked> asks(Harness h) {
        return h.events.stream().map(EventEnvelope::event).filter(Event.PermissionAsked.class::isInstance).map(Event.PermissionAsked.class::cast).toList();
    }

    private static AssistantMessage lastAssistant(Harness h, SessionId session) {
        var history = h.api.messages(session);
        return (AssistantMessage) history.getLast().info();
    }

    private static ToolState toolState(Harness h, SessionId session, String callId) {
        return h.api.messages(session).stream().flatMap(m -> m.parts().stream()).filter(Part.Tool.class::isInstance).map(Part.Tool.class::cast)
                .filter(t -> t.callId().equals(callId)).findFirst().orElseThrow(() -> new AssertionError("no call " + callId)).state();
    }
}
