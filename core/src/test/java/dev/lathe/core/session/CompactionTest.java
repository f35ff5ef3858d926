package dev.lathe.core.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.llm.Protocols;
import dev.lathe.llm.TokenEstimate;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.CommandRequest;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.RecordedRequest;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compaction (DESIGN §12, §18) over real HTTP against the FakeLlm, with a model that reports usage from the size of
 * what it is sent: long scripted sessions in small windows prune, summarise, recover from a provider's overflow error,
 * and never loop; the request after a summary keeps the task, the user's instructions and the todo list verbatim.
 */
class CompactionTest {
    private static final String TASK = "TASK-7731: rename every Widget to Gadget in src/, keep the public API stable.";
    private static final String PINNED = "PINNED-RULE: never touch the generated/ folder, and run the tests with -q.";
    private static final String SUMMARY = "## Progress\nRenamed Widget in 3 files (SUMMARY-MARK).\n## Next step\nRename in the last file.";
    private static final String TODOS = "{\"todos\":[{\"content\":\"TODO-A rename in core\",\"status\":\"completed\"},"
            + "{\"content\":\"TODO-B rename in api\",\"status\":\"in_progress\"}]}";

    @TempDir Path tmp;

    @Test
    void aLongSessionInASmallWindowIsSummarisedAndKeepsTaskInstructionsAndTodos() throws Exception {
        try (var llm = FakeLlm.start(); var h = harness(llm, 16_000, 2_000)) {
            Files.writeString(h.project.resolve("a.txt"), "alpha\n");
            var steps = new AtomicInteger();
            var sinceSummary = new AtomicInteger(-1);
            llm.respondWith(request -> {
                if (isSummary(request)) {
                    sinceSummary.set(0);
                    return usage(request, Turn.of(Step.text(SUMMARY)));
                }
                if (sinceSummary.get() >= 0 && sinceSummary.incrementAndGet() >= 3) return usage(request, Turn.of(Step.text("All done.")));
                int k = steps.incrementAndGet();
                // each read asks for another line count: the same call three times in a row would be a doom_loop ask
                if (k == 1) return usage(request, Turn.of(Step.text("Planning."), Step.toolCall("todo1", "todo", TODOS)).finish("tool_calls"));
                if (k == 3) return usage(request, Turn.of(Step.text("Part one is done.")));
                return usage(request, Turn.of(Step.text(analysis(k)), Step.toolCall("c" + k, "read", "{\"path\":\"a.txt\",\"limit\":" + k + "}")).finish("tool_calls"));
            });
            var session = h.session();
            h.promptAndWait(session.id(), TASK);
            h.promptAndWait(session.id(), PINNED);

            List<RecordedRequest> requests = llm.requests();
            List<Integer> summaries = indexes(requests, CompactionTest::isSummary);
            assertThat(summaries).hasSize(1);
            int at = summaries.getFirst();
            RecordedRequest before = requests.get(at - 1);
            RecordedRequest summary = requests.get(at);
            RecordedRequest after = requests.get(at + 1);
            // the summary request reuses the cached prefix: the same system blocks and tools, then the history
            assertThat(summary.json().path("tools")).isEqualTo(before.json().path("tools"));
            assertThat(summary.messages().getFirst()).isEqualTo(before.messages().getFirst());
            assertThat(summary.messages().subList(0, before.messages().size())).isEqualTo(before.messages());
            assertThat(summary.json().path("tool_choice").asString()).isEqualTo("none");
            assertThat(summary.lastUserText()).containsIgnoringCase("summary");
            // the request after it: task, instructions and todos verbatim, the model's summary, under the limit
            String sent = after.body();
            assertThat(after.messages().stream().map(m -> m.toString()).toList().toString())
                    .contains(json(TASK)).contains(json(PINNED)).contains("TODO-A rename in core").contains("TODO-B rename in api")
                    .contains("SUMMARY-MARK").contains("<environment>");
            assertThat(TokenEstimate.of(sent)).isLessThan(16_000 - 2_000).isLessThan(TokenEstimate.of(before.body()));
            assertThat(sent).doesNotContain(analysis(4).substring(0, 60));
            // the turn went on and finished; the todo list is still the session's
            assertThat(requests.getLast().body()).contains("SUMMARY-MARK");
            assertThat(lastText(h, session.id())).isEqualTo("All done.");
            assertThat(h.api.todos(session.id())).extracting(t -> t.content()).containsExactly("TODO-A rename in core", "TODO-B rename in api");
            var compacted = (Event.SessionCompacted) h.awaitEvent(e -> e instanceof Event.SessionCompacted);
            assertThat(compacted.auto()).isTrue();
            assertThat(compacted.summaryMessageId()).isPresent();
            // the whole history is still stored and listed, compaction part included
            String history = h.api.messages(session.id()).toString();
            assertThat(history).contains(TASK).contains(PINNED).contains(analysis(4).substring(0, 60)).contains("SUMMARY-MARK");
            assertThat(parts(h, session.id(), Part.Compaction.class)).hasSize(1);
            // undo takes back the whole turn the user started, not just what followed the compaction's own messages
            var pinned = h.api.messages(session.id()).stream().filter(m -> m.parts().stream()
                    .anyMatch(p -> p instanceof Part.Text t && t.text().equals(PINNED))).findFirst().orElseThrow();
            assertThat(h.api.undo(session.id()).session().revert()).contains(pinned.info().id());
        }
    }

