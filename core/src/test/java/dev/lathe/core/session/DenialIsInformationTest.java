package dev.lathe.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.ask.PermissionGate;
import dev.lathe.llm.Protocols;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.api.PermissionReplyRequest;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.PermissionReply;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.ToolRejection;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.RecordedRequest;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DESIGN §26 and §18 "Unattended work": a denial is information. A deny rule's refusal is an error the model reads
 * ({@code Denied by RULE (FILE)}) and the turn goes on, unless {@code "onDeny": "stop"}; an ask nobody can answer (a
 * {@code --deny-asks} prompt, {@code "unattended": "deny"}, a background child no client follows) is denied the same
 * way (never announced as an ask), unless {@code "unattended": "wait"} keeps it open. The real core and turn loop, the
 * fake model over HTTP; the evidence is what the model was sent and how the turn ended.
 */
class DenialIsInformationTest {
    private static final String CURL = "{\"command\":\"curl http://127.0.0.1:9/x\",\"description\":\"fetch\"}";

    @TempDir Path tmp;

    private Harness harness(FakeLlm llm, String userPermission) throws Exception {
        String config = "{\"model\": \"fake/m\", \"permission\": " + userPermission + ", \"provider\": {\"fake\": {\"protocol\": \"openai-chat\","
                + " \"baseUrl\": \"" + llm.baseUrl() + "\", \"models\": {\"m\": {\"context\": 100000, \"output\": 4000}}}}}";
        return new Harness(tmp, config, 20, Protocols.standard(HttpClient.newHttpClient()));
    }

    /** The model calls bash with {@code args} once, then says DONE with whatever the call's result was. */
    private static void curlThenDone(FakeLlm llm, String callId) {
        llm.respondWith(r -> r.toolResult(callId).isEmpty() ? Turn.of(Step.toolCall(callId, "bash", CURL)).finish("tool_calls") : Turn.of(Step.text("DONE")));
    }

    private static AssistantMessage lastAnswer(Harness h, SessionId id) {
        return (AssistantMessage) h.api.messages(id).stream().map(MessageWithParts::info).filter(m -> m instanceof AssistantMessage).toList().getLast();
    }

    private static ToolState.Failed failedCall(Harness h, SessionId id, String callId) {
        return h.api.messages(id).stream().flatMap(m -> m.parts().stream()).filter(p -> p instanceof Part.Tool t && t.callId().equals(callId))
                .map(p -> (ToolState.Failed) ((Part.Tool) p).state()).findFirst().orElseThrow();
    }

    @Test
    void aDenyRuleIsAnErrorTheModelReadsAndTheTurnGoesOn() throws Exception {
        try (var llm = FakeLlm.start(); var h = harness(llm, "{\"bash\": \"allow\"}")) {
            Files.writeString(h.project.resolve("lathe.json"), "{\"permission\": {\"bash\": {\"curl *\": \"deny\"}}}");
            curlThenDone(llm, "c1");
            SessionId s = h.session().id();
            h.promptAndWait(s, "fetch it");

            assertThat(llm.requests()).hasSize(2);
            String result = llm.requests().get(1).toolResult("c1").orElseThrow();
            assertThat(result).startsWith("Error: Denied by bash: curl * (" + h.project.toRealPath().resolve("lathe.json") + ")");
            assertThat(lastAnswer(h, s).error()).isEmpty();
            assertThat(h.api.messages(s).getLast().parts()).anySatisfy(p -> assertThat(p).isInstanceOfSatisfying(Part.Text.class,
                    t -> assertThat(t.text()).isEqualTo("DONE")));
            ToolState.Failed failed = failedCall(h, s, "c1");
            assertThat(failed.rejection()).hasValueSatisfying(r -> {
                assertThat(r.by()).isEqualTo(ToolRejection.By.RULE);
                assertThat(r.rule()).contains("bash: curl *");
                assertThat(r.source().orElseThrow()).endsWith("lathe.json");
            });
        }
    }

    @Test
    void onDenyStopKeepsTheOldStopAndAProjectCannotLoosenIt() throws Exception {
        // the user's own config says stop; the cloned project's "continue" does not undo it (the strictest holds)
        try (var llm = FakeLlm.start(); var h = harness(llm, "{\"bash\": \"allow\", \"onDeny\": \"stop\"}")) {
            Files.writeString(h.project.resolve("lathe.json"), "{\"permission\": {\"bash\": {\"curl *\": \"deny\"}, \"onDeny\": \"continue\"}}");
            curlThenDone(llm, "c1");
            SessionId s = h.session().id();
            h.promptAndWait(s, "fetch it");

            assertThat(llm.requests()).hasSize(1);
            assertThat(lastAnswer(h, s).error()).hasValueSatisfying(e -> assertThat(e.kind()).isEqualTo("permission_rejected"));
            assertThat(failedCall(h, s, "c1").rejection()).hasValueSatisfying(r -> assertThat(r.by()).isEqualTo(ToolRejection.By.RULE));
        }
    }

