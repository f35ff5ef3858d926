package dev.lathe.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.llm.Protocols;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.api.PermissionReplyRequest;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.api.SessionExport;
import dev.lathe.protocol.event.BudgetAsks;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.PermissionReply;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.protocol.session.Usage;
import dev.lathe.protocol.session.UserMessage;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one spend ledger (DESIGN §24) through the real core, the real HTTP protocols and the fake provider on loopback,
 * counting the requests the provider receives: spend is counted when a response ends, not when its step's tool calls
 * finish; a request the provider refused costs nothing; an import cannot pull spend back under a limit.
 */
class SpendLedgerTest {
    @TempDir Path tmp;

    private static String fake(FakeLlm llm, String extra) {
        return "{\"model\": \"fake/m\", \"provider\": {\"fake\": {\"protocol\": \"openai-chat\", \"baseUrl\": \"" + llm.baseUrl()
                + "\", \"apiKey\": \"sk-test\", \"models\": {\"m\": {\"context\": 100000, \"output\": 4000}}}}" + extra + "}";
    }

    private static Step task(String id, String what) {
        return Step.toolCall(id, "task", "{\"description\":\"" + what + "\",\"prompt\":\"read a.txt\",\"agent\":\"general\"}");
    }

    /**
     * The parent's response (three parallel subagents) passes the session's limit: none of the three sends a request,
     * though the parent's step is written only when its task calls end. Before the ledger each child read the limit from
     * the store, which did not hold the parent's step yet, and all three went out.
     */
    @Test
    void threeParallelSubagentsSendNoRequestPastTheLimitTheirParentsResponseReached() throws Exception {
        try (var llm = FakeLlm.start()) {
            llm.enqueue(Turn.of(task("t1", "One"), task("t2", "Two"), task("t3", "Three")).usage(6_000, 30, 0, 0));
            for (int i = 0; i < 6; i++) llm.enqueue(Turn.of(Step.text("child answer " + i)));
            try (var h = new Harness(tmp, fake(llm, ", \"limits\": {\"session\": {\"tokens\": 5000}}"), 10,
                    Protocols.standard(HttpClient.newHttpClient()))) {
                Files.writeString(h.project.resolve("a.txt"), "alpha\n");
                var s = h.session();
                h.api.prompt(s.id(), PromptRequest.text("have three subagents read a.txt"));

                var asked = (Event.PermissionAsked) h.awaitEvent(e -> e instanceof Event.PermissionAsked);
                assertThat(asked.request().permission()).isEqualTo(BudgetAsks.PERMISSION);
                assertThat(asked.request().title()).contains("session 6,030 tokens of 5,000 tokens");
                // the children are all started and waiting on the tree's one ask: none has sent anything
                for (int i = 0; i < 500 && h.api.children(s.id()).size() < 3; i++) Thread.sleep(10);
                Thread.sleep(300);
                assertThat(llm.requests()).as("only the parent's request reached the provider").hasSize(1);

                h.api.replyPermission(asked.request().id(), PermissionReplyRequest.of(PermissionReply.REJECT));
                h.awaitIdle(s.id());
                assertThat(llm.requests()).hasSize(1);
                assertThat(lastAssistant(h, s.id()).error()).hasValueSatisfying(e -> assertThat(e.kind()).isEqualTo(BudgetAsks.ERROR_KIND));
            }
        }
    }

    /**
     * Six answers of a server error before any stream (two HTTP 500s, then four 503s), then a success: only the success
     * is billed. Before, each refused attempt was charged the request's estimated input (about 4,800 tokens each here,
     * ~29,000 in all). A 500 is the case that was charged (a transport error: a stream that broke may have been
     * processed); the 503s (overloaded) ask for a 10 ms wait ({@code retry-after-ms}), so the retries do not sit out the
     * 1+2+4+8+16+30 s of backoff six plain 500s cost, and 500s come first, where the backoff is shortest (1 s, 2 s).
     */
    @Test
    void sixServerErrorsBeforeAnyStreamThenASuccessBillOnlyTheSuccess() throws Exception {
        try (var llm = FakeLlm.start()) {
            for (int i = 0; i < 2; i++) {
                llm.enqueue(Turn.httpError(500, "{\"error\": {\"message\": \"internal error\", \"type\": \"server_error\"}}", Map.of()));
            }
            for (int i = 0; i < 4; i++) {
                llm.enqueue(Turn.httpError(503, "{\"error\": {\"message\": \"overloaded\", \"type\": \"server_error\"}}",
                        Map.of("retry-after-ms", "10")));
            }
            llm.enqueue(Turn.of(Step.text("finally")).usage(1_000, 50, 0, 0));
            try (var h = new Harness(tmp, fake(llm, ", \"retry\": {\"maxAttempts\": 8, \"maxTotalWaitSeconds\": 200}"), 10,
                    Protocols.standard(HttpClient.newHttpClient()))) {
                var s = h.session();
                h.api.prompt(s.id(), PromptRequest.text("hello"));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
                while (System.nanoTime() < deadline && !(llm.requests().size() == 7 && h.api.status(s.id()) instanceof SessionStatus.Idle)) Thread.sleep(50);

                assertThat(llm.requests()).hasSize(7);
                var answer = lastAssistant(h, s.id());
                assertThat(answer.error()).isEmpty();
                assertThat(answer.usage()).as("the six refused attempts cost nothing").isEqualTo(new Usage(1_000, 50, 0, 0, 0));
                assertThat(h.api.session(s.id()).usage()).isEqualTo(new Usage(1_000, 50, 0, 0, 0));
            }
        }
    }

