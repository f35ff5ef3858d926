package dev.lathe.core.session;

import static dev.lathe.core.session.ScriptedProtocol.call;
import static dev.lathe.core.session.ScriptedProtocol.finish;
import static dev.lathe.core.session.ScriptedProtocol.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.core.hooks.HookRunLog;
import dev.lathe.core.permission.Action;
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
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
            // the project's allow applies once its folder is trusted (DESIGN §24), as trust pinned it (DESIGN §30)
            edit(h.project.resolve("lathe.json"), "{\"permission\": {\"edit\": \"allow\"}}");
            h.trustProject();
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

    /**
     * A deny rule that a {@code PreToolUse} hook itself writes into a project's rules file holds at that very call's
     * ruling (its hooks run first and the ruling looks at the files after them, decision 546), at the next call, and
     * after the turn, whichever harness's file it is written in (DESIGN §24). The hook rewrites the file in place with as
     * many bytes as it had (same inode, same size: only the time and the content move), and the folder is untrusted:
     * restrictive rules need no trust. A look kept open across the hooks, or a freshness stamp blind to such a write,
     * lets {@code secret-1.txt} through.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "lathe.json | {\"permission\": {\"read\": {\"public*\": \"deny\"}}} | {\"permission\": {\"read\": {\"secret*\": \"deny\"}}}",
        ".claude/settings.json | {\"permissions\": {\"deny\": [\"Read(public*)\"]}} | {\"permissions\": {\"deny\": [\"Read(secret*)\"]}}",
        "opencode.json | {\"permission\": {\"read\": {\"public*\": \"deny\"}}} | {\"permission\": {\"read\": {\"secret*\": \"deny\"}}}"})
    void aDenyAPreToolUseHookWritesHoldsAtThatCallsOwnRulingAndAfter(String file, String before, String after) throws Exception {
        Path next = Files.writeString(tmp.resolve("next-rules.json"), after);
        Path hook = tmp.resolve("add-deny.sh");
        Files.writeString(hook, "#!/bin/bash\ncat > /dev/null\ncat '" + next + "' > \"$CLAUDE_PROJECT_DIR/" + file + "\"\n");
        hook.toFile().setExecutable(true);
        // the user's own hook (it needs no trust), in the configuration's lathe.json layer: Lathe's tool names
        String hooks = ", \"hooks\": {\"PreToolUse\": [{\"matcher\": \"read\", \"hooks\": [{\"type\": \"command\", \"command\": \""
                + hook + "\"}]}]}";
        try (var h = Harness.withHooks(tmp, hooks, 10, HookRunLog.NONE)) {
            Path rules = h.project.resolve(file);
            Files.createDirectories(rules.getParent());
            Files.writeString(rules, before);
            assertThat(before).hasSameSizeAs(after);
            Object inode = Files.readAttributes(rules, BasicFileAttributes.class).fileKey();
            for (String name : List.of("secret-1.txt", "plain.txt", "secret-2.txt")) Files.writeString(h.project.resolve(name), "words of " + name);
            var s = h.session();
            h.llm.then(step(call(0, "c1", "read", "{\"path\":\"secret-1.txt\"}")));
            h.llm.then(step(call(0, "c2", "read", "{\"path\":\"plain.txt\"}")));
            h.llm.then(step(call(0, "c3", "read", "{\"path\":\"secret-2.txt\"}")));
            h.llm.then(text("Done."), finish(StopReason.STOP));
            h.promptAndWait(s.id(), "read them");

            assertThat(rules).as("the hook wrote the rule in place").hasContent(after);
            assertThat(Files.readAttributes(rules, BasicFileAttributes.class).fileKey()).isEqualTo(inode);
            assertThat(tool(h, s.id(), "c1").state()).as("denied at the ruling after its own hook").isInstanceOfSatisfying(ToolState.Failed.class,
                    f -> assertThat(f.error()).contains("Denied", file));
            assertThat(tool(h, s.id(), "c2").state()).isInstanceOf(ToolState.Completed.class);
            assertThat(tool(h, s.id(), "c3").state()).as("and at the next call").isInstanceOf(ToolState.Failed.class);
            assertThat(h.llm.requests.toString()).doesNotContain("words of secret");
            assertThat(h.projects.get(h.project.toString()).rules().evaluate("read", h.project.resolve("secret-3.txt").toString()))
                    .as("and after the turn").isEqualTo(Action.DENY);
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

    /**
     * A model's read call looks at the project's files once for its {@code PreToolUse} hooks and its ruling (decision
     * 546: twice before), and the next call looks again; with {@code PreToolUse} hooks to run, the ruling after them
     * looks afresh (as before), so a deny written while a hook runs holds at that call's ruling.
     * Counted from the first step's answer to the turn's end: each step looks at its end (its hooks' scope) and the
     * next at its start, so steps 1-3's ends, steps 2-3's starts, then the calls c1 and c2.
     */
    @Test
    void aToolCallLooksOnceForItsHooksAndItsRulingUnlessHooksRunBetween() throws Exception {
        assertThat(looksOfTwoReads(tmp.resolve("none"), "")).as("no hooks: one look per call").isEqualTo(5 + 2);
        String hooks = "{\"hooks\": {\"PreToolUse\": [{\"matcher\": \"Read\", \"hooks\": [{\"type\": \"command\", \"command\": \"true\"}]}]}}";
        assertThat(looksOfTwoReads(tmp.resolve("hooks"), hooks)).as("hooks run before the ruling: it looks afresh")
                .isEqualTo(5 + 2 * 2); // per call: the hooks with their MCP server names and bash rules, then the ruling
    }

    private static long looksOfTwoReads(Path tmp, String lathe) throws Exception {
        try (var h = new Harness(tmp, "", 50)) {
            if (!lathe.isEmpty()) edit(h.project.resolve("lathe.json"), lathe);
            h.trustProject();
            var s = h.session();
            var first = new java.util.concurrent.CountDownLatch(1);
            h.llm.thenAfter(first, step(call(0, "c1", "read", "{\"path\":\"x.txt\"}")));
            h.llm.then(step(call(0, "c2", "read", "{\"path\":\"x.txt\"}")));
            h.llm.then(text("Done."), finish(StopReason.STOP));
            Files.writeString(h.project.resolve("x.txt"), "x");
            h.api.prompt(s.id(), PromptRequest.text("read it twice"));
            assertThat(h.llm.gated.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            long before = h.projects.looks();
            first.countDown();
            h.awaitIdle(s.id());
            assertThat(tool(h, s.id(), "c2").state()).isInstanceOf(ToolState.Completed.class);
            return h.projects.looks() - before;
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
