package dev.lathe.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.lathe.client.HttpLatheClient;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.CacheReport;
import dev.lathe.protocol.api.ContextReport;
import dev.lathe.protocol.api.ProjectStats;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.api.SessionUsage;
import dev.lathe.protocol.session.Quota;
import dev.lathe.protocol.session.Usage;
import dev.lathe.protocol.wire.WireJson;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /sessions/{id}/cache}, {@code /sessions/{id}/context} and {@code /stats} through the Java client, the real
 * server and the real core, after a turn against the FakeLlm that reports cached tokens the way OpenAI does.
 */
class AccountingRoutesTest {
    @TempDir Path tmp;
    LiveServer live;

    @BeforeEach
    void start() throws Exception {
        live = new LiveServer(tmp);
    }

    @AfterEach
    void stop() {
        live.close();
    }

    @Test
    void aTurnsRequestsShowUpInTheCacheReportTheContextAndTheProjectStats() throws Exception {
        Files.writeString(live.project.resolve("notes.txt"), "alpha\n");
        live.llm.enqueue(Turn.of(Step.text("Reading."), Step.toolCall("call_1", "read", "{\"path\": \"notes.txt\"}")).finish("tool_calls")
                .usage(1_000, 20, 3_000, 0));
        live.llm.enqueue(Turn.of(Step.text("It says alpha.")).usage(200, 30, 4_000, 0));
        try (HttpLatheClient client = live.client()) {
            SessionId id = live.session(client).id();
            client.prompt(id, PromptRequest.text("what is in notes.txt?"));
            live.awaitIdle(client, id);

            CacheReport cache = client.cache(id);
            assertThat(cache.requests()).extracting(CacheReport.Request::outcome).containsExactly(CacheReport.Outcome.FIRST, CacheReport.Outcome.KEPT);
            assertThat(cache.requests()).extracting(CacheReport.Request::hitRatio).containsExactly(3_000.0 / 4_000, 4_000.0 / 4_200);
            assertThat(cache.requests()).extracting(CacheReport.Request::step).containsExactly(1, 2);
            assertThat(cache.totals()).isEqualTo(new CacheReport.Totals(2, 1_200, 7_000, 0, 50, 7_000.0 / 8_200, CacheReport.Breaks.NONE, 0));

            ContextReport context = client.context(id);
            assertThat(context.model()).isEqualTo("fake/m");
            assertThat(context.contextLimit()).isEqualTo(100_000);
            assertThat(context.lastInput()).contains(4_200L);
            assertThat(context.estimate().toolOutputs()).isPositive();
            assertThat(context.free()).isEqualTo(100_000 - 4_000 - context.estimate().total());

            ProjectStats stats = client.stats(live.project.toString());
            var usage = new Usage(1_200, 50, 0, 7_000, 0);
            assertThat(stats.sessions()).isEqualTo(1);
            assertThat(stats.requests()).isEqualTo(2);
            assertThat(stats.usage()).isEqualTo(usage);
            assertThat(stats.cacheHitRatio()).isEqualTo(7_000.0 / 8_200);
            assertThat(stats.models()).containsExactly(new ProjectStats.ModelStats("fake/m", 1, usage, 0, 7_000.0 / 8_200));

            assertThatThrownBy(() -> client.cache(SessionId.next())).isInstanceOfSatisfying(LatheException.class, e -> assertThat(e).isInstanceOf(LatheException.NotFound.class));
            assertThatThrownBy(() -> client.context(SessionId.next())).isInstanceOfSatisfying(LatheException.class, e -> assertThat(e).isInstanceOf(LatheException.NotFound.class));
        }
    }

