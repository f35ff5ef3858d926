package dev.lathe.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TokenEstimateTest {
    @Test
    void countsWithTheO200kEncoding() {
        // o200k_base: "hello world" is two tokens; special-token text is counted as ordinary text, not rejected
        assertThat(TokenEstimate.of("hello world")).isEqualTo(2);
        assertThat(TokenEstimate.of("<|endoftext|>")).isGreaterThan(1);
        assertThat(TokenEstimate.of("")).isZero();
    }

    @Test
    void aRequestCountsItsSystemBlocksToolsAndMessages() {
        var tool = new ToolSpec("read", "Read a file", "{\"type\":\"object\"}");
        var message = LlmMessage.user(List.of(new Content.Text("what is in a.txt?")));
        var request = new LlmRequest("m", List.of("You are a coding agent."), List.of(tool), List.of(message), 100, ToolChoice.AUTO,
                Optional.empty(), Optional.empty());
        int expected = TokenEstimate.of("You are a coding agent.") + TokenEstimate.PER_MESSAGE + TokenEstimate.of(tool) + TokenEstimate.of(message);
        assertThat(TokenEstimate.of(request)).isEqualTo(expected);
        assertThat(TokenEstimate.of(new Content.Image("image/png", "AAAA"))).isEqualTo(TokenEstimate.PER_IMAGE);
    }

    @Test
    void aVeryLongTextIsCountedOnItsStartAndScaled() {
        String unit = "word and word, ";
        String text = unit.repeat(20_000);
        long exactShare = TokenEstimate.of(text.substring(0, TokenEstimate.EXACT_CHARS));
        assertThat(TokenEstimate.of(text)).isEqualTo((int) (exactShare * text.length() / TokenEstimate.EXACT_CHARS));
        assertThat(TokenEstimate.of(text)).isBetween(text.length() / 8, text.length() / 2);
    }
}
