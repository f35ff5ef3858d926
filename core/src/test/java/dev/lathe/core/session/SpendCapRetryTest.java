package dev.lathe.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.llm.Protocols;
import dev.lathe.llm.TokenEstimate;
import dev.lathe.protocol.api.PermissionReplyRequest;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.event.BudgetAsks;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.PermissionReply;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Usage;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A provider that streams part of an answer and then breaks off, every time, must not let retries spend past a spend
 * limit. Each request is admitted by the spend ledger only when what was spent plus its estimate (its whole prompt,
 * here about 4,830 tokens) stays within the limit, so each cap below lets the first request through and holds back the
 * retry, which the attempt's charge plus the retry's estimate would pass (before the ledger, a cut attempt charged less
 * than the cap let the retry go): every attempt is charged what it consumed (the usage the provider reported before it broke off, topped up by
 * an estimate of what it streamed after that; an estimate of the request and the streamed output when it reported
 * nothing), so the limit's check before the retry stops it. Through the real HTTP protocols against the fake provider.
 */
class SpendCapRetryTest {
    @TempDir Path tmp;

    /** 8 chunks of 60 characters: what each attempt streams before the connection is cut. */
    private static final List<String> CHUNKS = chunks();
    private static final String STREAMED = String.join("", CHUNKS);