    @Test
    void anAbortedSummaryLeavesTheContextAsItWas() throws Exception {
        try (var llm = FakeLlm.start(); var h = harness(llm, 200_000, 8_000)) {
            llm.enqueue(Turn.of(Step.text("First answer.")));
            llm.enqueue(Turn.of(Step.text("Second answer.")));
            llm.enqueue(Turn.of(Step.text("Half a sum"), Step.text("mary that never ends")).delayBetweenEvents(java.time.Duration.ofSeconds(3)));
            llm.enqueue(Turn.of(Step.text("Third answer.")));
            var session = h.session();
            h.promptAndWait(session.id(), TASK);
            h.promptAndWait(session.id(), PINNED);
            var compacting = java.util.concurrent.CompletableFuture.runAsync(() -> h.api.compact(session.id()));
            llm.awaitRequests(3, java.time.Duration.ofSeconds(5));
            Thread.sleep(200);
            h.api.abort(session.id());
            assertThatThrownBy(compacting::join).hasCauseInstanceOf(LatheException.class);
            h.awaitIdle(session.id());

            h.promptAndWait(session.id(), "go on");
            RecordedRequest next = llm.requests().getLast();
            assertThat(next.body()).doesNotContain("compacted-context").doesNotContain("Half a sum").contains("First answer.").contains(json(TASK));
            assertThat(h.events).noneMatch(e -> e.event() instanceof Event.SessionCompacted);
        }
    }