    @Test
    void unattendedDenyDeniesEveryAskAndAnnouncesItAnswered() throws Exception {
        try (var llm = FakeLlm.start(); var h = harness(llm, "{\"bash\": \"ask\", \"unattended\": \"deny\"}")) {
            curlThenDone(llm, "c1");
            SessionId s = h.session().id();
            h.promptAndWait(s, "fetch it");

            assertThat(llm.requests()).hasSize(2);
            assertThat(llm.requests().get(1).toolResult("c1").orElseThrow()).startsWith("Error: " + PermissionGate.UNATTENDED_DENIAL);
            assertThat(lastAnswer(h, s).error()).isEmpty();
            // never announced as an ask: no client is to answer it or show it waiting
            assertThat(h.events).noneMatch(e -> e.event() instanceof Event.PermissionAsked);
            assertThat(h.api.permissions(h.project.toString())).isEmpty();
            assertThat(failedCall(h, s, "c1").rejection()).hasValueSatisfying(r -> assertThat(r.by()).isEqualTo(ToolRejection.By.UNATTENDED));
        }
    }

    @Test
    void aQuestionNobodyCanAnswerIsNotAskedAndTheModelProceeds() throws Exception {
        try (var llm = FakeLlm.start(); var h = harness(llm, "{\"bash\": \"ask\", \"unattended\": \"deny\"}")) {
            llm.respondWith(r -> r.toolResult("q1").isEmpty()
                    ? Turn.of(Step.toolCall("q1", "question", "{\"questions\":[{\"question\":\"Which branch?\"}]}")).finish("tool_calls")
                    : Turn.of(Step.text("DONE")));
            SessionId s = h.session().id();
            h.promptAndWait(s, "go");

            assertThat(llm.requests().get(1).toolResult("q1").orElseThrow()).contains(dev.lathe.protocol.api.QuestionReplyRequest.UNAVAILABLE);
            assertThat(h.events).noneMatch(e -> e.event() instanceof Event.QuestionAsked);
        }
    }

    @Test
    void aPromptThatDeniesAsksHasItsAsksDeniedAndTheModelGoesOn() throws Exception {
        try (var llm = FakeLlm.start(); var h = harness(llm, "{\"bash\": \"ask\"}")) {
            curlThenDone(llm, "c1");
            SessionId s = h.session().id();
            h.api.prompt(s, PromptRequest.text("fetch it").denyingAsks());
            h.awaitIdle(s);

            assertThat(llm.requests().get(1).toolResult("c1").orElseThrow()).startsWith("Error: " + PermissionGate.UNATTENDED_DENIAL);
            assertThat(lastAnswer(h, s).error()).isEmpty();
            // the next prompt, without it, asks again as ever
            llm.respondWith(r -> r.toolResult("c2").isEmpty() ? Turn.of(Step.toolCall("c2", "bash", CURL)).finish("tool_calls") : Turn.of(Step.text("DONE")));
            h.api.prompt(s, PromptRequest.text("again"));
            until(() -> h.api.permissions(h.project.toString()).size() > 0);
            assertThat(h.api.permissions(h.project.toString())).singleElement();
            h.api.replyPermission(h.api.permissions(h.project.toString()).getFirst().id(), PermissionReplyRequest.of(PermissionReply.REJECT));
            h.awaitIdle(s);
        }
    }