    private static List<String> chunks() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 8; i++) out.add(("part " + i + " of an answer that the provider will never finish, sadly. ").substring(0, 60));
        return out;
    }

    /**
     * A prompt of ~2,500 tokens, so that a request's estimate (~5,000) is mostly the test's own and the limits below keep
     * their meaning when the system prompt or the tools' descriptions change size.
     */
    private static final String PROMPT = "answer at length. " + "The quick brown fox jumps over the lazy dog. ".repeat(250);

    private static String retry() {
        return ", \"retry\": {\"maxAttempts\": 4, \"maxTotalWaitSeconds\": 30}";
    }

    @Test
    void anAnthropicStreamCutAfterItsStartIsChargedItsReportedInputAndWhatItStreamed() throws Exception {
        try (var llm = FakeLlm.start()) {
            // message_start (input 3,000 reported), ping, the text block's start and its 8 deltas; then the connection closes
            llm.respondWith(_ -> Turn.of(Step.textDeltas(CHUNKS)).usage(3000, 500, 0, 0).truncateAfter(11));
            // ~3,120 charged for the cut attempt: the retry's estimate (~5,000 tokens, most of them the prompt's) fits the
            // limit alone and passes it after the charge
            String config = "{\"model\": \"fake/m\", \"provider\": {\"fake\": {\"protocol\": \"anthropic-messages\", \"baseUrl\": \"" + llm.baseUrl()
                    + "\", \"apiKey\": \"sk-ant-test\", \"models\": {\"m\": {\"context\": 100000, \"output\": 4000}}}}"
                    + ", \"limits\": {\"session\": {\"tokens\": 6500}}" + retry() + "}";
            try (var h = new Harness(tmp, config, 10, Protocols.standard(HttpClient.newHttpClient()))) {
                var asked = stopsAtTheCap(h, llm, "limits.session.tokens");

                Usage spent = spent(h, asked);
                assertThat(spent.input()).as("the input the provider reported at the stream's start").isEqualTo(3000);
                assertThat(spent.output()).as("the output it streamed before it broke off").isGreaterThanOrEqualTo(TokenEstimate.of(STREAMED));
            }
        }
    }

    @Test
    void aChatStreamCutWithoutUsageIsChargedAnEstimateAndAMoneyLimitStopsTheRetries() throws Exception {
        try (var llm = FakeLlm.start()) {
            // the role chunk and the 8 text chunks; no finish, no usage chunk, no [DONE]
            llm.respondWith(_ -> Turn.of(Step.textDeltas(CHUNKS)).truncateAfter(9));
            // gpt-4o-mini: $0.15 per million input tokens, so the thousands of tokens of a request cost a few ten-thousandths
            // (~$0.0007 each): the first fits $0.001, the cut attempt's charge and the retry's estimate do not
            String config = "{\"model\": \"openai/gpt-4o-mini\", \"provider\": {\"openai\": {\"protocol\": \"openai-chat\", \"baseUrl\": \""
                    + llm.baseUrl() + "\", \"apiKey\": \"sk-test\"}}, \"limits\": {\"session\": {\"usd\": 0.001}}" + retry() + "}";
            try (var h = new Harness(tmp, config, 10, Protocols.standard(HttpClient.newHttpClient()))) {
                var asked = stopsAtTheCap(h, llm, "limits.session.usd");

                Usage spent = spent(h, asked);
                String request = llm.requests().getFirst().body();
                assertThat(spent.input()).as("the request's estimated tokens").isGreaterThan(1_000).isGreaterThanOrEqualTo(request.length() / 8);
                assertThat(spent.output()).isGreaterThanOrEqualTo(TokenEstimate.of(STREAMED));
                var message = (AssistantMessage) h.api.messages(asked.request().sessionId()).getLast().info();
                assertThat(message.cost()).as("micro-dollars charged for the cut attempt: its estimated input and output").isGreaterThanOrEqualTo(500);
            }
        }
    }

    /**
     * An attempt accepted by the provider that streams nothing at all (hidden reasoning, keep-alives) and then breaks off
     * reports no usage: it is charged the request's estimated input, so its retries count toward the limit too.
     */
    @Test
    void aStreamThatBreaksOffBeforeAnyContentIsChargedTheRequestsEstimatedInput() throws Exception {
        try (var llm = FakeLlm.start()) {
            // the response starts (200, event stream) and closes before its first chunk
            llm.respondWith(_ -> Turn.of(Step.textDeltas(CHUNKS)).truncateAfter(0));
            String config = "{\"model\": \"fake/m\", \"provider\": {\"fake\": {\"protocol\": \"openai-chat\", \"baseUrl\": \"" + llm.baseUrl()
                    + "\", \"apiKey\": \"sk-test\", \"models\": {\"m\": {\"context\": 100000, \"output\": 4000}}}}"
                    + ", \"limits\": {\"session\": {\"tokens\": 6000}}" + retry() + "}";
            try (var h = new Harness(tmp, config, 10, Protocols.standard(HttpClient.newHttpClient()))) {
                var asked = stopsAtTheCap(h, llm, "limits.session.tokens");

                Usage spent = spent(h, asked);
                String request = llm.requests().getFirst().body();
                assertThat(spent.input()).as("the request's estimated tokens").isGreaterThan(500).isGreaterThanOrEqualTo(request.length() / 8);
                assertThat(spent.output()).isZero();
            }
        }
    }

    /**
     * The first attempt breaks off, and the check before its retry finds the limit reached: the user is asked, no
     * second request goes out, and rejecting the ask ends the turn at the limit.
     */
    private static Event.PermissionAsked stopsAtTheCap(Harness h, FakeLlm llm, String limit) throws Exception {
        var s = h.session();
        h.api.prompt(s.id(), PromptRequest.text(PROMPT));
        var asked = awaitAsk(h);
        assertThat(asked.request().permission()).isEqualTo(BudgetAsks.PERMISSION);
        assertThat(asked.request().patterns()).containsExactly(limit);
        assertThat(llm.requests()).as("the retry waits for the limit's answer").hasSize(1);
        assertThat(h.events).anyMatch(e -> e.event() instanceof Event.PartUpdated u && u.part() instanceof Part.Retry);

        h.api.replyPermission(asked.request().id(), PermissionReplyRequest.of(PermissionReply.REJECT));
        h.awaitIdle(s.id());
        assertThat(llm.requests()).hasSize(1);
        var message = (AssistantMessage) h.api.messages(s.id()).getLast().info();
        assertThat(message.error()).hasValueSatisfying(e -> assertThat(e.kind()).isEqualTo(BudgetAsks.ERROR_KIND));
        return asked;
    }

    /** The limit's ask: after a failed attempt and a retry's wait, so given longer than the harness's 5 s on a busy machine. */
    private static Event.PermissionAsked awaitAsk(Harness h) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            var found = h.events.stream().map(e -> e.event()).filter(Event.PermissionAsked.class::isInstance).findFirst();
            if (found.isPresent()) return (Event.PermissionAsked) found.get();
            // a turn that ended (retries used up) asks nothing any more
            if (h.events.stream().anyMatch(e -> e.event() instanceof Event.SessionErrored)) break;
            Thread.sleep(10);
        }
        throw new AssertionError("no spend limit ask; events: " + h.events.stream().map(e -> e.event().getClass().getSimpleName()).toList());
    }

    /** What the session's answer was charged, over its steps (the failed attempt's included). */
    private static Usage spent(Harness h, Event.PermissionAsked asked) {
        return ((AssistantMessage) h.api.messages(asked.request().sessionId()).getLast().info()).usage();
    }
}
