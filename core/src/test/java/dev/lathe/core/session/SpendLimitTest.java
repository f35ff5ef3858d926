package dev.lathe.core.session;

import static dev.lathe.core.session.ScriptedProtocol.call;
import static dev.lathe.core.session.ScriptedProtocol.finish;
import static dev.lathe.core.session.ScriptedProtocol.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.llm.Content;
import dev.lathe.llm.LlmEvent;
import dev.lathe.llm.LlmRequest;
import dev.lathe.llm.StopReason;
import dev.lathe.llm.TokenUsage;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.PermissionReplyRequest;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.event.AskingChild;
import dev.lathe.protocol.event.BudgetAsks;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.EventEnvelope;
import dev.lathe.protocol.event.PermissionReply;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.protocol.session.ToolState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spend limits (decision 119) through the real core: a priced model (the bundled catalog's gpt-4o-mini, $0.15 per
 * million input tokens) answered by the scripted protocol, whose reported usage makes the cost; the real permission
 * broker, which any client's reply completes (here {@code LocalLathe}, as the HTTP route calls it).
 */
class SpendLimitTest {
    @TempDir Path tmp;

    /** A step that reads a file, reporting {@code input} uncached input tokens: 100,000 cost $0.015. */
    private static LlmEvent[] readStep(String id, long input) {
        return Stream.concat(Stream.of(call(0, id, "read", "{\"path\":\"a.txt\"}")),
                Stream.of(new LlmEvent.UsageReported(new TokenUsage(input, 10, 0, 0, 0)), finish(StopReason.TOOL_CALLS))).toArray(LlmEvent[]::new);
    }

    private static LlmEvent[] answer(String said, long input) {
        return new LlmEvent[] {text(said), new LlmEvent.UsageReported(new TokenUsage(input, 10, 0, 0, 0)), finish(StopReason.STOP)};
    }

    private static String priced(String limits) {
        return "{\"model\": \"openai/gpt-4o-mini\", \"provider\": {\"openai\": {\"protocol\": \"openai-chat\","
                + " \"baseUrl\": \"http://127.0.0.1:9/v1\", \"apiKey\": \"sk-test\"}}, \"limits\": " + limits + "}";
    }

    @Test
    void aSessionAtItsMoneyLimitPausesAsksAndGoesOnWhenAnotherClientRaisesIt() throws Exception {
        try (var h = new Harness(tmp, priced("{\"session\": {\"usd\": 0.01}}"), Sessions.DEFAULT_MAX_STEPS, null)) {
            Files.writeString(h.project.resolve("a.txt"), "alpha\n");
            h.llm.then(readStep("c1", 100_000));
            h.llm.then(answer("Read it.", 1_000));
            var s = h.session();
            h.api.prompt(s.id(), PromptRequest.text("read a.txt"));

            var asked = (Event.PermissionAsked) h.awaitEvent(e -> e instanceof Event.PermissionAsked);
            assertThat(asked.request().permission()).isEqualTo(BudgetAsks.PERMISSION);
            assertThat(asked.request().patterns()).containsExactly("limits.session.usd");
            assertThat(asked.request().title()).startsWith("Spend limit reached: session $0.0150 of $0.01 (limits.session.usd).");
            assertThat(asked.request().metadata()).containsEntry(BudgetAsks.RAISE, "$0.01 more for this session");
            assertThat(h.llm.requests).as("the second request waits for the answer").hasSize(1);
            assertThat(h.api.status(s.id())).isEqualTo(SessionStatus.WAITING);
            assertThat(h.api.permissions(s.directory())).extracting(r -> r.id()).containsExactly(asked.request().id());
            // the first step's read ran: the limit is checked before a request, never in the middle of a step
            h.awaitEvent(e -> e instanceof Event.PartUpdated u && u.part() instanceof Part.Tool t && t.callId().equals("c1")
                    && t.state() instanceof ToolState.Completed);

            h.api.replyPermission(asked.request().id(), PermissionReplyRequest.of(PermissionReply.ONCE));
            h.awaitIdle(s.id());

            assertThat(h.llm.requests).hasSize(2);
            var done = lastAssistant(h, s.id());
            assertThat(done.error()).isEmpty();
            assertThat(done.finish()).contains("stop");
            assertThat(done.cost()).as("100,000 and 1,000 input tokens, 20 output").isEqualTo(15_000 + 150 + 12);
            assertThat(asks(h)).as("raised by $0.01 from $0.0150: the answer's $0.0002 stays below").hasSize(1);
        }
    }