    /** Waits up to 20 s for {@code condition} (what the server does happens on threads of its own). */
    private static void until(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) Thread.sleep(20);
    }

    private static boolean isChild(RecordedRequest r) { return r.system().contains("SCOUT-PROMPT"); }

    /** A parent that starts a background scout; the scout runs bash once (asked), then reports what it read. */
    private static Harness backgroundScout(FakeLlm llm, Harness h) throws Exception {
        Files.createDirectories(h.project.resolve(".lathe/agents"));
        Files.writeString(h.project.resolve(".lathe/agents/scout.md"), "---\ndescription: Scouts\nmode: subagent\n---\nSCOUT-PROMPT\n");
        llm.respondWith(r -> {
            if (isChild(r)) return r.toolResult("b1").isEmpty() ? Turn.of(Step.toolCall("b1", "bash", CURL)).finish("tool_calls")
                    : Turn.of(Step.text("SCOUT-READ: " + r.toolResult("b1").get().lines().findFirst().orElse("")));
            if (r.lastUserText().startsWith("<task-result")) return Turn.of(Step.text("NOTED"));
            if (r.toolResult("t1").isEmpty()) {
                return Turn.of(Step.toolCall("t1", "task", "{\"description\":\"Scout\",\"prompt\":\"look\",\"agent\":\"scout\",\"background\":true}"))
                        .finish("tool_calls");
            }
            return Turn.of(Step.text("PARENT-WAITING"));
        });
        return h;
    }

    private static String childStatus(Harness h, SessionId parent) {
        var children = h.api.childSessions(parent);
        return children.isEmpty() ? "none" : children.getFirst().status();
    }

    @Test
    void aBackgroundChildsAskWithNoClientAttachedIsDeniedAndReportedWithinSeconds() throws Exception {
        try (var llm = FakeLlm.start(); var h = backgroundScout(llm, harness(llm, "{\"bash\": \"ask\"}"))) {
            h.detachClient();
            SessionId parent = h.session().id();
            h.api.prompt(parent, PromptRequest.text("scout around"));
            long start = System.nanoTime();
            until(() -> childStatus(h, parent).equals("completed"));
            assertThat(childStatus(h, parent)).isEqualTo("completed");
            assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(10);
            RecordedRequest childsSecond = llm.requests().stream().filter(DenialIsInformationTest::isChild).toList().get(1);
            assertThat(childsSecond.toolResult("b1").orElseThrow()).startsWith("Error: " + PermissionGate.UNATTENDED_DENIAL);
            // no ask is left open, and none was announced (NotificationsTest: the user is told of the denial)
            assertThat(h.events).noneMatch(e -> e.event() instanceof Event.PermissionAsked);
            assertThat(h.api.permissions(h.project.toString())).isEmpty();
            // the parent is reported the child's answer, which says what was denied
            until(() -> llm.requests().stream().anyMatch(r -> !isChild(r) && r.lastUserText().startsWith("<task-result")));
            assertThat(llm.requests().stream().filter(r -> !isChild(r) && r.lastUserText().startsWith("<task-result")).findFirst().orElseThrow()
                    .lastUserText()).contains("SCOUT-READ: Error: " + PermissionGate.UNATTENDED_DENIAL);
            h.awaitIdle(parent);
        }
    }

    @Test
    void withUnattendedWaitABackgroundChildsAskStaysOpenUntilSomeoneAnswers() throws Exception {
        try (var llm = FakeLlm.start(); var h = backgroundScout(llm, harness(llm, "{\"bash\": \"ask\", \"unattended\": \"wait\"}"))) {
            h.detachClient();
            SessionId parent = h.session().id();
            h.api.prompt(parent, PromptRequest.text("scout around"));
            until(() -> h.api.permissions(h.project.toString()).size() > 0);
            var pending = h.api.permissions(h.project.toString());
            assertThat(pending).singleElement();
            Thread.sleep(1500);
            // running, and waiting for an answer: lathe agents says so, as the session's status does (issue 79)
            assertThat(childStatus(h, parent)).isEqualTo("waiting");
            assertThat(h.api.permissions(h.project.toString())).hasSize(1);
            // someone answers (a client attached later, the web's inbox): the child goes on
            h.api.replyPermission(pending.getFirst().id(), PermissionReplyRequest.of(PermissionReply.REJECT));
            until(() -> !childStatus(h, parent).equals("running") && !childStatus(h, parent).equals("waiting"));
            assertThat(childStatus(h, parent)).isNotIn("running", "waiting");
            until(() -> llm.requests().stream().anyMatch(r -> !isChild(r) && r.lastUserText().startsWith("<task-result")));
            h.awaitIdle(parent);
        }
    }

    @Test
    void aBackgroundChildsAskIsJudgedAgainWhenItsLastClientLeavesAndDeniedThen() throws Exception {
        // issue 79: asked while a client followed, the ask once waited forever after that client went
        try (var llm = FakeLlm.start(); var h = backgroundScout(llm, harness(llm, "{\"bash\": \"ask\"}"))) {
            SessionId parent = h.session().id();
            h.api.prompt(parent, PromptRequest.text("scout around"));
            until(() -> h.api.permissions(h.project.toString()).size() > 0);
            assertThat(h.api.permissions(h.project.toString())).singleElement();

            h.detachClient();
            until(() -> childStatus(h, parent).equals("completed"));
            assertThat(childStatus(h, parent)).isEqualTo("completed");
            RecordedRequest childsSecond = llm.requests().stream().filter(DenialIsInformationTest::isChild).toList().get(1);
            assertThat(childsSecond.toolResult("b1").orElseThrow()).startsWith("Error: " + PermissionGate.UNATTENDED_DENIAL);
            assertThat(h.api.permissions(h.project.toString())).isEmpty();
            // announced as asked, then as answered (reject), so a client that comes back shows no card for it
            assertThat(h.events).anyMatch(e -> e.event() instanceof Event.PermissionReplied r && r.reply() == PermissionReply.REJECT);
            h.awaitIdle(parent);
        }
    }

    @Test
    void aBackgroundChildsQuestionIsJudgedAgainWhenItsLastClientLeaves() throws Exception {
        // the same place answers an MCP server's elicitation, which is asked as the session's question
        try (var llm = FakeLlm.start(); var h = harness(llm, "{\"bash\": \"ask\"}")) {
            Files.createDirectories(h.project.resolve(".lathe/agents"));
            Files.writeString(h.project.resolve(".lathe/agents/scout.md"), "---\ndescription: Scouts\nmode: subagent\n---\nSCOUT-PROMPT\n");
            llm.respondWith(r -> {
                if (isChild(r)) return r.toolResult("q1").isEmpty()
                        ? Turn.of(Step.toolCall("q1", "question", "{\"questions\":[{\"question\":\"Which branch?\"}]}")).finish("tool_calls")
                        : Turn.of(Step.text("SCOUT-READ: " + r.toolResult("q1").get()));
                if (r.lastUserText().startsWith("<task-result")) return Turn.of(Step.text("NOTED"));
                if (r.toolResult("t1").isEmpty()) {
                    return Turn.of(Step.toolCall("t1", "task", "{\"description\":\"Scout\",\"prompt\":\"look\",\"agent\":\"scout\",\"background\":true}"))
                            .finish("tool_calls");
                }
                return Turn.of(Step.text("PARENT-WAITING"));
            });
            SessionId parent = h.session().id();
            h.api.prompt(parent, PromptRequest.text("scout around"));
            until(() -> h.events.stream().anyMatch(e -> e.event() instanceof Event.QuestionAsked));

            h.detachClient();
            until(() -> childStatus(h, parent).equals("completed"));
            RecordedRequest childsSecond = llm.requests().stream().filter(DenialIsInformationTest::isChild).toList().get(1);
            assertThat(childsSecond.toolResult("q1").orElseThrow()).contains(dev.lathe.protocol.api.QuestionReplyRequest.UNAVAILABLE);
            h.awaitIdle(parent);
        }
    }

    @Test
    void withUnattendedWaitALeftAskStaysParked() throws Exception {
        try (var llm = FakeLlm.start(); var h = backgroundScout(llm, harness(llm, "{\"bash\": \"ask\", \"unattended\": \"wait\"}"))) {
            SessionId parent = h.session().id();
            h.api.prompt(parent, PromptRequest.text("scout around"));
            until(() -> h.api.permissions(h.project.toString()).size() > 0);
            h.detachClient();
            Thread.sleep(1500);
            assertThat(h.api.permissions(h.project.toString())).as("parked, for the user to answer later").hasSize(1);
            assertThat(childStatus(h, parent)).isEqualTo("waiting");
            h.api.replyPermission(h.api.permissions(h.project.toString()).getFirst().id(), PermissionReplyRequest.of(PermissionReply.REJECT));
            until(() -> childStatus(h, parent).equals("completed"));
            h.awaitIdle(parent);
        }
    }

    @Test
    void aBackgroundChildsAskIsStillAskedWhileAClientFollowsTheSession() throws Exception {
        try (var llm = FakeLlm.start(); var h = backgroundScout(llm, harness(llm, "{\"bash\": \"ask\"}"))) {
            SessionId parent = h.session().id();
            h.api.prompt(parent, PromptRequest.text("scout around"));
            until(() -> h.api.permissions(h.project.toString()).size() > 0);
            assertThat(h.api.permissions(h.project.toString())).singleElement();
            h.api.replyPermission(h.api.permissions(h.project.toString()).getFirst().id(), PermissionReplyRequest.of(PermissionReply.ONCE));
            until(() -> llm.requests().stream().anyMatch(r -> !isChild(r) && r.lastUserText().startsWith("<task-result")));
            h.awaitIdle(parent);
        }
    }

}
