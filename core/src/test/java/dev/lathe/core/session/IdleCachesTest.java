package dev.lathe.core.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.core.session.turn.TurnSeams;
import dev.lathe.llm.Protocols;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.event.Event;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.RecordedRequest;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keep-warm wired into the turn loop (decision 505): a session whose {@code cache.strategy} is {@code warm} goes idle
 * while a client follows it, and its last request comes again for one token before the (shortened) cache TTL runs out,
 * over loopback HTTP to a fake Anthropic provider through the real protocol; the warm request's usage lands on the
 * session's totals; a client that leaves stops it, and a session nobody follows gets none.
 */
class IdleCachesTest {
    private static final Duration TTL = Duration.ofMillis(1000);
    private static final Duration MARGIN = Duration.ofMillis(600);
    /** What the fake reports for a warm request: the whole prefix read from the cache, one token out. */
    private static final int WARM_READ = 777;

    @TempDir Path tmp;

    private static String config(FakeLlm llm) {
        return "{\"model\": \"fake/claude\", \"cache\": {\"strategy\": \"warm\"}, \"provider\": {\"fake\": {\"protocol\": \"anthropic-messages\","
                + " \"baseUrl\": \"" + llm.baseUrl() + "\", \"models\": {\"claude\": {\"context\": 100000, \"output\": 4000}}}}}";
    }

    private static FakeLlm fake() {
        return FakeLlm.start().respondWith(r -> r.body().contains("\"max_tokens\":1,") ? Turn.of(Step.text(".")).usage(3, 1, WARM_READ, 0)
                : Turn.of(Step.text("done")));
    }

    private static Harness harness(Path tmp, FakeLlm llm) throws Exception {
        var h = new Harness(tmp, config(llm), 10, Protocols.standard(HttpClient.newHttpClient()));
        TurnSeams.retime(h.sessions.services().idleCaches(), TTL, MARGIN);
        return h;
    }

    @Test
    void aFollowedIdleSessionIsWarmedBeforeExpiryWithItsLastRequestAndPaysForItOnItsOwnTotals() throws Exception {
        try (var llm = fake(); var h = harness(tmp, llm)) {
            SessionId id = h.session().id();
            h.promptAndWait(id, "fix the bug");
            assertTrue(llm.awaitRequests(2, Duration.ofSeconds(10)), "no warm request came");
            List<RecordedRequest> sent = llm.requests();
            // before the cache the turn's request wrote would have expired
            long after = sent.get(1).receivedAtNanos() - sent.get(0).receivedAtNanos();
            assertTrue(after < TTL.toNanos(), "warm request " + after / 1_000_000 + " ms after the request it repeats");
            assertEquals(withoutMaxTokens(sent.get(0).body()), withoutMaxTokens(sent.get(1).body()));
            assertTrue(sent.get(1).body().contains("\"max_tokens\":1,"), sent.get(1).body());
            // a forced strategy: the stable blocks keep the default TTL
            assertFalse(sent.get(0).body().contains("\"ttl\""));
            // its usage is the session's: the cache reads of the warm request are in its totals
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (h.sessions.get(id).usage().cacheRead() < WARM_READ && System.nanoTime() < deadline) Thread.sleep(10);
            assertTrue(h.sessions.get(id).usage().cacheRead() >= WARM_READ, "warm usage not recorded: " + h.sessions.get(id).usage());

            // the client leaves: at most the one already on its way, then none
            h.detachClient();
            int atLeave = llm.requests().size();
            assertFalse(llm.awaitRequests(atLeave + 2, TTL.minus(MARGIN).multipliedBy(3)), "warm requests after the client left");
        }
    }

    @Test
    void aSessionNobodyFollowsIsNeverWarmed() throws Exception {
        try (var llm = fake(); var h = harness(tmp, llm)) {
            h.detachClient();
            SessionId id = h.session().id();
            h.promptAndWait(id, "fix the bug");
            assertEquals(1, llm.requests().size());
            assertFalse(llm.awaitRequests(2, TTL.minus(MARGIN).multipliedBy(3)), "an unwatched session was warmed");
            assertEquals(0, h.sessions.get(id).usage().cacheRead());
        }
    }