    @Test
    void rejectingStopsTheTurnAndAllowAllDoesNotAnswerTheAsk() throws Exception {
        try (var h = new Harness(tmp, priced("{\"session\": {\"usd\": 0.01}}"), Sessions.DEFAULT_MAX_STEPS, null)) {
            Files.writeString(h.project.resolve("a.txt"), "alpha\n");
            h.llm.then(readStep("c1", 100_000));
            h.llm.then(answer("never sent", 1_000));
            var s = h.session();
            // lathe run --allow-all: every tool ask is answered in advance, a limit's is not
            h.api.prompt(s.id(), PromptRequest.text("read a.txt").allowingAll());

            var asked = (Event.PermissionAsked) h.awaitEvent(e -> e instanceof Event.PermissionAsked);
            assertThat(asked.request().permission()).isEqualTo(BudgetAsks.PERMISSION);
            assertThat(h.api.status(s.id())).isEqualTo(SessionStatus.WAITING);
            assertThat(h.events).extracting(EventEnvelope::event).noneMatch(e -> e instanceof Event.PermissionReplied);

            h.api.replyPermission(asked.request().id(), PermissionReplyRequest.of(PermissionReply.REJECT));
            h.awaitIdle(s.id());

            assertThat(h.llm.requests).hasSize(1);
            assertThat(lastAssistant(h, s.id()).error()).hasValueSatisfying(e -> {
                assertThat(e.kind()).isEqualTo(BudgetAsks.ERROR_KIND);
                assertThat(e.message()).startsWith("Stopped at the spend limit: session $0.0150 of $0.01 (limits.session.usd).");
            });

            // the next prompt meets the same limit before its first request
            h.api.prompt(s.id(), PromptRequest.text("go on"));
            var again = (Event.PermissionAsked) h.awaitEvent(e -> e instanceof Event.PermissionAsked a && !a.request().id().equals(asked.request().id()));
            assertThat(again.request().patterns()).containsExactly("limits.session.usd");
            assertThat(h.llm.requests).hasSize(1);
            h.api.abort(s.id());
            h.awaitIdle(s.id());
            assertThat(lastAssistant(h, s.id()).error()).hasValueSatisfying(e -> assertThat(e.kind()).isEqualTo("aborted"));
        }
    }

    @Test
    void theProjectAndTheDayCountEverySessionAndTheDayEveryProject() throws Exception {
        try (var h = new Harness(tmp, priced("{\"project\": {\"usd\": 0.02}, \"day\": {\"usd\": 0.04}}"), Sessions.DEFAULT_MAX_STEPS, null)) {
            Files.writeString(h.project.resolve("a.txt"), "alpha\n");
            Path other = Files.createDirectories(tmp.resolve("other"));
            Files.writeString(other.resolve("a.txt"), "beta\n");
            // $0.0150 + $0.0002 in the first session: both limits hold
            h.llm.then(readStep("a1", 100_000));
            h.llm.then(answer("A done.", 1_000));
            var first = h.session();
            h.promptAndWait(first.id(), "read a.txt");
            assertThat(asks(h)).isEmpty();

            // a second session of the project: $0.0152 before it plus its own $0.0150 passes the project's $0.02
            h.llm.then(readStep("b1", 100_000));
            h.llm.then(answer("B done.", 1_000));
            var second = h.session();
            h.api.prompt(second.id(), PromptRequest.text("read a.txt"));
            var project = (Event.PermissionAsked) h.awaitEvent(e -> e instanceof Event.PermissionAsked);
            assertThat(project.request().sessionId()).isEqualTo(second.id());
            assertThat(project.request().patterns()).containsExactly("limits.project.usd");
            assertThat(project.request().title()).startsWith("Spend limit reached: project $0.0302 of $0.02");
            h.api.replyPermission(project.request().id(), PermissionReplyRequest.of(PermissionReply.ALWAYS));
            h.awaitIdle(second.id());
            assertThat(lastAssistant(h, second.id()).finish()).contains("stop");

            // a session of another project: the project limit is not its, the day's counts all three ($0.0303 + $0.0150)
            h.llm.then(readStep("c1", 100_000));
            h.llm.then(answer("C done.", 1_000));
            var third = h.session(other);
            h.api.prompt(third.id(), PromptRequest.text("read a.txt"));
            var day = (Event.PermissionAsked) h.awaitEvent(e -> e instanceof Event.PermissionAsked a && a.request().sessionId().equals(third.id()));
            assertThat(day.request().patterns()).containsExactly("limits.day.usd");
            assertThat(day.request().title()).startsWith("Spend limit reached: today $0.0453 of $0.04");
            h.api.replyPermission(day.request().id(), PermissionReplyRequest.of(PermissionReply.ONCE));
            h.awaitIdle(third.id());
            assertThat(lastAssistant(h, third.id()).finish()).contains("stop");
        }
    }