    @Test
    void oldToolOutputsArePrunedFirstAndCanBeReadBack() throws Exception {
        try (var llm = FakeLlm.start(); var h = harness(llm, 60_000, 2_000)) {
            for (int i = 0; i < 14; i++) Files.writeString(h.project.resolve("big" + i + ".txt"), bigFile(i));
            var steps = new AtomicInteger();
            llm.respondWith(request -> {
                int k = steps.incrementAndGet();
                if (k > 14) return usage(request, Turn.of(Step.text("Read them all.")));
                return usage(request, Turn.of(Step.toolCall("r" + k, "read", "{\"path\":\"big" + (k - 1) + ".txt\"}")).finish("tool_calls"));
            });
            var session = h.session();
            h.promptAndWait(session.id(), "read every big file");

            List<RecordedRequest> requests = llm.requests();
            assertThat(indexes(requests, CompactionTest::isSummary)).isEmpty();
            int first = indexes(requests, r -> r.body().contains("Output cleared from the context")).getFirst();
            RecordedRequest pruned = requests.get(first);
            assertThat(pruned.toolResult("r1").orElseThrow()).startsWith("[Output cleared from the context");
            // the most recent outputs are still whole
            assertThat(pruned.toolResult("r" + first).orElseThrow()).contains("line 0 of big" + (first - 1));
            assertThat(TokenEstimate.of(pruned.body())).isLessThan(TokenEstimate.of(requests.get(first - 1).body()));
            // the placeholder names a file holding the output; the stored part keeps it too
            Matcher file = java.util.regex.Pattern.compile("saved in (\\S+?); read it").matcher(pruned.toolResult("r1").get());
            assertThat(file.find()).isTrue();
            assertThat(Files.readString(Path.of(file.group(1)))).contains("line 0 of big0");
            var stored = parts(h, session.id(), Part.Tool.class).stream().filter(t -> t.callId().equals("r1")).findFirst().orElseThrow();
            assertThat(((ToolState.Completed) stored.state()).output()).contains("line 0 of big0");
            // later steps send the same placeholders: the cache prefix holds again after the prune
            for (int i = first + 1; i < requests.size(); i++) {
                assertThat(requests.get(i).body()).startsWith(requests.get(i - 1).body().substring(0, requests.get(i - 1).body().length() - 2));
            }
            var compacted = (Event.SessionCompacted) h.awaitEvent(e -> e instanceof Event.SessionCompacted);
            assertThat(compacted.summaryMessageId()).isEmpty();
            assertThat(lastText(h, session.id())).isEqualTo("Read them all.");
        }
    }

    @Test
    void aProviderOverflowErrorIsCompactedAndTheStepResent() throws Exception {
        try (var llm = FakeLlm.start(); var h = harness(llm, 200_000, 8_000)) {
            var steps = new AtomicInteger();
            llm.respondWith(request -> {
                if (isSummary(request)) return usage(request, Turn.of(Step.text(SUMMARY)));
                int k = steps.incrementAndGet();
                if (k == 1) return usage(request, Turn.of(Step.text("First answer.")));
                if (k == 2) return overflow();
                return usage(request, Turn.of(Step.text("Second answer.")));
            });
            var session = h.session();
            h.promptAndWait(session.id(), TASK);
            h.promptAndWait(session.id(), PINNED);

            List<RecordedRequest> requests = llm.requests();
            assertThat(requests).hasSize(4);
            assertThat(isSummary(requests.get(2))).isTrue();
            // the provider said the whole conversation is too long: the summary covers only what it replaces
            assertThat(requests.get(2).body()).contains(json(TASK)).doesNotContain(json(PINNED));
            // the prompt that overflowed is kept verbatim after the summary and answered
            assertThat(requests.get(3).body()).contains("SUMMARY-MARK").contains(json(TASK));
            assertThat(requests.get(3).lastUserText()).isEqualTo(PINNED);
            assertThat(lastText(h, session.id())).isEqualTo("Second answer.");
            assertThat(h.events).noneMatch(e -> e.event() instanceof Event.SessionErrored);
            // one final message per turn: the one that overflowed is gone, not left closed beside the continuation
            assertThat(h.api.messages(session.id()).stream().filter(m -> m.info() instanceof AssistantMessage a
                    && !a.finish().orElse("").equals("tool_calls")).map(m -> m.info().id()).toList())
                    .as("first answer, summary, second answer").hasSize(3);
        }
    }

