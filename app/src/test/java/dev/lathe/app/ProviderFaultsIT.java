package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.RecordedRequest;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.TempWorkspace;
import dev.lathe.testkit.Turn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The provider fault suite (issue 25): the real {@code lathe run} (and once the real daemon server) against the
 * {@link FakeLlm} scripting each provider fault the turn loop must survive — a reset, a stall and a malformed event in
 * the middle of text, an overflow compacted once, an overflow that persists, a model that never repairs its tool calls,
 * duplicate call ids, an answer cut at the output limit, and an answer far too long. Every case ends with the
 * {@link TurnInvariants} (one final assistant message per turn, nothing duplicated or left half-said, nothing left open).
 * Retry waits are kept short through {@code retry}, so the suite fits in CI.
 */
class ProviderFaultsIT {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /**
     * Short waits: a stall is noticed after 3 s (not less: a cold JVM's first request may take a second before its
     * first event), a retry waits about one.
     */
    private static final String RETRY = "\"retry\": {\"maxAttempts\": 3, \"maxTotalWaitSeconds\": 10, \"streamIdleTimeoutSeconds\": 3}";

    @TempDir Path home;

    private static String config(FakeLlm llm, String extra) {
        return "{\"model\": \"fake/fake-model\", \"provider\": {\"fake\": {\"protocol\": \"openai-chat\", \"baseUrl\": \"" + llm.baseUrl()
                + "\", \"apiKey\": \"sk-fault\", \"models\": {\"fake-model\": {\"context\": 100000, \"output\": 4096}}}}, " + RETRY + extra + "}";
    }

    /** One {@code lathe run --format json}: its exit, its events (the result last) and its session. */
    private record Run(int exit, List<JsonNode> events, String stderr) {
        JsonNode result() { return events.getLast(); }

        String sessionId() { return result().path("sessionId").asString(); }
    }