    @Test
    void aTokenLimitCountsAnUnpricedModelAndTheBudgetToolReportsIt() throws Exception {
        // the harness's own model has no price: only tokens count it
        try (var h = new Harness(tmp, ", \"limits\": {\"session\": {\"tokens\": 5000}}", Sessions.DEFAULT_MAX_STEPS)) {
            Files.writeString(h.project.resolve("a.txt"), "alpha\n");
            h.llm.then(readStep("c1", 6_000));
            h.llm.then(Stream.concat(Stream.of(call(0, "b1", "budget", "{}")),
                    Stream.of(new LlmEvent.UsageReported(new TokenUsage(7_000, 10, 0, 0, 0)), finish(StopReason.TOOL_CALLS))).toArray(LlmEvent[]::new));
            h.llm.then(answer("Within budget.", 8_000));
            var s = h.session();
            h.api.prompt(s.id(), PromptRequest.text("read a.txt"));

            var asked = (Event.PermissionAsked) h.awaitEvent(e -> e instanceof Event.PermissionAsked);
            assertThat(asked.request().patterns()).containsExactly("limits.session.tokens");
            assertThat(asked.request().title()).startsWith("Spend limit reached: session 6,010 tokens of 5,000 tokens");
            h.api.replyPermission(asked.request().id(), PermissionReplyRequest.of(PermissionReply.ALWAYS));
            h.awaitIdle(s.id());

            assertThat(asks(h)).as("always lifted the limit for the session").hasSize(1);
            assertThat(h.llm.requests).hasSize(3);
            String report = results(h.llm.requests.get(2)).getLast().output();
            assertThat(report).as("the budget call runs before its own step is counted").contains("Context: 6,000 tokens in the last request");
            assertThat(report).contains("this session (with its subagents): $0.00, 6,010 tokens (limit lifted for this session)");
            assertThat(report).contains("The current model has no price");

            // the environment note names the limit, and the budget note closes the prompt: both in the first message,
            // which every later request repeats byte for byte
            LlmRequest first = h.llm.requests.getFirst();
            assertThat(first.tools()).extracting(t -> t.name()).as("offered where a limit is configured").contains("budget");
            String prompt = first.messages().getFirst().content().stream().map(c -> c instanceof Content.Text t ? t.text() : "").reduce("", String::concat);
            assertThat(prompt).contains("Spend limits: this session (with its subagents) 5,000 tokens.");
            assertThat(prompt).contains("<budget>\nContext: 0 tokens in the last request");
            assertThat(prompt.indexOf("<budget>")).isGreaterThan(prompt.indexOf("</environment>"));
            for (LlmRequest later : h.llm.requests) {
                assertThat(later.system()).isEqualTo(first.system());
                assertThat(later.messages().getFirst()).isEqualTo(first.messages().getFirst());
            }
        }
    }

    @Test
    void withoutLimitsNoNoteIsAddedAndNothingAsks() throws Exception {
        try (var h = new Harness(tmp, priced("{\"maxAnswerBytes\": 100000}"), Sessions.DEFAULT_MAX_STEPS, null)) {
            Files.writeString(h.project.resolve("a.txt"), "alpha\n");
            h.llm.then(readStep("c1", 100_000));
            h.llm.then(answer("Read it.", 1_000));
            var s = h.session();
            h.promptAndWait(s.id(), "read a.txt");

            assertThat(asks(h)).isEmpty();
            String prompt = h.llm.requests.getFirst().messages().getFirst().content().stream()
                    .map(c -> c instanceof Content.Text t ? t.text() : "").reduce("", String::concat);
            assertThat(prompt).doesNotContain("<budget>").doesNotContain("Spend limits");
            assertThat(h.llm.requests.getFirst().tools()).extracting(t -> t.name()).as("the default tools fit the first request's size")
                    .doesNotContain("budget").contains("read");
        }
    }

