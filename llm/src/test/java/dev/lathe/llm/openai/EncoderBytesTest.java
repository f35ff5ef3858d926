package dev.lathe.llm.openai;


import dev.lathe.llm.Content;
import dev.lathe.llm.LlmMessage;
import dev.lathe.llm.LlmRequest;
import dev.lathe.llm.ReasoningEffort;
import dev.lathe.llm.RecordedBodies;
import dev.lathe.llm.ToolChoice;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The Chat Completions body byte for byte, every kind of content, both token-limit names (OpenAI itself: strict schemas
 * and the cache key): prompt caches key on the bytes, so writing the body as a stream (issue 55) must send exactly what
 * the tree did. The recorded bodies are the tree encoder's output, written before the change.
 */
class EncoderBytesTest {
    private static final List<LlmMessage> HISTORY = RecordedBodies.history();

    @Test
    void everyKindOfContentToACompatibleServer() {
        var request = new LlmRequest("gpt-x", List.of("block A", "block B \"quoted\""), RecordedBodies.TOOLS, HISTORY, 4096, ToolChoice.AUTO,
                Optional.of(0.7), Optional.of("ses_1"));
        RecordedBodies.check("openai-chat-compatible.json", Encoder.BODIES.body(request, Encoder.TokenLimitField.MAX_TOKENS).bytes());
    }

    @Test
    void everyKindOfContentToOpenAiItselfWithReasoning() {
        var request = new LlmRequest("o4-mini", List.of("block A"), RecordedBodies.TOOLS, HISTORY, 8192, ToolChoice.NONE, Optional.empty(),
                Optional.of("ses_1"), Optional.of(ReasoningEffort.HIGH));
        RecordedBodies.check("openai-chat-openai.json", Encoder.BODIES.body(request, Encoder.TokenLimitField.MAX_COMPLETION_TOKENS).bytes());
    }

    @Test
    void noSystemNoToolsOneMessage() {
        var request = new LlmRequest("m", List.of(), List.of(), List.of(LlmMessage.user(List.of(new Content.Text("hi")))), 10, ToolChoice.NONE,
                Optional.of(1.0), Optional.empty());
        RecordedBodies.check("openai-chat-bare.json", Encoder.BODIES.body(request, Encoder.TokenLimitField.MAX_TOKENS).bytes());
    }
}
