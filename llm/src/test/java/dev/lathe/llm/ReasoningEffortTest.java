package dev.lathe.llm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReasoningEffortTest {
    @Test
    void theBudgetLeavesRoomForTheAnswerAndMeetsTheMinimum() {
        assertThat(ReasoningEffort.HIGH.budget(64_000)).isEqualTo(32_000);
        assertThat(ReasoningEffort.HIGH.budget(8_000)).isEqualTo(6_000);
        assertThat(ReasoningEffort.LOW.budget(1_000)).isEqualTo(1_024);
        assertThat(ReasoningEffort.parse("medium")).contains(ReasoningEffort.MEDIUM);
        assertThat(ReasoningEffort.parse("max")).isEmpty();
    }
}