    /**
     * The one-hour TTL (decision 504), decided once: a followed session of Claude Sonnet 4.5 (the catalog's prices) with
     * extended thinking, which cannot be kept warm, on Anthropic Messages sends its system breakpoints with
     * {@code "ttl":"1h"} at every request and the moving message breakpoints with the default.
     */
    @Test
    void aFollowedThinkingSessionSendsItsStableBlocksWithTheOneHourTtlAtEveryRequest() throws Exception {
        try (var llm = FakeLlm.start().respondWith(_ -> Turn.of(Step.text("done")));
                var h = new Harness(tmp, "{\"model\": \"anthropic/claude-sonnet-4-5\", \"provider\": {\"anthropic\": {\"baseUrl\": \"" + llm.baseUrl()
                        + "\", \"apiKey\": \"test\", \"models\": {\"claude-sonnet-4-5\": {\"reasoningEffort\": \"low\"}}}}}", 10,
                        Protocols.standard(HttpClient.newHttpClient()))) {
            SessionId id = h.session().id();
            h.promptAndWait(id, "fix the bug");
            h.promptAndWait(id, "and the test");
            List<RecordedRequest> sent = llm.requests();
            assertEquals(2, sent.size());
            String hour = "\"cache_control\":{\"type\":\"ephemeral\",\"ttl\":\"1h\"}";
            for (RecordedRequest r : sent) {
                String system = r.body().substring(0, r.body().indexOf("\"messages\""));
                assertTrue(system.contains(hour), system);
                assertEquals(system.split(java.util.regex.Pattern.quote("cache_control"), -1).length, system.split(java.util.regex.Pattern.quote(hour), -1).length, system);
                assertFalse(r.body().substring(r.body().indexOf("\"messages\"")).contains("\"ttl\""));
            }
        }
    }

    /**
     * Compacting just before expiry (decision 504): a followed session with {@code cache.strategy} {@code compact} and a
     * 50k-token context is summarised before its cache would expire, without a prompt, as its own automatic compaction.
     */
    @Test
    void aLargeFollowedSessionIsCompactedJustBeforeItsCacheExpires() throws Exception {
        try (var llm = FakeLlm.start().respondWith(_ -> Turn.of(Step.text("done")).usage(50_000, 10, 0, 0));
                var h = new Harness(tmp, "{\"model\": \"fake/m\", \"cache\": {\"strategy\": \"compact\"}, \"provider\": {\"fake\": {\"protocol\":"
                        + " \"openai-chat\", \"baseUrl\": \"" + llm.baseUrl() + "\", \"models\": {\"m\": {\"context\": 200000, \"output\": 4000}}}}}", 10,
                        Protocols.standard(HttpClient.newHttpClient()))) {
            TurnSeams.retime(h.sessions.services().idleCaches(), TTL, MARGIN);
            SessionId id = h.session().id();
            h.promptAndWait(id, "fix the bug");
            h.promptAndWait(id, "and the test");
            int turns = llm.requests().size();
            var compacted = (Event.SessionCompacted) h.awaitEvent(e -> e instanceof Event.SessionCompacted c && c.sessionId().equals(id));
            // automatic, and summarised by the model (not pruned, not Lathe's fallback text)
            assertTrue(compacted.auto());
            assertTrue(compacted.summaryMessageId().isPresent());
            assertTrue(llm.awaitRequests(turns + 1, Duration.ofSeconds(10)));
            List<RecordedRequest> sent = llm.requests();
            long after = sent.get(turns).receivedAtNanos() - sent.get(turns - 1).receivedAtNanos();
            assertTrue(after < TTL.toNanos(), "summary request " + after / 1_000_000 + " ms after the last request");
        }
    }

    private static String withoutMaxTokens(String body) {
        return body.replaceFirst("\"max_tokens\":\\d+,", "");
    }
}
