package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.TempWorkspace;
import dev.lathe.testkit.Turn;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code lathe stats} as a separate process, after scripted sessions whose usage the FakeLlm reports the Anthropic way. */
class StatsIT {
    static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir Path home;

    @Test
    void statsSumTheFoldersSessionsPerModelWithTheirCacheHitRatio() throws Exception {
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create(); var other = TempWorkspace.create()) {
            ws.write("a.txt", "alpha\n").initGitRepo();
            var lathe = new Lathe(home, "{\"model\": \"fake/fake-model\", \"provider\": {\"fake\": {\"protocol\": \"anthropic-messages\", \"baseUrl\": \""
                    + llm.baseUrl() + "\", \"apiKey\": \"sk-s\", \"models\": {\"fake-model\": {\"context\": 100000, \"output\": 4096},"
                    + " \"other-model\": {\"context\": 50000, \"output\": 2048}}}}}");
            // first session: a tool call (writes the cache), then the answer (reads it)
            llm.enqueue(Turn.of(Step.text("Reading."), Step.toolCall("c1", "read", "{\"path\":\"a.txt\"}")).finish("tool_calls").usage(1_000, 50, 0, 3_000));
            llm.enqueue(Turn.of(Step.text("It says alpha.")).usage(20, 30, 3_000, 500));
            // second session, on the other model
            llm.enqueue(Turn.of(Step.text("Hello.")).usage(400, 10, 2_000, 0));
            // a session in another folder is not counted
            llm.enqueue(Turn.of(Step.text("Elsewhere.")).usage(7, 7, 7, 7));
            // the provider's rate-limit report (Anthropic's heads): the first session's two answers use 82 % of the tokens window
            String resets = Instant.now().plusSeconds(300).truncatedTo(ChronoUnit.SECONDS).toString();
            llm.responseHeaders(anthropicLimits("18000", resets));
            var first = lathe.run("run", "--dir", ws.path().toString(), "--format", "json", "what is in a.txt?");
            assertThat(first.exit()).as(first.stderr()).isZero();
            JsonNode result = JSON.readTree(first.stdout().strip().lines().toList().getLast());
            assertThat(result.get("type").asString()).isEqualTo("result");
            assertThat(result.get("cacheHitRatio").asDouble()).isEqualTo(3_000.0 / (1_020 + 3_000 + 3_500));
            assertThat(quota(result)).containsExactly("requests 1/50 " + resets, "tokens 82000/100000 " + resets);
            // warned once, though both answers reported the window at 82 %
            assertThat(first.stderr().lines().filter(l -> l.startsWith("lathe: warning: quota:")))
                    .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING).startsWith("lathe: warning: quota: tokens 82% used (82,000 of 100,000), resets ");
            llm.responseHeaders(anthropicLimits("60000", resets));
            var second = lathe.run("run", "--dir", ws.path().toString(), "--model", "fake/other-model", "hi");
            assertThat(second.exit()).isZero();
            assertThat(second.stderr()).doesNotContain("quota");
            // a head that does not read (text where a number goes, an escape sequence) is left out, and never printed
            llm.responseHeaders(Map.of("anthropic-ratelimit-tokens-limit", "100000", "anthropic-ratelimit-tokens-remaining", "1\u001b[2J",
                    "anthropic-ratelimit-tokens-reset", resets));
            var elsewhere = lathe.run("run", "--dir", other.path().toString(), "--format", "json", "hi");
            assertThat(elsewhere.exit()).isZero();
            assertThat(JSON.readTree(elsewhere.stdout().strip().lines().toList().getLast()).has("quota")).isFalse();
            assertThat(elsewhere.stderr()).doesNotContain("quota").doesNotContain("\u001b");

