package dev.lathe.core.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.core.session.context.KeepWarm;
import dev.lathe.llm.Cancellation;
import dev.lathe.llm.Content;
import dev.lathe.llm.LlmMessage;
import dev.lathe.llm.LlmRequest;
import dev.lathe.llm.Protocol;
import dev.lathe.llm.Protocols;
import dev.lathe.llm.Provider;
import dev.lathe.llm.ToolChoice;
import dev.lathe.llm.ToolSpec;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.RecordedRequest;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keep-warm on the real clock made short (decision 505): a 600 ms TTL, warm requests 300 ms before expiry, sent as
 * Anthropic Messages over loopback HTTP to a fake provider by the real protocol. A watched idle session gets its warm
 * requests before the cache would expire, byte for byte its last request but for {@code max_tokens}, and no more than
 * the bound; an unwatched one gets none, and one whose client leaves gets no more.
 */
class KeepWarmTest {
    private static final Duration TTL = Duration.ofMillis(600);
    private static final Duration MARGIN = Duration.ofMillis(300);
    private static FakeLlm llm;
    private static ScheduledExecutorService timer;
    private static Protocol anthropic;
    private static Provider provider;

    @BeforeAll
    static void start() {
        llm = FakeLlm.start().respondWith(_ -> Turn.of(Step.text(".")));
        timer = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().factory());
        anthropic = Protocols.standard(HttpClient.newHttpClient()).find("anthropic-messages").orElseThrow();
        provider = new Provider("fake", "anthropic-messages", URI.create(llm.baseUrl()), Optional.empty(), Map.of(), Map.of());
    }

    @AfterAll
    static void stop() {
        timer.shutdownNow();
        llm.close();
    }

    private static LlmRequest lastRequest() {
        return new LlmRequest("claude-sonnet-4-5", List.of("You are a coding agent.", "Project rules."),
                List.of(new ToolSpec("read", "Reads a file.", "{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\"}}}")),
                List.of(LlmMessage.user(List.of(new Content.Text("Fix the bug."))),
                        LlmMessage.assistant(List.of(new Content.ToolCall("c1", "read", "{\"path\":\"a.py\"}", Optional.empty()))),
                        LlmMessage.user(List.of(new Content.ToolResult("c1", "read", "print('a')", false)))),
                8_000, ToolChoice.AUTO, Optional.empty(), Optional.empty());
    }

    private static KeepWarm.Sender sender() {
        return warm -> anthropic.stream(provider, warm, _ -> {}, new Cancellation());
    }

    @Test
    void aWatchedIdleSessionIsWarmedBeforeExpiryWithItsOwnPrefixAndNoMoreThanTheBound() throws Exception {
        llm.forgetRequests();
        LlmRequest last = lastRequest();
        anthropic.stream(provider, last, _ -> {}, new Cancellation());
        long answered = System.nanoTime();
        try (var warm = new KeepWarm(timer, TTL, MARGIN, 2)) {
            assertTrue(warm.idle(last, () -> true, sender()));
            assertTrue(llm.awaitRequests(2, Duration.ofSeconds(5)));
            List<RecordedRequest> sent = llm.requests();
            // before the 600 ms cache would have expired: the first warm request is due 300 ms after the answer
            assertTrue(sent.get(1).receivedAtNanos() - answered < TTL.toNanos(),
                    "warm request after " + (sent.get(1).receivedAtNanos() - answered) / 1_000_000 + " ms");
            assertEquals(withoutMaxTokens(sent.get(0).body()), withoutMaxTokens(sent.get(1).body()));
            assertTrue(sent.get(1).body().contains("\"max_tokens\":1,"), sent.get(1).body());
            assertTrue(llm.awaitRequests(3, Duration.ofSeconds(5)));
            // the bound: two per pause, then the cache lapses (three TTLs' wait sees no fourth)
            awaitQuiet(3);
            assertEquals(3, llm.requests().size());
            assertEquals(2, warm.sent());
        }
    }

    @Test
    void unwatchedWorkIsNeverWarmedAndALeavingClientStopsIt() throws Exception {
        llm.forgetRequests();
        try (var warm = new KeepWarm(timer, TTL, MARGIN, 2)) {
            assertFalse(warm.idle(lastRequest(), () -> false, sender()));
            var watching = new AtomicBoolean(true);
            assertTrue(warm.idle(lastRequest(), watching::get, sender()));
            watching.set(false);
            awaitQuiet(0);
            assertEquals(0, llm.requests().size());
            assertEquals(0, warm.sent());
            // a request of the session's own cancels what was planned
            assertTrue(warm.idle(lastRequest(), () -> true, sender()));
            warm.busy();
            awaitQuiet(0);
            assertEquals(0, llm.requests().size());
        }
    }

    /** Waits out one more warm interval than a warm request could take to come, checking nothing more than n came. */
    private static void awaitQuiet(int n) throws InterruptedException {
        assertFalse(llm.awaitRequests(n + 1, TTL.minus(MARGIN).multipliedBy(2)), "an unexpected warm request");
    }

    private static String withoutMaxTokens(String body) {
        return body.replaceFirst("\"max_tokens\":\\d+,", "");
    }
}
