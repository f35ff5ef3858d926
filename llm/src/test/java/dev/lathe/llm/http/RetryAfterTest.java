package dev.lathe.llm.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code retry-after} in every form RFC 9110 allows, and {@code retry-after-ms}. */
class RetryAfterTest {
    private static final Instant NOW = Instant.parse("2026-11-24T16:00:00Z");

    @Test
    void secondsAndMilliseconds() {
        assertThat(RetryAfter.of(Map.of("retry-after", "7"), NOW)).contains(Duration.ofSeconds(7));
        assertThat(RetryAfter.of(Map.of("retry-after", " 1.5 "), NOW)).contains(Duration.ofMillis(1500));
        assertThat(RetryAfter.of(Map.of("retry-after-ms", "174", "retry-after", "1"), NOW)).as("ms wins").contains(Duration.ofMillis(174));
        assertThat(RetryAfter.of(Map.of(), NOW)).isEmpty();
    }

    @Test
    void anHttpDateInAnyOfItsThreeFormsIsAWaitUntilThen() {
        assertThat(RetryAfter.of(Map.of("retry-after", "Tue, 24 Nov 2026 16:00:30 GMT"), NOW)).as("IMF-fixdate").contains(Duration.ofSeconds(30));
        assertThat(RetryAfter.of(Map.of("retry-after", "Tuesday, 24-Nov-26 17:00:00 GMT"), NOW)).as("RFC 850").contains(Duration.ofHours(1));
        assertThat(RetryAfter.of(Map.of("retry-after", "Tue Nov 24 16:02:00 2026"), NOW)).as("asctime").contains(Duration.ofMinutes(2));
        assertThat(RetryAfter.of(Map.of("retry-after", "Tue Nov  3 16:00:00 2026"), NOW)).as("asctime, padded day: in the past").contains(Duration.ZERO);
    }

    @Test
    void aDateInThePastIsNoWaitAndGarbageIsNoHint() {
        assertThat(RetryAfter.of(Map.of("retry-after", "Mon, 23 Nov 2026 16:00:00 GMT"), NOW)).contains(Duration.ZERO);
        assertThat(RetryAfter.of(Map.of("retry-after", "soon"), NOW)).isEmpty();
        assertThat(RetryAfter.of(Map.of("retry-after", "NaN"), NOW)).isEmpty();
        assertThat(RetryAfter.of(Map.of("retry-after-ms", "x", "retry-after", "3"), NOW)).as("a bad ms falls back").contains(Duration.ofSeconds(3));
    }
}
