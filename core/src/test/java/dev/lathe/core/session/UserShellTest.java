package dev.lathe.core.session;

import static dev.lathe.core.session.ScriptedProtocol.finish;
import static dev.lathe.core.session.ScriptedProtocol.text;
import static dev.lathe.core.session.SessionAdminTest.assertStatus;
import static dev.lathe.core.session.SessionAdminTest.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.core.session.runner.RunnerSeams;
import dev.lathe.core.session.turn.TurnSeams;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.llm.Content;
import dev.lathe.llm.StopReason;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.api.PermissionReplyRequest;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.api.ShellRequest;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.PermissionReply;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.protocol.session.UserMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserShellTest {
    @TempDir Path tmp;

    @Test
    void theCommandAndItsOutputJoinTheTranscriptAndReachTheModel() throws Exception {
        try (var h = new Harness(tmp, "", 10)) {
            Files.writeString(h.project.resolve("f.txt"), "content of f\n");
            var s = h.session();

            MessageWithParts answer = h.api.shell(s.id(), ShellRequest.of("cat f.txt; echo oops >&2; pwd; exit 3"));
            String realProject = h.project.toRealPath().toString();

            var info = (AssistantMessage) answer.info();
            assertThat(info.finish()).contains("stop");
            assertThat(info.error()).isEmpty();
            assertThat(answer.parts()).hasSize(1);
            var tool = (Part.Tool) answer.parts().getFirst();
            assertThat(tool.tool()).isEqualTo("bash");
            assertThat(tool.input().json()).isEqualTo("{\"command\":\"cat f.txt; echo oops >&2; pwd; exit 3\"}");
            assertThat(tool.state()).isInstanceOfSatisfying(ToolState.Completed.class, c -> {
                assertThat(c.output()).isEqualTo("content of f\noops\n" + realProject + "\nexit code: 3");
                assertThat(c.metadata()).containsEntry("exitCode", "3");
            });
            List<MessageWithParts> transcript = h.api.messages(s.id());
            assertThat(transcript).hasSize(2);
            assertThat(transcript.get(1)).isEqualTo(answer);
            var user = (UserMessage) transcript.get(0).info();
            assertThat(info.parentId()).isEqualTo(user.id());
            assertThat(transcript.get(0).parts()).extracting(p -> ((Part.Text) p).text())
                    .satisfiesExactly(t -> assertThat(t).isEqualTo(TurnSeams.USER_SHELL_NOTE), t -> assertThat(t).startsWith("<environment>"));
            // announced like a turn: the messages, a running part, then the completed one
            h.awaitEvent(e -> e instanceof Event.PartUpdated u && u.part().equals(tool));
            assertThat(h.events).anySatisfy(e -> assertThat(e.event()).isInstanceOfSatisfying(Event.PartUpdated.class,
                    u -> assertThat(u.part()).isInstanceOfSatisfying(Part.Tool.class, t -> assertThat(t.state()).isInstanceOf(ToolState.Running.class))));
            assertThat(h.events).anySatisfy(e -> assertThat(e.event()).isEqualTo(new Event.MessageUpdated(user)));

            h.llm.then(text("I see the output."), finish(StopReason.STOP));
            h.promptAndWait(s.id(), "what happened?");
            var contents = h.llm.requests.getLast().messages().stream().flatMap(m -> m.content().stream()).toList();
            assertThat(contents).anySatisfy(c -> assertThat(c).isInstanceOfSatisfying(Content.ToolCall.class,
                    call -> assertThat(call.argsJson()).contains("cat f.txt")));
            assertThat(contents).anySatisfy(c -> assertThat(c).isInstanceOfSatisfying(Content.ToolResult.class,
                    r -> assertThat(r.output()).contains("content of f")));
            assertThat(contents).anySatisfy(c -> assertThat(c).isEqualTo(new Content.Text(TurnSeams.USER_SHELL_NOTE)));
        }
    }

    @Test
    void longOutputKeepsItsTailAndAPromptSentMeanwhileRunsAfterIt() throws Exception {
        try (var h = new Harness(tmp, "", 10)) {
            var s = h.session();
            var running = CompletableFuture.supplyAsync(() -> h.api.shell(s.id(), ShellRequest.of("sleep 1; seq 1 5000")));
            await(() -> h.api.status(s.id()) instanceof SessionStatus.Busy, "the command to run");
            assertThat(h.api.statuses("")).containsKey(s.id());
            h.llm.then(text("after the command"), finish(StopReason.STOP));
            h.api.prompt(s.id(), PromptRequest.text("and now?"));

            MessageWithParts answer = running.get(20, TimeUnit.SECONDS);
            await(() -> h.api.messages(s.id()).size() == 4 && h.api.messages(s.id()).getLast().info() instanceof AssistantMessage a
                    && a.completedAt().isPresent(), "the queued prompt to be answered");
            h.awaitIdle(s.id());

            var output = ((ToolState.Completed) ((Part.Tool) answer.parts().getFirst()).state()).output();
            assertThat(output).startsWith("(Output truncated").contains("\n5000\nexit code: 0").doesNotContain("\n1\n2\n");
            assertThat(h.llm.requests).hasSize(1);
            assertThat(h.api.messages(s.id())).hasSize(4);
            assertThat(h.api.messages(s.id()).getLast().parts()).anySatisfy(p -> assertThat(p).isInstanceOfSatisfying(Part.Text.class,
                    t -> assertThat(t.text()).isEqualTo("after the command")));
        }
    }

    @Test
    void abortKillsTheCommand() throws Exception {
        try (var h = new Harness(tmp, "", 10)) {
            var s = h.session();
            long start = System.nanoTime();
            var running = CompletableFuture.supplyAsync(() -> h.api.shell(s.id(), ShellRequest.of("echo started; sleep 60")));
            await(() -> h.api.messages(s.id()).stream().flatMap(m -> m.parts().stream()).anyMatch(p -> p instanceof Part.Tool t
                    && t.state() instanceof ToolState.Running r && r.output().contains("started")), "the command to print");

            h.api.abort(s.id());
            MessageWithParts answer = running.get(10, TimeUnit.SECONDS);

            assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(10);
            assertThat(((AssistantMessage) answer.info()).error()).hasValueSatisfying(e -> assertThat(e.kind()).isEqualTo("aborted"));
            assertThat(((Part.Tool) answer.parts().getFirst()).state()).isInstanceOfSatisfying(ToolState.Failed.class,
                    f -> assertThat(f.error()).contains("aborted").contains("started"));
            h.awaitIdle(s.id());
        }
    }

    @Test
    void refusedWhileBusyAndForBadInput() throws Exception {
        try (var h = new Harness(tmp, "", 10)) {
            var s = h.session();
            assertStatus(LatheException.InvalidInput.class, () -> h.api.shell(s.id(), new ShellRequest("ls", Optional.of("nobody"))));
            assertStatus(LatheException.NotFound.class, () -> h.api.shell(SessionId.next(), ShellRequest.of("ls")));

            h.llm.thenHang(text("thinking"));
            h.api.prompt(s.id(), PromptRequest.text("think"));
            h.llm.hanging.await();
            assertStatus(LatheException.Conflict.class, () -> h.api.shell(s.id(), ShellRequest.of("ls")));
            h.api.abort(s.id());
            h.awaitIdle(s.id());
            assertThat(h.api.shell(s.id(), new ShellRequest("true", Optional.of("build"))).info()).isInstanceOf(AssistantMessage.class);
        }
    }

    @Test
    void aGoalCheckAndTheUsersOwnCommandAreHeldToTheSessionsBashRules() throws Exception {
        try (var h = new Harness(tmp, ", \"permission\": {\"bash\": {\"*\": \"ask\", \"test *\": \"allow\", \"rm *\": \"deny\"}}", 10)) {
            var s = h.session();
            Path victim = h.project.resolve("victim.txt");
            Files.writeString(victim, "x");

            // allowed by a rule: runs as bash, with the exit code on its part and the check's longest timeout
            MessageWithParts passed = h.api.shell(s.id(), ShellRequest.goalCheck("test -f victim.txt"));
            var tool = (Part.Tool) passed.parts().getFirst();
            assertThat(tool.input().json()).isEqualTo("{\"command\":\"test -f victim.txt\",\"timeout\":600000}");
            assertThat(tool.state()).isInstanceOfSatisfying(ToolState.Completed.class, c -> assertThat(c.metadata()).containsEntry("exitCode", "0"));

            // denied by a rule: refused with 403 in the user's words, nothing ran; the user typing it runs it
            assertThatThrownBy(() -> h.api.shell(s.id(), ShellRequest.goalCheck("rm victim.txt")))
                    .isInstanceOfSatisfying(LatheException.Forbidden.class, e -> {
                        assertThat(e.code()).isEqualTo("permission_denied");
                        assertThat(e.getMessage()).startsWith("the check `rm victim.txt` may not run: Denied by ").doesNotContain("Do not retry");
                    });
            assertThat(victim).exists();
            assertThat(h.api.status(s.id())).isInstanceOf(SessionStatus.Idle.class);

            // asked: the ask waits for a client; a rejection is permission_rejected
            var rejected = CompletableFuture.supplyAsync(() -> h.api.shell(s.id(), ShellRequest.goalCheck("echo asked")));
            var asked = (Event.PermissionAsked) h.awaitEvent(Event.PermissionAsked.class::isInstance);
            assertThat(asked.request().permission()).isEqualTo("bash");
            h.api.replyPermission(asked.request().id(), PermissionReplyRequest.of(PermissionReply.REJECT));
            assertThatThrownBy(() -> rejected.get(20, TimeUnit.SECONDS)).cause()
                    .isInstanceOfSatisfying(LatheException.Forbidden.class, e -> assertThat(e.code()).isEqualTo("permission_rejected"));
            // --allow-all: the server answers the ask itself
            MessageWithParts allowed = h.api.shell(s.id(), ShellRequest.goalCheck("echo asked").allowingAll());
            assertThat(((Part.Tool) allowed.parts().getFirst()).state()).isInstanceOfSatisfying(ToolState.Completed.class,
                    c -> assertThat(c.output()).startsWith("asked"));

            // the user's own command: what the rules ask, typing it answered (nothing is announced); a deny rule holds (DESIGN §30)
            int asks = (int) h.events.stream().filter(e -> e.event() instanceof Event.PermissionAsked).count();
            assertThat(((Part.Tool) h.api.shell(s.id(), ShellRequest.of("echo typed")).parts().getFirst()).state())
                    .isInstanceOfSatisfying(ToolState.Completed.class, c -> assertThat(c.output()).startsWith("typed"));
            assertThat(h.events.stream().filter(e -> e.event() instanceof Event.PermissionAsked).count()).isEqualTo(asks);
            assertThatThrownBy(() -> h.api.shell(s.id(), ShellRequest.of("rm victim.txt")))
                    .isInstanceOfSatisfying(LatheException.Forbidden.class, e -> {
                        assertThat(e.code()).isEqualTo("permission_denied");
                        assertThat(e.getMessage()).startsWith("the command `rm victim.txt` may not run: Denied by ");
                    });
            assertThat(victim).exists();
            assertThat(h.api.status(s.id())).isInstanceOf(SessionStatus.Idle.class);
            assertStatus(LatheException.InvalidInput.class, () -> h.api.shell(s.id(), ShellRequest.of("ls").allowingAll()));
        }
    }

    /** Issue 79: the node's own {@code "bash": "deny"} refuses the user's {@code !cmd}, however it is written. */
    @Test
    void theNodesBashDenyRefusesEveryCommandTheUserTypes() throws Exception {
        try (var h = new Harness(tmp, ", \"permission\": {\"bash\": \"deny\"}", 10)) {
            var s = h.session();
            Path planted = h.project.resolve("planted");
            for (String command : List.of("touch planted", "echo x > planted", "eval 'touch planted'", "c=touch; $c planted")) {
                assertThatThrownBy(() -> h.api.shell(s.id(), ShellRequest.of(command))).as(command)
                        .isInstanceOfSatisfying(LatheException.Forbidden.class, e -> assertThat(e.code()).isEqualTo("permission_denied"));
            }
            assertThat(planted).doesNotExist();
            assertThat(h.api.status(s.id())).isInstanceOf(SessionStatus.Idle.class);
        }
    }

    @Test
    void aCommandAfterAnUndoDropsTheHiddenTurn() throws Exception {
        try (var h = new Harness(tmp, "", 10)) {
            var s = h.session();
            h.llm.then(text("one"), finish(StopReason.STOP));
            h.promptAndWait(s.id(), "first");
            h.llm.then(text("two"), finish(StopReason.STOP));
            h.promptAndWait(s.id(), "second");
            h.api.undo(s.id());

            h.api.shell(s.id(), ShellRequest.of("echo hi"));

            assertThat(h.api.session(s.id()).revert()).isEmpty();
            assertThat(h.api.export(s.id()).messages()).hasSize(4);
            assertThat(h.api.messages(s.id())).hasSize(4);
        }
    }

    @Test
    void aPromptStoredWhileACommandStartsIsStillAnswered() {
        SessionId s = SessionId.next();
        var u1 = user(s, "hello", false);
        var a1 = answer(s, u1);
        var prompt = user(s, "sent while the command started", false);
        var note = user(s, TurnSeams.USER_SHELL_NOTE, true);
        var shellAnswer = answer(s, note);

        assertThat(RunnerSeams.unanswered(List.of(u1, a1, note, shellAnswer))).isEmpty();
        // the prompt's id sorts before the command's messages, yet nothing answered it
        assertThat(RunnerSeams.unanswered(List.of(u1, a1, prompt, note, shellAnswer))).contains((dev.lathe.protocol.session.UserMessage) prompt.info());
        assertThat(RunnerSeams.unanswered(List.of(u1, a1, note, shellAnswer, prompt))).contains((dev.lathe.protocol.session.UserMessage) prompt.info());
        assertThat(RunnerSeams.unanswered(List.of(u1, a1, note))).isEmpty();
    }

    private static MessageWithParts user(SessionId s, String text, boolean synthetic) {
        var m = new UserMessage(dev.lathe.protocol.MessageId.next(), s, 1, "build", "fake/m");
        return new MessageWithParts(m, List.of(new Part.Text(dev.lathe.protocol.PartId.next(), s, m.id(), text, synthetic)));
    }

    private static MessageWithParts answer(SessionId s, MessageWithParts to) {
        return new MessageWithParts(new AssistantMessage(dev.lathe.protocol.MessageId.next(), s, to.info().id(), "build", "fake/m", 2,
                Optional.of(3L), Optional.of("stop"), Optional.empty(), dev.lathe.protocol.session.Usage.ZERO, 0), List.of());
    }
}