    @Test
    void aSessionAlreadyAtItsLimitAsksBeforeCompactionsSummaryRequest() throws Exception {
        // the harness's model: a 100,000-token window, compacted past 88,000 prompt tokens
        try (var h = new Harness(tmp, ", \"limits\": {\"session\": {\"tokens\": 5000}}", Sessions.DEFAULT_MAX_STEPS)) {
            h.llm.then(answer("Long read.", 90_000));
            var s = h.session();
            h.promptAndWait(s.id(), "read everything");
            assertThat(h.llm.requests).hasSize(1);

            // the next prompt would first summarise 90,000 tokens: the limit asks before that request
            h.llm.then(answer("The summary.", 1_000));
            h.llm.then(answer("never sent", 1_000));
            h.api.prompt(s.id(), PromptRequest.text("go on"));
            var asked = (Event.PermissionAsked) h.awaitEvent(e -> e instanceof Event.PermissionAsked);
            assertThat(asked.request().patterns()).containsExactly("limits.session.tokens");
            assertThat(h.llm.requests).as("no summary request before the answer").hasSize(1);
            h.api.replyPermission(asked.request().id(), PermissionReplyRequest.of(PermissionReply.REJECT));
            h.awaitIdle(s.id());

            assertThat(h.llm.requests).hasSize(1);
            assertThat(lastAssistant(h, s.id()).error()).hasValueSatisfying(e -> assertThat(e.kind()).isEqualTo(BudgetAsks.ERROR_KIND));
        }
    }

    @Test
    void aSubagentStoppedAtTheLimitEndsItsParentAtTheLimitNotAsARejectedPermission() throws Exception {
        try (var h = new Harness(tmp, ", \"limits\": {\"session\": {\"tokens\": 5000}}", Sessions.DEFAULT_MAX_STEPS)) {
            Files.writeString(h.project.resolve("a.txt"), "alpha\n");
            h.llm.then(Stream.concat(Stream.of(call(0, "t1", "task", "{\"description\":\"Read it\",\"prompt\":\"read a.txt\",\"agent\":\"general\"}")),
                    Stream.of(new LlmEvent.UsageReported(new TokenUsage(1_000, 10, 0, 0, 0)), finish(StopReason.TOOL_CALLS))).toArray(LlmEvent[]::new));
            h.llm.then(readStep("c1", 6_000));
            h.llm.then(answer("never sent", 1_000));
            var s = h.session();
            h.api.prompt(s.id(), PromptRequest.text("have a subagent read a.txt"));

            // the child's second step meets the tree's limit: its own 6,010 tokens and its parent's step, 1,010 (settled in the
            // spend ledger when the parent's response ended, while its task call still runs)
            var asked = (Event.PermissionAsked) h.awaitEvent(e -> e instanceof Event.PermissionAsked);
            assertThat(asked.request().sessionId()).isNotEqualTo(s.id());
            // the limit's ask says which child asks, as a permission ask of the child does (DESIGN §18)
            assertThat(asked.request().child()).contains(new AskingChild(s.id(), "general", "Read it (@general subagent)"));
            h.api.replyPermission(asked.request().id(), PermissionReplyRequest.of(PermissionReply.REJECT));
            h.awaitIdle(s.id());

            assertThat(h.llm.requests).hasSize(2);
            assertThat(lastAssistant(h, s.id()).error()).hasValueSatisfying(e -> {
                assertThat(e.kind()).isEqualTo(BudgetAsks.ERROR_KIND);
                assertThat(e.message()).contains("stopped at a spend limit", "Stopped at the spend limit: session 7,020 tokens of 5,000 tokens");
            });
            assertThat(asks(h)).as("the parent does not ask again").hasSize(1);
        }
    }

