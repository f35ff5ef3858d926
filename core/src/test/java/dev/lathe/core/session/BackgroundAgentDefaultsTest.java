package dev.lathe.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.llm.Protocols;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.PermissionReplyRequest;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.event.AskingChild;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.PermissionReply;
import dev.lathe.protocol.event.PermissionRequest;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.protocol.session.TaskResult;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.RecordedRequest;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 56, what users still missed of background subagents: an agent file's {@code background: true} (Lathe's and
 * Claude Code's front matter) makes the {@code task} tool run that agent in the background unless the call says
 * otherwise; and a child's ask reaches the parent's user naming the child that asks.
 */
class BackgroundAgentDefaultsTest {
    @TempDir Path tmp;

    private Harness harness(FakeLlm llm, String extra) throws Exception {
        String config = "{\"model\": \"fake/m\", \"provider\": {\"fake\": {\"protocol\": \"openai-chat\", \"baseUrl\": \"" + llm.baseUrl()
                + "\", \"models\": {\"m\": {\"context\": 100000, \"output\": 4000}}}}" + extra + "}";
        return new Harness(tmp, config, 20, Protocols.standard(HttpClient.newHttpClient()));
    }

    private static boolean isChild(RecordedRequest r) { return r.system().contains("SCOUT-PROMPT"); }

    private static Step task(String callId, String agent, String extra) {
        return Step.toolCall(callId, "task", "{\"description\":\"Scout around\",\"prompt\":\"look\",\"agent\":\"" + agent + "\"" + extra + "}");
    }