    private static Run run(Lathe lathe, TempWorkspace ws, String prompt, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("run", "--dir", ws.path().toString(), "--allow-all", "--format", "json"));
        args.addAll(List.of(more));
        args.add(prompt);
        var r = lathe.run(args.toArray(String[]::new));
        List<JsonNode> events = r.stdout().lines().filter(l -> !l.isBlank()).map(JSON::readTree).toList();
        assertThat(events).as(r.stderr()).isNotEmpty();
        assertThat(events.getLast().path("type").asString()).as(r.stderr()).isEqualTo("result");
        return new Run(r.exit(), events, r.stderr());
    }

    /** The fragment did reach the client before the fault: the case exercised a failure in the middle of text. */
    private static void streamed(Run run, String fragment) {
        assertThat(run.events()).as("the fragment was streamed before the fault")
                .anyMatch(e -> e.path("type").asString().equals("message.part.delta") && e.path("delta").asString().contains(fragment));
    }

    private static void invariants(String name, Lathe lathe, Run run, FakeLlm llm, TempWorkspace ws, String... fragments) throws Exception {
        TurnInvariants.check(name, lathe.database(), run.sessionId(), run.events(), llm, ws.path(), List.of(fragments)).assertClean();
    }

    /** Every event of all runs of one session, in order: the invariants judge the session as a whole. */
    private static List<JsonNode> all(Run... runs) {
        List<JsonNode> out = new ArrayList<>();
        for (Run r : runs) out.addAll(r.events());
        return out;
    }

    @Test
    void aStreamResetMidTextIsRetriedAndItsFragmentDiscarded() throws Exception {
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create()) {
            llm.enqueue(Turn.of(Step.text("FRAGRST1 the first words of an answer that never ends")).truncateAfter(3));
            llm.enqueue(Turn.of(Step.text("The clean answer.")));
            var lathe = new Lathe(home, config(llm, ""));

            var r = run(lathe, ws, "hello");

            assertThat(r.exit()).as(r.stderr()).isZero();
            assertThat(r.result().path("text").asString()).isEqualTo("The clean answer.");
            assertThat(llm.requests()).hasSize(2);
            assertThat(r.events()).anyMatch(e -> e.path("type").asString().equals("message.part.removed"));
            // the fragment is kept only in the raw log, under the state folder
            Path raw = home.resolve("state/lathe/raw/" + r.sessionId() + ".jsonl");
            assertThat(Files.readString(raw)).contains("FRAGRST1");
            streamed(r, "FRAGRST1");
            invariants("reset mid-text", lathe, r, llm, ws, "FRAGRST1");
        }
    }

    @Test
    void aStreamThatBreaksAfterAToolRanKeepsTheToolWithItsResultAndNeverRunsItAgain() throws Exception {
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create()) {
            // Anthropic finishes a call at its block's end: the call runs while the stream goes on, then breaks
            // (events: start, ping, text 2-4, tool 5-13, text 14-16; the last two text events never come)
            llm.enqueue(Turn.of(Step.text("FRAGTL01 xx"), Step.toolCall("c1", "bash", "{\"command\":\"echo ran >> count.txt\"}"),
                    Step.text("FRAGTL02")).truncateAfter(16));
            llm.enqueue(Turn.of(Step.text("It ran once.")));
            String config = config(llm, "").replace("\"openai-chat\"", "\"anthropic-messages\"");
            var lathe = new Lathe(home, config);

            var r = run(lathe, ws, "append a line");

            assertThat(r.exit()).as(r.stderr()).isZero();
            streamed(r, "FRAGTL02");
            assertThat(ws.read("count.txt")).isEqualTo("ran\n");
            assertThat(llm.requests()).hasSize(2);
            assertThat(llm.requests().get(1).toolResult("c1")).as("the call goes back with its result").isPresent();
            invariants("a tool ran, then the stream broke", lathe, r, llm, ws, "FRAGTL01", "FRAGTL02");
        }
    }

    @Test
    void aStalledStreamIsRetriedAndItsFragmentDiscarded() throws Exception {
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create()) {
            llm.enqueue(Turn.of(Step.text("FRAGSTL1 words, then silence")).stallAfter(3));
            llm.enqueue(Turn.of(Step.text("Answered after the stall.")));
            var lathe = new Lathe(home, config(llm, ""));

            var r = run(lathe, ws, "hello");

            assertThat(r.exit()).as(r.stderr()).isZero();
            assertThat(r.result().path("text").asString()).isEqualTo("Answered after the stall.");
            streamed(r, "FRAGSTL1");
            invariants("stall", lathe, r, llm, ws, "FRAGSTL1");
        }
    }

    @Test
    void aMalformedEventIsRetriedAndItsFragmentDiscarded() throws Exception {
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create()) {
            llm.enqueue(Turn.of(Step.text("FRAGMAL1 words before a broken event")).malformedAfter(3));
            llm.enqueue(Turn.of(Step.text("Answered after the broken event.")));
            var lathe = new Lathe(home, config(llm, ""));

            var r = run(lathe, ws, "hello");

            assertThat(r.exit()).as(r.stderr()).isZero();
            assertThat(r.result().path("text").asString()).isEqualTo("Answered after the broken event.");
            streamed(r, "FRAGMAL1");
            invariants("malformed event", lathe, r, llm, ws, "FRAGMAL1");
        }
    }

    @Test
    void anOverflowIsCompactedOnceAndTheTurnHasOneFinalMessage() throws Exception {
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create()) {
            var steps = new AtomicInteger();
            llm.respondWith(request -> {
                if (isSummary(request)) return Turn.of(Step.text("## Progress\nSUMMARY-MARK"));
                return switch (steps.incrementAndGet()) {
                    case 1 -> Turn.of(Step.text("First answer."));
                    case 2 -> overflow();
                    default -> Turn.of(Step.text("Second answer."));
                };
            });
            var lathe = new Lathe(home, config(llm, ""));

            var first = run(lathe, ws, "first task");
            var second = run(lathe, ws, "second task", "--continue");

            assertThat(second.exit()).as(second.stderr()).isZero();
            assertThat(second.result().path("text").asString()).isEqualTo("Second answer.");
            assertThat(llm.requests().stream().filter(ProviderFaultsIT::isSummary)).hasSize(1);
            TurnInvariants.check("overflow then compaction", lathe.database(), second.sessionId(), all(first, second), llm, ws.path(), List.of())
                    .assertClean();
        }
    }

    @Test
    void anOverflowThatPersistsAfterCompactionEndsTheTurnSayingTheContextIsTooLarge() throws Exception {
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create()) {
            var steps = new AtomicInteger();
            llm.respondWith(request -> {
                if (isSummary(request)) return Turn.of(Step.text("## Progress\nSUMMARY-MARK"));
                return steps.incrementAndGet() == 1 ? Turn.of(Step.text("First answer.")) : overflow();
            });
            var lathe = new Lathe(home, config(llm, ""));

            var first = run(lathe, ws, "first task");
            var second = run(lathe, ws, "second task", "--continue");

            assertThat(second.exit()).isNotZero();
            assertThat(second.result().path("error").path("kind").asString()).isEqualTo("context_overflow");
            assertThat(second.result().path("error").path("message").asString()).contains("larger context window").contains("/compact");
            // first answer; overflow → one summary → overflow → the end: no second compaction
            assertThat(llm.requests()).hasSize(4);
            assertThat(llm.requests().stream().filter(ProviderFaultsIT::isSummary)).hasSize(1);
            TurnInvariants.check("persistent overflow", lathe.database(), second.sessionId(), all(first, second), llm, ws.path(), List.of())
                    .assertClean();
        }
    }

    @Test
    void aModelThatNeverRepairsItsToolCallsIsStoppedAfterAFewAnswers() throws Exception {
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create()) {
            var n = new AtomicInteger();
            llm.respondWith(_ -> Turn.of(Step.toolCall("bad" + n.incrementAndGet(), "read", "{\"path\": \"a.txt\", ")));
            var lathe = new Lathe(home, config(llm, ""));

            var r = run(lathe, ws, "read a.txt");

            assertThat(r.exit()).isNotZero();
            assertThat(r.result().path("error").path("kind").asString()).isEqualTo("invalid_tool_calls");
            assertThat(llm.requests()).hasSize(4);
            invariants("invalid tool JSON forever", lathe, r, llm, ws);
        }
    }

    @Test
    void duplicateCallIdsInOneResponseEachGetTheirOwnResult() throws Exception {
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create()) {
            ws.write("a.txt", "ALPHA\n").write("b.txt", "BRAVO\n");
            llm.enqueue(Turn.of(Step.toolCall("dup", "read", "{\"path\":\"a.txt\"}"), Step.toolCall("dup", "read", "{\"path\":\"b.txt\"}")));
            llm.enqueue(Turn.of(Step.text("Read both.")));
            var lathe = new Lathe(home, config(llm, ""));

            var r = run(lathe, ws, "read a and b");

            assertThat(r.exit()).as(r.stderr()).isZero();
            RecordedRequest second = llm.requests().get(1);
            assertThat(second.toolResult("dup")).hasValueSatisfying(t -> assertThat(t).contains("ALPHA").doesNotContain("BRAVO"));
            assertThat(second.toolResult("dup_2")).hasValueSatisfying(t -> assertThat(t).contains("BRAVO").doesNotContain("ALPHA"));
            invariants("duplicate call ids", lathe, r, llm, ws);
        }
    }

    @Test
    void anAnswerCutAtTheOutputLimitIsContinuedWithANoteToTheModel() throws Exception {
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create()) {
            llm.enqueue(Turn.of(Step.text("The first half, cut")).finish("length"));
            llm.enqueue(Turn.of(Step.text(" and the second half.")));
            var lathe = new Lathe(home, config(llm, ""));

            var r = run(lathe, ws, "write a lot");

            assertThat(r.exit()).as(r.stderr()).isZero();
            assertThat(llm.requests()).hasSize(2);
            assertThat(llm.requests().get(1).lastUserText()).contains("cut off at the output token limit");
            invariants("max_tokens cut", lathe, r, llm, ws);
        }
    }

    @Test
    void anAnswerLongerThanTheLimitIsStoppedThereAndTheTurnSaysWhy() throws Exception {
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create()) {
            // 10 MB in 64 KiB deltas: the default limit (4 MiB) stops it
            String chunk = "0123456789abcdef".repeat(4096);
            llm.enqueue(Turn.of(Step.textDeltas(java.util.Collections.nCopies(160, chunk))));
            var lathe = new Lathe(home, config(llm, ""));

            long start = System.nanoTime();
            var r = run(lathe, ws, "say everything");
            long millis = (System.nanoTime() - start) / 1_000_000;

            assertThat(r.exit()).isNotZero();
            assertThat(r.result().path("error").path("kind").asString()).isEqualTo("answer_too_large");
            assertThat(r.result().path("error").path("message").asString()).contains("limits.maxAnswerBytes");
            assertThat(millis).as("the stream is stopped at the limit, not read to its end").isLessThan(60_000);
            invariants("long answer", lathe, r, llm, ws);
        }
    }

    @Test
    void throughTheDaemonServerAResetMidTextLeavesTheServerClean() throws Exception {
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create()) {
            llm.enqueue(Turn.of(Step.text("FRAGSRV1 the first words of an answer")).truncateAfter(3));
            llm.enqueue(Turn.of(Step.text("The clean answer from the server.")));
            var lathe = new Lathe(home, config(llm, "")).daemonFirst();
            var serve = ServeProcess.start(lathe);
            try {
                var ready = serve.awaitReady(Duration.ofSeconds(60));

                var r = run(lathe, ws, "hello");

                assertThat(r.exit()).as(r.stderr()).isZero();
                assertThat(r.result().path("text").asString()).isEqualTo("The clean answer from the server.");
                streamed(r, "FRAGSRV1");
                invariants("reset mid-text through the server", lathe, r, llm, ws, "FRAGSRV1");
                AlwaysOnChecks.after("reset mid-text through the server", ready.endpoint(), lathe.database()).assertClean();
            } finally {
                lathe.stopDaemon();
                if (serve.isAlive()) serve.kill();
            }
        }
    }

    /** The summary request of DESIGN §18: no tools allowed, and it ends asking for the summary. */
    private static boolean isSummary(RecordedRequest request) {
        return request.json().path("tool_choice").asString().equals("none") && request.lastUserText().toLowerCase().contains("summary");
    }

    private static Turn overflow() {
        return Turn.httpError(400, "{\"error\":{\"message\":\"This model's maximum context length is 8192 tokens.\",\"type\":\"invalid_request_error\","
                + "\"code\":\"context_length_exceeded\"}}", Map.of());
    }
}
