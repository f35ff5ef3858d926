package dev.lathe.llm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ToolCallIdsTest {
    @Test
    void safeIdsWithinTheLimitPassUnchanged() {
        assertThat(ToolCallIds.limited("toolu_01AbC-xyz", 64)).isEqualTo("toolu_01AbC-xyz");
        assertThat(ToolCallIds.limited("a".repeat(40), 40)).isEqualTo("a".repeat(40));
    }

    @Test
    void otherCharactersBecomeUnderscores() {
        assertThat(ToolCallIds.limited("call.1:x y", 64)).isEqualTo("call_1_x_y");
        assertThat(ToolCallIds.limited("functions.read:0", 64)).isEqualTo("functions_read_0");
        assertThat(ToolCallIds.limited("é", 64)).isEqualTo("_");
    }

    @Test
    void tooLongOrEmptyIdsBecomeAStableDigest() {
        String id = ToolCallIds.limited("x".repeat(41), 40);
        assertThat(id).startsWith("call_").hasSizeLessThanOrEqualTo(40).matches("[A-Za-z0-9_-]+");
        assertThat(ToolCallIds.limited("x".repeat(41), 40)).isEqualTo(id);
        assertThat(ToolCallIds.limited("", 64)).startsWith("call_");
    }
}
