package dev.lathe.llm.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.llm.QuotaWindow;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RateLimitHeadersTest {
    static final Instant NOW = Instant.parse("2026-11-28T14:00:00Z");

    /** The head of an Anthropic Messages answer, as the API documents and sends it (keys lower case). */
    static Map<String, String> anthropic() {
        Map<String, String> h = new HashMap<>();
        h.put("anthropic-ratelimit-requests-limit", "50");
        h.put("anthropic-ratelimit-requests-remaining", "49");
        h.put("anthropic-ratelimit-requests-reset", "2026-11-28T14:00:01Z");
        h.put("anthropic-ratelimit-tokens-limit", "100000");
        h.put("anthropic-ratelimit-tokens-remaining", "18000");
        h.put("anthropic-ratelimit-tokens-reset", "2026-11-28T14:05:00Z");
        h.put("anthropic-ratelimit-input-tokens-limit", "80000");
        h.put("anthropic-ratelimit-input-tokens-remaining", "10000");
        h.put("anthropic-ratelimit-input-tokens-reset", "2026-11-28T14:05:00+00:00");
        h.put("anthropic-ratelimit-output-tokens-limit", "20000");
        h.put("anthropic-ratelimit-output-tokens-remaining", "12000");
        h.put("anthropic-ratelimit-output-tokens-reset", "2026-11-28T15:00:30.250+01:00");
        return h;
    }

    /** The head of an OpenAI answer: the reset is a duration from now. */
    static Map<String, String> openAi() {
        Map<String, String> h = new HashMap<>();
        h.put("x-ratelimit-limit-requests", "500");
        h.put("x-ratelimit-remaining-requests", "499");
        h.put("x-ratelimit-reset-requests", "120ms");
        h.put("x-ratelimit-limit-tokens", "30000");
        h.put("x-ratelimit-remaining-tokens", "4500");
        h.put("x-ratelimit-reset-tokens", "6m0s");
        return h;
    }

    @Test
    void anthropicsFourWindowsAreReadWithUsedAsLimitLessRemaining() {
        assertThat(RateLimitHeaders.of(anthropic(), NOW)).containsExactly(
                new QuotaWindow("requests", 1, 50, Instant.parse("2026-11-28T14:00:01Z")),
                new QuotaWindow("tokens", 82_000, 100_000, Instant.parse("2026-11-28T14:05:00Z")),
                new QuotaWindow("input-tokens", 70_000, 80_000, Instant.parse("2026-11-28T14:05:00Z")),
                new QuotaWindow("output-tokens", 8_000, 20_000, Instant.parse("2026-11-28T14:00:30.250Z")));
    }

    @Test
    void openAisResetDurationsBecomeInstants() {
        assertThat(RateLimitHeaders.of(openAi(), NOW)).containsExactly(
                new QuotaWindow("requests", 1, 500, NOW.plusMillis(120)),
                new QuotaWindow("tokens", 25_500, 30_000, NOW.plus(Duration.ofMinutes(6))));
        assertThat(RateLimitHeaders.goDuration("1h2m3.5s")).contains(Duration.ofMillis(3_723_500));
        assertThat(RateLimitHeaders.goDuration("0.5s")).contains(Duration.ofMillis(500));
        assertThat(RateLimitHeaders.goDuration("7.66s")).contains(Duration.ofMillis(7_660));
        assertThat(RateLimitHeaders.goDuration("1m")).contains(Duration.ofMinutes(1));
        assertThat(List.of("", "-1s", "6 m", "1d", "ms", "1e3s", "1s2h", "NaNs")).allSatisfy(v -> assertThat(RateLimitHeaders.goDuration(v)).isEmpty());
    }

    @Test
    void aChatGptPlansWindowsAreNamedByTheirLength() {
        Map<String, String> h = new HashMap<>();
        h.put("x-codex-primary-used-percent", "82.4");
        h.put("x-codex-primary-window-minutes", "300");
        h.put("x-codex-primary-reset-at", Long.toString(NOW.plusSeconds(3_600).getEpochSecond()));
        h.put("x-codex-secondary-used-percent", "103");
        h.put("x-codex-secondary-window-minutes", "10080");
        h.put("x-codex-secondary-reset-after-seconds", "86400");
        assertThat(RateLimitHeaders.of(h, NOW)).containsExactly(
                new QuotaWindow("5h", 82, 100, NOW.plusSeconds(3_600)),
                // past its limit: all used
                new QuotaWindow("7d", 100, 100, NOW.plusSeconds(86_400)));
        assertThat(RateLimitHeaders.windowName(90)).isEqualTo("90m");
        h.remove("x-codex-primary-window-minutes");
        assertThat(RateLimitHeaders.of(h, NOW).getFirst().name()).isEqualTo("primary");
    }

    @Test
    void malformedValuesDropTheirWindowAndNothingOfTheTextIsKept() {
        List<Map.Entry<String, String>> attacks = List.of(
                Map.entry("anthropic-ratelimit-tokens-remaining", "-5"),
                Map.entry("anthropic-ratelimit-tokens-remaining", "18000\u001b]0;pwned\u0007"),
                Map.entry("anthropic-ratelimit-tokens-remaining", "1e4"),
                Map.entry("anthropic-ratelimit-tokens-remaining", "100001"),
                Map.entry("anthropic-ratelimit-tokens-limit", "0"),
                Map.entry("anthropic-ratelimit-tokens-limit", "9".repeat(30)),
                Map.entry("anthropic-ratelimit-tokens-limit", "0x10"),
                Map.entry("anthropic-ratelimit-tokens-reset", "tomorrow"),
                Map.entry("anthropic-ratelimit-tokens-reset", "2026-11-28T14:05:00"),
                // a reset long gone or too far away is not believed
                Map.entry("anthropic-ratelimit-tokens-reset", "2026-11-28T13:00:00Z"),
                Map.entry("anthropic-ratelimit-tokens-reset", "2027-06-01T00:00:00Z"));
        for (Map.Entry<String, String> attack : attacks) {
            Map<String, String> h = anthropic();
            h.put(attack.getKey(), attack.getValue());
            assertThat(RateLimitHeaders.of(h, NOW)).as(attack.getValue()).extracting(QuotaWindow::name)
                    .containsExactly("requests", "input-tokens", "output-tokens");
        }
        Map<String, String> plan = Map.of("x-codex-primary-used-percent", "-3", "x-codex-primary-reset-after-seconds", "60",
                "x-codex-secondary-used-percent", "50", "x-codex-secondary-reset-after-seconds", "99999999999");
        assertThat(RateLimitHeaders.of(plan, NOW)).isEmpty();
        Map<String, String> openAi = openAi();
        openAi.put("x-ratelimit-reset-tokens", "6m0s\r\nx-evil: 1");
        assertThat(RateLimitHeaders.of(openAi, NOW)).extracting(QuotaWindow::name).containsExactly("requests");
        assertThat(RateLimitHeaders.of(Map.of(), NOW)).isEmpty();
    }
}