            var r = lathe.run("stats", "--dir", ws.path().toString(), "--format", "json");
            assertThat(r.exit()).as(r.stderr()).isZero();
            JsonNode stats = JSON.readTree(r.stdout());
            assertThat(stats.get("directory").asString()).isEqualTo(ws.path().toString());
            assertThat(stats.get("sessions").asInt()).isEqualTo(2);
            assertThat(stats.get("messages").asInt()).isEqualTo(2);
            assertThat(stats.get("requests").asInt()).isEqualTo(3);
            assertThat(usage(stats.get("usage"))).containsExactly(1_420L, 90L, 0L, 5_000L, 3_500L);
            assertThat(stats.get("cacheHitRatio").asDouble()).isEqualTo(5_000.0 / (1_420 + 5_000 + 3_500));
            assertThat(stats.get("cacheLifecycle").get("choice").asString()).isEqualTo("lapse");
            JsonNode models = stats.get("models");
            // the latest window of each name: tokens from the second session, at 40 %
            assertThat(quota(stats)).containsExactly("requests 1/50 " + resets, "tokens 40000/100000 " + resets);
            assertThat(models).hasSize(2);
            assertThat(models.get(0).get("model").asString()).isEqualTo("fake/fake-model");
            assertThat(models.get(0).get("messages").asInt()).isEqualTo(1);
            assertThat(usage(models.get(0).get("usage"))).containsExactly(1_020L, 80L, 0L, 3_000L, 3_500L);
            assertThat(models.get(0).get("cacheHitRatio").asDouble()).isEqualTo(3_000.0 / (1_020 + 3_000 + 3_500));
            assertThat(models.get(1).get("model").asString()).isEqualTo("fake/other-model");
            assertThat(usage(models.get(1).get("usage"))).containsExactly(400L, 10L, 0L, 2_000L, 0L);
            assertThat(models.get(1).get("cacheHitRatio").asDouble()).isEqualTo(2_000.0 / 2_400);
            // the same totals `lathe sessions` shows per session
            long sessionsCost = 0;
            long sessionsInput = 0;
            for (JsonNode s : JSON.readTree(lathe.run("sessions", "--dir", ws.path().toString(), "--format", "json").stdout())) {
                sessionsCost += s.get("cost").asLong();
                sessionsInput += s.get("usage").get("input").asLong();
            }
            assertThat(stats.get("cost").asLong()).isEqualTo(sessionsCost);
            assertThat(sessionsInput).isEqualTo(1_420);
            assertThat(lathe.serverJson()).as("stats never start a daemon").doesNotExist();

            var text = lathe.run("stats", "--dir", ws.path().toString());
            assertThat(text.exit()).as(text.stderr()).isZero();
            List<String> lines = text.stdout().lines().toList();
            assertThat(lines.get(0)).isEqualTo("Project   " + ws.path());
            assertThat(lines.get(1)).isEqualTo("Sessions  2 · 2 responses · 3 requests");
            assertThat(lines.get(2)).isEqualTo("Tokens    input 1,420 · output 90 (reasoning 0) · cache read 5,000 · cache write 3,500");
            // the fake models have no price: tokens used and nothing charged is said as such, not as "$0.0000" (issue 71)
            assertThat(lines.get(3)).isEqualTo("Cost      price unknown");
            assertThat(lines.get(4)).isEqualTo("Cache     50.4% of prompt tokens read from the provider's cache");
            assertThat(lines.get(5)).startsWith("Quota     requests 2% · resets ").contains(" · tokens 40% · resets ");
            // the cache lifecycle's choice (decision 504): the fake models have no prices, so nothing is spent on a pause
            assertThat(lines.get(6)).isEqualTo("Pause     let it lapse · cache.strategy auto");
            assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("MODEL").contains("RESPONSES", "CACHE READ", "HIT", "COST"));
            assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("fake/fake-model").contains("1,020", "3,500", "39.9%"));
            assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("fake/other-model").contains("2,000", "83.3%").endsWith("price unknown"));

            var none = lathe.run("stats", "--dir", home.toString(), "--format", "json");
            assertThat(none.exit()).isZero();
            assertThat(JSON.readTree(none.stdout()).get("sessions").asInt()).isZero();
        }
    }

    private static Map<String, String> anthropicLimits(String tokensRemaining, String resets) {
        return Map.of("anthropic-ratelimit-requests-limit", "50", "anthropic-ratelimit-requests-remaining", "49", "anthropic-ratelimit-requests-reset", resets,
                "anthropic-ratelimit-tokens-limit", "100000", "anthropic-ratelimit-tokens-remaining", tokensRemaining,
                "anthropic-ratelimit-tokens-reset", resets);
    }

    /** Each window as "name used/limit resetsAt". */
    private static List<String> quota(JsonNode json) {
        List<String> out = new java.util.ArrayList<>();
        for (JsonNode w : json.path("quota")) {
            out.add(w.get("name").asString() + " " + w.get("used").asLong() + "/" + w.get("limit").asLong() + " " + w.get("resetsAt").asString());
        }
        return out;
    }

    private static List<Long> usage(JsonNode u) {
        return List.of(u.get("input").asLong(), u.get("output").asLong(), u.get("reasoning").asLong(), u.get("cacheRead").asLong(),
                u.get("cacheWrite").asLong());
    }
}
