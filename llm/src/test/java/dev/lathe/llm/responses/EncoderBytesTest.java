package dev.lathe.llm.responses;

import dev.lathe.llm.Content;
import dev.lathe.llm.LlmMessage;
import dev.lathe.llm.LlmRequest;
import dev.lathe.llm.ReasoningEffort;
import dev.lathe.llm.RecordedBodies;
import dev.lathe.llm.ToolChoice;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The Responses body byte for byte, every kind of content, each dialect (OpenAI itself, a compatible server, the ChatGPT
 * backend with its instructions) and a reasoning model or not: prompt caches key on the bytes, so writing the body as a
 * stream (issue 55) must send exactly what the tree did. The recorded bodies are the tree encoder's output, written
 * before the change.
 */
class EncoderBytesTest {
    private static final List<LlmMessage> HISTORY = RecordedBodies.history();

    @Test
    void everyKindOfContentToOpenAiItself() {
        var request = new LlmRequest("gpt-5", List.of("block A", "block B \"quoted\""), RecordedBodies.TOOLS, HISTORY, 4096, ToolChoice.AUTO,
                Optional.of(0.7), Optional.of("ses_1"), Optional.of(ReasoningEffort.LOW));
        RecordedBodies.check("responses-openai.json", Encoder.BODIES.body(request, Encoder.Dialect.of(URI.create("https://api.openai.com/v1"))).bytes());
    }

    @Test
    void aCompatibleServerWithTemperature() {
        var request = new LlmRequest("grok-x", List.of("block A"), RecordedBodies.TOOLS, HISTORY, 2048, ToolChoice.NONE, Optional.of(0.3),
                Optional.of("ses_1"));
        RecordedBodies.check("responses-compatible.json", Encoder.BODIES.body(request, Encoder.Dialect.of(URI.create("http://localhost:1234/v1"))).bytes());
    }

    @Test
    void theChatGptBackendTakesInstructions() {
        var request = new LlmRequest("gpt-5-codex", List.of("block A", "block B"), List.of(), List.of(LlmMessage.user(List.of(new Content.Text("hi")))),
                2048, ToolChoice.AUTO, Optional.empty(), Optional.of("ses_2"));
        RecordedBodies.check("responses-chatgpt.json",
                Encoder.BODIES.body(request, Encoder.Dialect.of(URI.create("https://chatgpt.com/backend-api/codex"))).bytes());
    }
}