    private static boolean open(CountDownLatch gate) {
        try {
            return gate.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Waits until {@code parent} answered {@code n} task results and is idle: nothing writes to the store any more when
     * the test's folders are deleted.
     */
    private static void settled(Harness h, SessionId parent, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            var messages = h.api.messages(parent);
            long answered = messages.stream().filter(m -> TaskResult.marks(m.parts())).count();
            var last = messages.getLast().info();
            if (answered >= n && last instanceof AssistantMessage a && a.completedAt().isPresent() && h.api.status(parent) instanceof SessionStatus.Idle) return;
            Thread.sleep(20);
        }
        throw new AssertionError("the parent did not answer " + n + " task results in time");
    }

    @Test
    void anAgentFilesBackgroundTrueRunsItInTheBackgroundUnlessTheCallSaysOtherwise() throws Exception {
        var childGo = new CountDownLatch(1);
        try (var llm = FakeLlm.start(); var h = harness(llm, "")) {
            Files.createDirectories(h.project.resolve(".lathe/agents"));
            Files.writeString(h.project.resolve(".lathe/agents/scout.md"), "---\ndescription: Scouts\nmode: subagent\nbackground: true\n---\nSCOUT-PROMPT\n");
            Files.createDirectories(h.project.resolve(".claude/agents"));
            Files.writeString(h.project.resolve(".claude/agents/ranger.md"), "---\nname: ranger\ndescription: Ranges\nbackground: true\n---\nSCOUT-PROMPT\n");
            llm.respondWith(r -> {
                if (isChild(r)) return open(childGo) ? Turn.of(Step.text("SCOUTED")) : Turn.of(Step.text("late"));
                if (r.lastUserText().startsWith("<task-result")) return Turn.of(Step.text("NOTED"));
                if (r.toolResult("t1").isEmpty()) {
                    return Turn.of(task("t1", "scout", ""), task("t2", "ranger", ""), task("t3", "scout", ",\"background\":false")).finish("tool_calls");
                }
                return Turn.of(Step.text("PARENT-WAITING"));
            });
            SessionId parent = h.session().id();
            childGo.countDown();  // the blocking call (t3) waits for its child; the others return at once regardless
            h.promptAndWait(parent, "scout around");
            RecordedRequest second = llm.requests().stream().filter(r -> !isChild(r)).toList().get(1);
            assertThat(second.toolResult("t1").orElseThrow()).startsWith("started background task ").contains("(agent scout)");
            assertThat(second.toolResult("t2").orElseThrow()).startsWith("started background task ").contains("(agent ranger)");
            // background: false in the call wins over the agent's default: the call waited for the child's answer
            assertThat(second.toolResult("t3").orElseThrow()).startsWith("taskId: ").contains("<task_result>\nSCOUTED\n</task_result>");
            settled(h, parent, 2);
        } finally {
            childGo.countDown();
        }
    }

    @Test
    void aBackgroundChildsPermissionAskNamesTheChildThatAsks() throws Exception {
        try (var llm = FakeLlm.start(); var h = harness(llm, ", \"permission\": {\"bash\": \"ask\"}")) {
            Files.createDirectories(h.project.resolve(".lathe/agents"));
            Files.writeString(h.project.resolve(".lathe/agents/scout.md"), "---\ndescription: Scouts\nmode: subagent\n---\nSCOUT-PROMPT\n");
            llm.respondWith(r -> {
                if (isChild(r)) {
                    if (r.toolResult("b1").isEmpty()) return Turn.of(Step.toolCall("b1", "bash", "{\"command\":\"echo hi\",\"description\":\"Say hi\"}"))
                            .finish("tool_calls");
                    return Turn.of(Step.text("SAID-HI"));
                }
                if (r.lastUserText().startsWith("<task-result")) return Turn.of(Step.text("NOTED"));
                if (r.toolResult("t1").isEmpty()) return Turn.of(task("t1", "scout", ",\"background\":true")).finish("tool_calls");
                return Turn.of(Step.text("PARENT-WAITING"));
            });
            SessionId parent = h.session().id();
            h.promptAndWait(parent, "scout around");
            Event asked = h.awaitEvent(e -> e instanceof Event.PermissionAsked);
            PermissionRequest request = ((Event.PermissionAsked) asked).request();
            SessionId child = h.api.childSessions(parent).getFirst().session().id();
            assertThat(request.sessionId()).isEqualTo(child);
            assertThat(request.child()).contains(new AskingChild(parent, "scout", "Scout around (@scout subagent)"));
            // the pending asks the route lists say the same
            assertThat(h.api.permissions(h.project.toString())).singleElement().satisfies(p -> assertThat(p.child()).isEqualTo(request.child()));
            h.api.replyPermission(request.id(), PermissionReplyRequest.of(PermissionReply.ONCE));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            // "waiting" (its ask open) can still be read just after the answer, then "running": both are on the way
            while (List.of("running", "waiting").contains(h.api.childSessions(parent).getFirst().status()) && System.nanoTime() < deadline) Thread.sleep(20);
            assertThat(h.api.childSessions(parent).getFirst().status()).isEqualTo("completed");
            settled(h, parent, 1);
        }
    }

    @Test
    void aTopLevelSessionsAskNamesNoChild() throws Exception {
        try (var llm = FakeLlm.start(); var h = harness(llm, ", \"permission\": {\"bash\": \"ask\"}")) {
            llm.respondWith(r -> r.toolResult("b1").isEmpty()
                    ? Turn.of(Step.toolCall("b1", "bash", "{\"command\":\"echo hi\",\"description\":\"Say hi\"}")).finish("tool_calls")
                    : Turn.of(Step.text("DONE")));
            SessionId id = h.session().id();
            h.api.prompt(id, PromptRequest.text("say hi"));
            PermissionRequest request = ((Event.PermissionAsked) h.awaitEvent(e -> e instanceof Event.PermissionAsked)).request();
            assertThat(request.child()).isEmpty();
            h.api.replyPermission(request.id(), PermissionReplyRequest.of(PermissionReply.ONCE));
            h.awaitIdle(id);
        }
    }

    /**
     * Attack: a background child that tries to start background tasks of its own (to get past its parent's
     * {@code agents.maxBackground}) is refused: subagents are not offered {@code task} and start no subagents, so the
     * bound holds for the whole tree.
     */
    @Test
    void aBackgroundChildCannotStartBackgroundTasksOfItsOwn() throws Exception {
        try (var llm = FakeLlm.start(); var h = harness(llm, ", \"agents\": {\"maxBackground\": 1}")) {
            Files.createDirectories(h.project.resolve(".lathe/agents"));
            Files.writeString(h.project.resolve(".lathe/agents/scout.md"), "---\ndescription: Scouts\nmode: subagent\nbackground: true\n---\nSCOUT-PROMPT\n");
            llm.respondWith(r -> {
                if (isChild(r)) {
                    if (r.toolResult("n1").isEmpty()) return Turn.of(task("n1", "scout", ""), task("n2", "scout", ",\"background\":true")).finish("tool_calls");
                    return Turn.of(Step.text("CHILD-DONE"));
                }
                if (r.lastUserText().startsWith("<task-result")) return Turn.of(Step.text("NOTED"));
                if (r.toolResult("t1").isEmpty()) return Turn.of(task("t1", "scout", "")).finish("tool_calls");
                return Turn.of(Step.text("PARENT-WAITING"));
            });
            SessionId parent = h.session().id();
            h.promptAndWait(parent, "scout around");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (llm.requests().stream().noneMatch(r -> isChild(r) && r.toolResult("n1").isPresent()) && System.nanoTime() < deadline) Thread.sleep(20);
            RecordedRequest second = llm.requests().stream().filter(r -> isChild(r) && r.toolResult("n1").isPresent()).findFirst().orElseThrow();
            // a child is not offered the task tool at all; were it called anyway, the port refuses (Subtasks.nested)
            for (String call : List.of("n1", "n2")) {
                assertThat(second.toolResult(call).orElseThrow()).doesNotStartWith("started background task").containsAnyOf("Unknown tool 'task'",
                        "A subagent cannot start subagents");
            }
            assertThat(h.api.childSessions(parent)).hasSize(1);
            SessionId child = h.api.childSessions(parent).getFirst().session().id();
            assertThat(h.api.childSessions(child)).isEmpty();
            settled(h, parent, 1);
        }
    }
}