    /**
     * An imported session states negative usage and cost (its totals, its answer, its step): stored at zero, so it
     * cannot pull the project's spend back under its limit, and the next request of a session there still asks.
     */
    @Test
    void anImportsNegativeUsageAndCostAreClampedAndDoNotPullSpendUnderALimit() throws Exception {
        try (var llm = FakeLlm.start()) {
            llm.enqueue(Turn.of(Step.text("spent")).usage(6_000, 30, 0, 0));
            llm.enqueue(Turn.of(Step.text("never sent")));
            try (var h = new Harness(tmp, fake(llm, ", \"limits\": {\"project\": {\"tokens\": 5000}}, \"retry\": {\"maxAttempts\": 1, \"maxTotalWaitSeconds\": 1}"), 10,
                    Protocols.standard(HttpClient.newHttpClient()))) {
                var s = h.session();
                h.promptAndWait(s.id(), "spend");
                assertThat(llm.requests()).hasSize(1);

                Usage negative = new Usage(-1_000_000_000L, -5, -5, -5, -1_000_000_000L);
                var id = new SessionId("ses_01a0000000000000importXYZ");
                var user = new UserMessage(MessageId.next(), id, 1L, "build", "fake/m");
                var answer = new AssistantMessage(MessageId.next(), id, user.id(), "build", "fake/m", 2L, Optional.of(3L), Optional.of("stop"),
                        Optional.empty(), negative, -9_000_000_000L);
                var step = new Part.StepFinish(PartId.next(), id, answer.id(), "stop", negative, -9_000_000_000L, Optional.empty());
                var open = new AssistantMessage(MessageId.next(), id, user.id(), "build", "fake/m", 4L, Optional.empty(), Optional.empty(),
                        Optional.empty(), negative, -9_000_000_000L);
                var openStep = new Part.StepFinish(PartId.next(), id, open.id(), "stop", negative, -9_000_000_000L, Optional.empty());
                Session given = new Session(id, s.projectId(), s.directory(), Optional.empty(), "imported", "build", "fake/m", 1L, 4L,
                        Optional.empty(), negative, -9_000_000_000L, Optional.empty());
                Session imported = h.api.importSession(SessionExport.of(given, List.of(new MessageWithParts(user, List.of(
                        new Part.Text(PartId.next(), id, user.id(), "hi", false))), new MessageWithParts(answer, List.of(step)),
                        new MessageWithParts(open, List.of(openStep)))));

                assertThat(imported.usage()).isEqualTo(Usage.ZERO);
                assertThat(imported.cost()).isZero();
                assertThat(h.api.session(id).usage()).isEqualTo(Usage.ZERO);
                for (MessageWithParts m : h.api.messages(id)) {
                    if (m.info() instanceof AssistantMessage a) {
                        assertThat(a.usage()).isEqualTo(Usage.ZERO);
                        assertThat(a.cost()).isZero();
                    }
                    for (Part p : m.parts()) {
                        if (p instanceof Part.StepFinish f) {
                            assertThat(f.usage()).isEqualTo(Usage.ZERO);
                            assertThat(f.cost()).isZero();
                        }
                    }
                }

                // the project's 6,030 tokens still stand against its 5,000: the next prompt asks before its request
                h.api.prompt(s.id(), PromptRequest.text("go on"));
                var asked = (Event.PermissionAsked) h.awaitEvent(e -> e instanceof Event.PermissionAsked);
                assertThat(asked.request().patterns()).containsExactly("limits.project.tokens");
                assertThat(asked.request().title()).contains("project 6,030 tokens of 5,000 tokens");
                h.api.replyPermission(asked.request().id(), PermissionReplyRequest.of(PermissionReply.REJECT));
                h.awaitIdle(s.id());
                assertThat(llm.requests()).hasSize(1);
            }
        }
    }

    private static AssistantMessage lastAssistant(Harness h, SessionId id) {
        return h.api.messages(id).reversed().stream().map(m -> m.info()).filter(AssistantMessage.class::isInstance)
                .map(AssistantMessage.class::cast).findFirst().orElseThrow();
    }
}