    @Test
    void aTurnCompactsAtMostOnceThenEndsSayingTheContextIsTooLarge() throws Exception {
        try (var llm = FakeLlm.start(); var h = harness(llm, 200_000, 8_000)) {
            var steps = new AtomicInteger();
            llm.respondWith(request -> {
                if (isSummary(request)) return usage(request, Turn.of(Step.text(SUMMARY)));
                return steps.incrementAndGet() == 1 ? usage(request, Turn.of(Step.text("First answer."))) : overflow();
            });
            var session = h.session();
            h.promptAndWait(session.id(), TASK);
            h.promptAndWait(session.id(), PINNED);

            List<RecordedRequest> requests = llm.requests();
            // first answer; overflow → summary → overflow → the turn ends: no second compaction, no ping-pong
            assertThat(requests).hasSize(4);
            assertThat(indexes(requests, CompactionTest::isSummary)).containsExactly(2);
            var error = (Event.SessionErrored) h.awaitEvent(e -> e instanceof Event.SessionErrored);
            assertThat(error.error().kind()).isEqualTo("context_overflow");
            assertThat(error.error().message()).contains("larger context window").contains("/compact").contains("fewer or smaller files");
            assertThat(parts(h, session.id(), Part.Compaction.class)).hasSize(1);
            // the message that overflowed at its first request said nothing: removed, so the turn has one final message
            List<MessageWithParts> messages = h.api.messages(session.id());
            var answers = messages.stream().filter(m -> m.info() instanceof AssistantMessage a && a.completedAt().isPresent()
                    && !a.finish().orElse("").equals("tool_calls")).toList();
            // first turn's answer, the summary, the second turn's one final message (with the error)
            assertThat(answers).hasSize(3);
            assertThat(((AssistantMessage) answers.getLast().info()).error()).isPresent();
            assertThat(h.events).anyMatch(e -> e.event() instanceof Event.MessageRemoved);
        }
    }

    @Test
    void compactByHandSummarisesNowAndTheNextPromptStartsFromTheSummary() throws Exception {
        try (var llm = FakeLlm.start(); var h = harness(llm, 200_000, 8_000)) {
            llm.respondWith(request -> isSummary(request) ? usage(request, Turn.of(Step.text(SUMMARY)))
                    : usage(request, Turn.of(Step.text(request.lastUserText().contains("TASK-7731") ? "ANSWER-ONE" : "ANSWER-TWO"))));
            var session = h.session();
            h.promptAndWait(session.id(), TASK);
            h.promptAndWait(session.id(), PINNED);

            var result = h.api.command(session.id(), CommandRequest.of("compact"));
            assertThat(result.messageId()).isPresent();
            var compacted = (Event.SessionCompacted) h.awaitEvent(e -> e instanceof Event.SessionCompacted);
            assertThat(compacted.auto()).isFalse();
            assertThat(compacted.summaryMessageId()).isEqualTo(result.messageId());

            h.promptAndWait(session.id(), "and now the docs");
            RecordedRequest next = llm.requests().getLast();
            var firstUser = next.messages().stream().filter(m -> m.path("role").asString().equals("user")).findFirst().orElseThrow();
            assertThat(firstUser.toString()).contains("compacted-context").contains(json(TASK));
            // the last turn is kept verbatim after the summary
            assertThat(next.body()).contains("SUMMARY-MARK").contains(json(PINNED)).contains("ANSWER-TWO");
            assertThat(next.body()).doesNotContain("ANSWER-ONE");
            assertThat(next.lastUserText()).isEqualTo("and now the docs");
            // the summary went through the tools of every step but could not call them
            assertThat(llm.requests().get(2).json().path("tool_choice").asString()).isEqualTo("none");
            assertThat(h.api.messages(session.id()).toString()).contains("ANSWER-ONE");
        }
    }

    @Test
    void theSummaryRequestsOwnSizeNeverTriggersAnotherCompaction() throws Exception {
        try (var llm = FakeLlm.start(); var h = harness(llm, 16_000, 2_000)) {
            // the summary request carried the old history: its usage is far over the budget of 12,400 tokens
            llm.respondWith(request -> isSummary(request) ? Turn.of(Step.text(SUMMARY)).usage(15_000, 50, 0, 0)
                    : Turn.of(Step.text("ok")).usage(2_000, 10, 0, 0));
            var session = h.session();
            h.promptAndWait(session.id(), TASK);
            h.promptAndWait(session.id(), PINNED);
            h.api.compact(session.id());
            h.promptAndWait(session.id(), "next");
            h.promptAndWait(session.id(), "and next");
            assertThat(indexes(llm.requests(), CompactionTest::isSummary)).containsExactly(2);
            assertThat(llm.requests()).hasSize(5);
        }
    }