    @Test
    void theProvidersRateLimitsReachTheUsageRouteAndTheStatsLatestPerName() throws Exception {
        // OpenAI's heads: the reset a duration from now; the second answer's tokens window is at 85 %
        live.llm.responseHeaders(Map.of("x-ratelimit-limit-tokens", "30000", "x-ratelimit-remaining-tokens", "27000", "x-ratelimit-reset-tokens", "6m0s",
                "x-ratelimit-limit-requests", "500", "x-ratelimit-remaining-requests", "499", "x-ratelimit-reset-requests", "120ms"));
        live.llm.enqueue(Turn.of(Step.text("One.")).usage(1_000, 10, 3_000, 0));
        try (HttpLatheClient client = live.client()) {
            SessionId id = live.session(client).id();
            client.prompt(id, PromptRequest.text("one"));
            live.awaitIdle(client, id);
            live.llm.responseHeaders(Map.of("x-ratelimit-limit-tokens", "30000", "x-ratelimit-remaining-tokens", "4500", "x-ratelimit-reset-tokens", "1m30s"));
            live.llm.enqueue(Turn.of(Step.text("Two.")).usage(1_000, 10, 3_000, 0));
            Instant before = Instant.now();
            client.prompt(id, PromptRequest.text("two"));
            live.awaitIdle(client, id);

            SessionUsage usage = client.usage(id);
            assertThat(usage.cacheHitRatio()).isEqualTo(6_000.0 / 8_000);
            // the latest of each name: tokens from the second answer, requests (not reported again) from the first
            assertThat(usage.quota()).extracting(Quota::name, Quota::used, Quota::limit).containsExactly(tuple("requests", 1L, 500L), tuple("tokens", 25_500L, 30_000L));
            Instant resets = Instant.parse(usage.quota().get(1).resetsAt());
            assertThat(resets).isBetween(before.plusSeconds(89), Instant.now().plusSeconds(91));
            assertThat(client.stats(live.project.toString()).quota()).isEqualTo(usage.quota());

            String raw = get("/sessions/" + id.value() + "/usage");
            JsonNode json = WireJson.read(raw, JsonNode.class);
            assertThat(json.path("cacheHitRatio").asDouble()).isEqualTo(0.75);
            assertThat(json.path("quota").path(1).propertyNames()).containsExactly("name", "used", "limit", "resetsAt");
            assertThat(json.path("quota").path(1).path("resetsAt").asString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
        }
    }

    private String get(String path) throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(live.http.url() + path)).header("Authorization", "Bearer " + live.token).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void theWireNamesAreTheDocumentedOnes() throws Exception {
        live.llm.enqueue(Turn.of(Step.text("Hi.")).usage(2_000, 10, 0, 0));
        try (HttpLatheClient client = live.client()) {
            SessionId id = live.session(client).id();
            client.prompt(id, PromptRequest.text("hello"));
            live.awaitIdle(client, id);
        }
        var http = java.net.http.HttpClient.newHttpClient();
        String stats = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(live.http.url() + "/stats?directory="
                        + java.net.URLEncoder.encode(live.project.toString(), java.nio.charset.StandardCharsets.UTF_8)))
                .header("Authorization", "Bearer " + live.token).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        JsonNode json = WireJson.read(stats, JsonNode.class);
        assertThat(json.propertyNames()).containsExactlyInAnyOrder("directory", "sessions", "messages", "requests", "usage", "cost", "cacheHitRatio",
                "models", "cacheLifecycle");
        // the fake model has no prices: nothing to save, the cache lapses (decision 504)
        assertThat(json.path("cacheLifecycle").propertyNames()).containsExactlyInAnyOrder("strategy", "choice", "saving", "pauseMinutes", "summary");
        assertThat(List.of(json.path("cacheLifecycle").path("strategy").asString(), json.path("cacheLifecycle").path("choice").asString()))
                .containsExactly("auto", "lapse");
        assertThat(json.path("usage").propertyNames()).containsExactlyInAnyOrder("input", "output", "reasoning", "cacheRead", "cacheWrite");
        assertThat(json.path("models").path(0).path("model").asString()).isEqualTo("fake/m");
        assertThat(List.of(json.path("usage").path("input").asLong(), json.path("sessions").asLong())).containsExactly(2_000L, 1L);
    }
}
