package dev.lathe.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Repairs kept from a turn's previous step (issue 55): the same message is handed on as repaired before, and only
 * while the target accepts the same tool-call ids; a message repaired to nothing stays out.
 */
class KeptRepairsTest {
    private static final Provider ANTHROPIC = new Provider("anthropic", "anthropic-messages", URI.create("https://api.anthropic.com/v1"), Optional.empty(),
            Map.of(), Map.of());
    private static final Provider MISTRAL = new Provider("mistral", "openai-chat", URI.create("https://api.mistral.ai/v1"), Optional.empty(), Map.of(),
            Map.of());

    private static LlmRequest request(List<LlmMessage> messages) {
        return new LlmRequest("m", List.of("a"), List.of(), messages, 100, ToolChoice.AUTO, Optional.empty(), Optional.empty());
    }

    @Test
    void aKeptRepairIsTheSameMessageAndAnotherProviderRepairsAfresh() {
        var call = LlmMessage.assistant(List.of(new Content.ToolCall("toolu_01.x", "read", "{}", Optional.empty())));
        var result = LlmMessage.user(List.of(new Content.ToolResult("toolu_01.x", "read", "", false)));
        var blank = LlmMessage.assistant(List.of(new Content.Text("  ")));
        var next = LlmMessage.user(List.of(new Content.Text("go on")));
        List<LlmMessage> messages = List.of(call, result, blank, next);
        var kept = KeptRepairs.create();

        LlmRequest first = RequestTransforms.apply(ANTHROPIC, request(messages), kept);
        LlmRequest second = RequestTransforms.apply(ANTHROPIC, request(messages), kept);
        assertThat(first).isEqualTo(RequestTransforms.apply(ANTHROPIC, request(messages)));
        assertThat(second).isEqualTo(first);
        assertThat(second.messages().getFirst()).isSameAs(first.messages().getFirst());
        assertThat(((Content.ToolCall) first.messages().getFirst().content().getFirst()).callId()).isEqualTo("toolu_01_x");

        LlmRequest mistral = RequestTransforms.apply(MISTRAL, request(messages), kept);
        assertThat(mistral).isEqualTo(RequestTransforms.apply(MISTRAL, request(messages)));
        assertThat(((Content.ToolCall) mistral.messages().getFirst().content().getFirst()).callId()).hasSize(9);
        assertThat(RequestTransforms.apply(ANTHROPIC, request(messages), kept)).isEqualTo(first);
    }
}