    @Test
    void compactByHandIsRefusedWhileATurnRuns() throws Exception {
        try (var llm = FakeLlm.start(); var h = harness(llm, 200_000, 8_000)) {
            llm.enqueue(Turn.of(Step.text("slow")).delayBetweenEvents(java.time.Duration.ofMillis(800)));
            var session = h.session();
            h.api.prompt(session.id(), dev.lathe.protocol.api.PromptRequest.text(TASK));
            llm.awaitRequests(1, java.time.Duration.ofSeconds(5));
            assertThatThrownBy(() -> h.api.compact(session.id())).isInstanceOfSatisfying(LatheException.class, e -> assertThat(e).isInstanceOf(LatheException.Conflict.class));
            h.awaitIdle(session.id());
        }
    }

    // ---- the scripted model

    private Harness harness(FakeLlm llm, int context, int output) throws Exception {
        String config = "{\"model\": \"fake/m\", \"provider\": {\"fake\": {\"protocol\": \"openai-chat\", \"baseUrl\": \"" + llm.baseUrl()
                + "\", \"models\": {\"m\": {\"context\": " + context + ", \"output\": " + output + "}}}}}";
        return new Harness(tmp, config, 50, Protocols.standard(HttpClient.newHttpClient()));
    }

    /** The summary request of DESIGN §18: no tools allowed, and it ends asking for the summary. */
    private static boolean isSummary(RecordedRequest request) {
        return request.json().path("tool_choice").asString().equals("none") && request.lastUserText().toLowerCase().contains("summary");
    }

    /** The provider counts about four characters of the body per token, as real ones roughly do for JSON. */
    private static Turn usage(RecordedRequest request, Turn turn) {
        return turn.usage(request.body().length() / 4, 50, 0, 0);
    }

    private static Turn overflow() {
        return Turn.httpError(400, "{\"error\":{\"message\":\"This model's maximum context length is 8192 tokens.\",\"type\":\"invalid_request_error\","
                + "\"code\":\"context_length_exceeded\"}}", Map.of());
    }

    /** About 900 tokens of prose the model says at each step: history that only a summary can shrink. */
    private static String analysis(int k) {
        return ("Analysis " + k + ": the Widget class is referenced from the parser, the renderer and the loader; each call site "
                + "passes a configuration object whose fields are copied into the new instance before validation. ").repeat(20);
    }

    /** About 4,000 tokens of numbered lines. */
    private static String bigFile(int i) {
        var sb = new StringBuilder();
        for (int line = 0; line < 400; line++) sb.append("line ").append(line).append(" of big").append(i).append(": some content here 0123456789\n");
        return sb.toString();
    }

    private static String json(String text) {
        return dev.lathe.protocol.wire.WireJson.write(text).replaceAll("^\"|\"$", "");
    }

    private static List<Integer> indexes(List<RecordedRequest> requests, java.util.function.Predicate<RecordedRequest> which) {
        return java.util.stream.IntStream.range(0, requests.size()).filter(i -> which.test(requests.get(i))).boxed().toList();
    }

    private static <T extends Part> List<T> parts(Harness h, SessionId session, Class<T> type) {
        return h.api.messages(session).stream().flatMap(m -> m.parts().stream()).filter(type::isInstance).map(type::cast).toList();
    }

    private static String lastText(Harness h, SessionId session) {
        List<MessageWithParts> messages = h.api.messages(session);
        MessageWithParts last = messages.getLast();
        assertThat(last.info()).isInstanceOf(AssistantMessage.class);
        return last.parts().stream().filter(Part.Text.class::isInstance).map(p -> ((Part.Text) p).text()).reduce("", (a, b) -> b);
    }
}
