package dev.lathe.core.session;

import static dev.lathe.core.session.ScriptedProtocol.call;
import static dev.lathe.core.session.ScriptedProtocol.finish;
import static dev.lathe.core.session.ScriptedProtocol.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.core.toolcall.ToolCallSeams;
import dev.lathe.llm.StopReason;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.PermissionReplyRequest;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.PermissionReply;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.tools.ToolRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A turn reads the project's configuration as it is now: a deny added while it runs stops its next tool call. */
class LiveConfigTurnTest {
    @TempDir Path tmp;

    private static void edit(Path file, String text) throws Exception {
        FileTime before = Files.exists(file) ? Files.getLastModifiedTime(file) : FileTime.fromMillis(0);
        Files.writeString(file, text);
        Files.setLastModifiedTime(file, FileTime.fromMillis(before.toMillis() + 2000));
    }

    @Test
    void aDenyAddedWhileTheTurnRunsStopsItsNextToolCall() throws Exception {
        try (var h = new Harness(tmp, ", \"permission\": {\"stamp\": \"ask\"}",
                ToolRegistry.builtins().plus(List.of(new UnknownToolTest.StampTool())), ToolCallSeams.DEFAULT).trustProject()) {
            // the project's allow applies once its folder is trusted (DESIGN §24)
            edit(h.project.resolve("lathe.json"), "{\"permission\": {\"edit\": \"allow\"}}");
            var s = h.session();
            h.llm.then(step(call(0, "c1", "write", "{\"path\":\"a.txt\",\"content\":\"one\\n\"}")));
            h.llm.then(step(call(0, "c2", "stamp", "{\"target\":\"notes/a.txt\",\"stamp\":\"S\"}")));
            h.llm.then(step(call(0, "c3", "write", "{\"path\":\"b.txt\",\"content\":\"two\\n\"}")));
            h.llm.then(text("Done."), finish(StopReason.STOP));
            h.api.prompt(s.id(), PromptRequest.text("write both"));
            // the turn waits on the ask of its second step: the user denies edits meanwhile, then answers
            var asked = (Event.PermissionAsked) h.awaitEvent(Event.PermissionAsked.class::isInstance);
            edit(h.project.resolve("lathe.json"), "{\"permission\": {\"edit\": \"deny\"}}");
            h.api.replyPermission(asked.request().id(), PermissionReplyRequest.of(PermissionReply.ONCE));
            h.awaitIdle(s.id());

            assertThat(h.project.resolve("a.txt")).hasContent("one");
            assertThat(h.project.resolve("b.txt")).as("the deny added mid-turn applied to the next call").doesNotExist();
            assertThat(tool(h, s.id(), "c3").state()).isInstanceOf(ToolState.Failed.class);
        }
    }

    @Test
    void anInvalidEditRefusesNewPromptsWhileTheRunningTurnFinishes() throws Exception {
        try (var h = new Harness(tmp, ", \"permission\": {\"stamp\": \"ask\"}",
                ToolRegistry.builtins().plus(List.of(new UnknownToolTest.StampTool())), ToolCallSeams.DEFAULT)) {
            var s = h.session();
            h.llm.then(step(call(0, "c1", "stamp", "{\"target\":\"notes/a.txt\",\"stamp\":\"S\"}")));
            h.llm.then(text("Finished anyway."), finish(StopReason.STOP));
            h.api.prompt(s.id(), PromptRequest.text("go"));
            var asked = (Event.PermissionAsked) h.awaitEvent(Event.PermissionAsked.class::isInstance);
            edit(h.project.resolve("lathe.json"), "{\n  \"permision\": {}\n}");
            h.api.replyPermission(asked.request().id(), PermissionReplyRequest.of(PermissionReply.ONCE));
            h.awaitIdle(s.id());

            var last = (AssistantMessage) h.api.messages(s.id()).getLast().info();
            assertThat(last.error()).isEmpty();
            assertThat(h.api.messages(s.id()).getLast().parts()).anySatisfy(p -> assertThat(p).isInstanceOfSatisfying(Part.Text.class,
                    t -> assertThat(t.text()).isEqualTo("Finished anyway.")));
            assertThatThrownBy(() -> h.api.prompt(s.id(), PromptRequest.text("again"))).isInstanceOf(LatheException.InvalidConfig.class)
                    .hasMessageContaining(h.project.resolve("lathe.json") + ":2").hasMessageContaining("permision");
        }
    }

    /**
     * The prompt's arrival and the turn's start up to its first model request each look at the project's files once
     * (decision 543: a dozen looks of each file per prompt before); the first step's tool call looks again, so the deny
     * test above still holds. Counted through the one place that looks ({@code Projects.looks}).
     */
    @Test
    void aPromptLooksAtTheProjectsFilesOnceOnArrivalAndOnceUpToItsFirstRequest() throws Exception {
        try (var h = new Harness(tmp, "", 50)) {
            var s = h.session();
            var gate = new java.util.concurrent.CountDownLatch(1);
            h.llm.thenAfter(gate, step(call(0, "c1", "read", "{\"path\":\"x.txt\"}")));
            h.llm.then(text("Done."), finish(StopReason.STOP));
            Files.writeString(h.project.resolve("x.txt"), "x");
            long before = h.projects.looks();
            h.api.prompt(s.id(), PromptRequest.text("read it"));
            assertThat(h.llm.gated.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(h.projects.looks() - before).as("looks from the prompt to its first model request").isEqualTo(2);
            gate.countDown();
            h.awaitIdle(s.id());
            assertThat(h.projects.looks() - before).as("the tool call and the second step look afresh").isGreaterThanOrEqualTo(4);
        }
    }

    private static Part.Tool tool(Harness h, dev.lathe.protocol.SessionId id, String callId) {
        return h.api.messages(id).stream().flatMap(m -> m.parts().stream()).filter(Part.Tool.class::isInstance).map(Part.Tool.class::cast)
                .filter(t -> t.callId().equals(callId)).findFirst().orElseThrow();
    }

    private static dev.lathe.llm.LlmEvent[] step(dev.lathe.llm.LlmEvent[] call) {
        return java.util.stream.Stream.concat(java.util.Arrays.stream(call), java.util.stream.Stream.of(finish(StopReason.TOOL_CALLS)))
                .toArray(dev.lathe.llm.LlmEvent[]::new);
    }
}
