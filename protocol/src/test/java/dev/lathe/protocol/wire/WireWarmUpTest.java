package dev.lathe.protocol.wire;

import static org.assertj.core.api.Assertions.assertThatCode;

import org.junit.jupiter.api.Test;

class WireWarmUpTest {
    @Test
    void everySampleValueSurvivesItsRoundTrip() {
        // run() swallows failures (a warm-up must never disturb start-up), so the samples themselves are checked here
        assertThatCode(WireWarmUp::roundTrips).doesNotThrowAnyException();
    }
}