    @Test
    void parallelSubagentsAtTheLimitShareOneAsk() throws Exception {
        try (var h = new Harness(tmp, ", \"limits\": {\"session\": {\"tokens\": 5000}}", Sessions.DEFAULT_MAX_STEPS)) {
            Files.writeString(h.project.resolve("a.txt"), "alpha\n");
            h.llm.then(Stream.concat(Stream.concat(Stream.of(call(0, "t1", "task", "{\"description\":\"One\",\"prompt\":\"read a.txt\",\"agent\":\"general\"}")),
                    Stream.of(call(1, "t2", "task", "{\"description\":\"Two\",\"prompt\":\"read a.txt\",\"agent\":\"general\"}"))),
                    Stream.of(new LlmEvent.UsageReported(new TokenUsage(1_000, 10, 0, 0, 0)), finish(StopReason.TOOL_CALLS))).toArray(LlmEvent[]::new));
            h.llm.then(readStep("c1", 6_000));
            h.llm.then(readStep("c2", 6_000));
            var s = h.session();
            h.api.prompt(s.id(), PromptRequest.text("have two subagents read a.txt"));

            // both children reach the tree's limit: both wait, on one ask
            h.awaitEvent(e -> e instanceof Event.PermissionAsked);
            for (int i = 0; i < 1000 && waiting(h).size() < 2; i++) Thread.sleep(10);
            List<SessionId> children = h.api.children(s.id()).stream().map(c -> c.id()).toList();
            assertThat(waiting(h)).as("both children showed waiting").containsExactlyInAnyOrderElementsOf(children).hasSize(2);
            assertThat(children).allSatisfy(c -> assertThat(h.api.status(c)).isEqualTo(SessionStatus.WAITING));
            assertThat(asks(h)).hasSize(1);
            h.api.replyPermission(asks(h).getFirst().request().id(), PermissionReplyRequest.of(PermissionReply.REJECT));
            h.awaitIdle(s.id());

            assertThat(asks(h)).as("one card for the tree").hasSize(1);
            for (SessionId child : children) {
                assertThat(lastAssistant(h, child).error()).hasValueSatisfying(e -> assertThat(e.kind()).isEqualTo(BudgetAsks.ERROR_KIND));
            }
            assertThat(lastAssistant(h, s.id()).error()).hasValueSatisfying(e -> assertThat(e.kind()).isEqualTo(BudgetAsks.ERROR_KIND));
        }
    }

    @Test
    void aPausedSessionFiresTheNotificationHook() throws Exception {
        Path seen = tmp.resolve("seen-notification.json");
        Path script = Files.createDirectories(tmp.resolve("hooks")).resolve("notify.sh");
        // written whole, then renamed: `cat > seen` makes the file before it writes, so it could be read empty
        Files.writeString(script, "#!/bin/bash\ncat > " + seen + ".part && mv " + seen + ".part " + seen + "\n");
        script.toFile().setExecutable(true);
        String hooks = ", \"hooks\": {\"Notification\": [{\"matcher\": \"permission_prompt\", \"hooks\": [{\"type\": \"command\", \"command\": \""
                + script + "\", \"timeout\": 20}]}]}";
        try (var h = Harness.withHooks(tmp, ", \"limits\": {\"session\": {\"tokens\": 5000}}" + hooks, Sessions.DEFAULT_MAX_STEPS, (a, b, c) -> { })
                .trustProject()) {
            Files.writeString(h.project.resolve("a.txt"), "alpha\n");
            h.llm.then(readStep("c1", 6_000));
            var s = h.session();
            h.api.prompt(s.id(), PromptRequest.text("read a.txt"));
            var asked = (Event.PermissionAsked) h.awaitEvent(e -> e instanceof Event.PermissionAsked);
            for (int i = 0; i < 2000 && !Files.exists(seen); i++) Thread.sleep(10);  // up to the hook's own timeout
            h.api.replyPermission(asked.request().id(), PermissionReplyRequest.of(PermissionReply.REJECT));
            h.awaitIdle(s.id());

            var notification = tools.jackson.databind.json.JsonMapper.builder().build().readTree(Files.readString(seen));
            assertThat(notification.path("hook_event_name").asString()).isEqualTo("Notification");
            assertThat(notification.path("notification_type").asString()).isEqualTo("permission_prompt");
            assertThat(notification.path("message").asString()).contains("spend limit", "session 6,010 tokens of 5,000 tokens", "limits.session.tokens");
        }
    }

    private static List<Event.PermissionAsked> asks(Harness h) {
        return h.events.stream().map(EventEnvelope::event).filter(Event.PermissionAsked.class::isInstance).map(Event.PermissionAsked.class::cast).toList();
    }

    /** The sessions that were announced {@code waiting}. */
    private static java.util.Set<SessionId> waiting(Harness h) {
        return h.events.stream().map(EventEnvelope::event).filter(e -> e instanceof Event.SessionStatusChanged c && SessionStatus.WAITING.equals(c.status()))
                .map(e -> ((Event.SessionStatusChanged) e).sessionId()).collect(java.util.stream.Collectors.toSet());
    }

    private static List<Content.ToolResult> results(LlmRequest request) {
        return request.messages().stream().flatMap(m -> m.content().stream()).filter(Content.ToolResult.class::isInstance)
                .map(Content.ToolResult.class::cast).toList();
    }

    private static AssistantMessage lastAssistant(Harness h, SessionId id) {
        return h.api.messages(id).reversed().stream().map(m -> m.info()).filter(AssistantMessage.class::isInstance)
                .map(AssistantMessage.class::cast).findFirst().orElseThrow();
    }
}
