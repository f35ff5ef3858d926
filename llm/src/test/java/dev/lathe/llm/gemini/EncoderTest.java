package dev.lathe.llm.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.llm.Content;
import dev.lathe.llm.Fixtures;
import dev.lathe.llm.LlmMessage;
import dev.lathe.llm.LlmRequest;
import dev.lathe.llm.ReasoningEffort;
import dev.lathe.llm.ToolChoice;
import dev.lathe.llm.ToolSpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class EncoderTest {
    private static final ToolSpec READ = new ToolSpec("read", "Read a file", "{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\"}},\"required\":[\"path\"]}");

    private static LlmRequest request(String model, List<LlmMessage> messages) {
        return new LlmRequest(model, List.of("block A", "block B"), List.of(READ), messages, 8000, ToolChoice.AUTO, Optional.empty(), Optional.empty());
    }

    private static JsonNode json(String s) { return Fixtures.JSON.readTree(s); }

    @Test
    void systemBlocksAreSeparatePartsAndContentsComeLast() {
        JsonNode body = Encoder.tree(request("gemini-2.5-pro", List.of(LlmMessage.user(List.of(new Content.Text("hi"))))));
        assertThat(body.path("systemInstruction")).isEqualTo(json("{\"parts\":[{\"text\":\"block A\"},{\"text\":\"block B\"}]}"));
        assertThat(body.propertyNames()).containsExactly("systemInstruction", "tools", "toolConfig", "generationConfig", "contents");
        assertThat(body.path("contents")).isEqualTo(json("[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]"));
        assertThat(body.path("generationConfig")).isEqualTo(json("{\"maxOutputTokens\":8000}"));
        assertThat(body.path("tools")).isEqualTo(json("""
                [{"functionDeclarations":[{"name":"read","description":"Read a file",
                  "parameters":{"type":"OBJECT","properties":{"path":{"type":"STRING"}},"required":["path"]}}]}]"""));
        var bare = new LlmRequest("m", List.of(" "), List.of(), List.of(LlmMessage.user(List.of(new Content.Text("hi")))), 10, ToolChoice.AUTO,
                Optional.empty(), Optional.empty());
        assertThat(Encoder.tree(bare).propertyNames()).containsExactly("generationConfig", "contents");
    }

    @Test
    void eachStepsBodyIsAPrefixOfTheNextOnes() {
        List<LlmMessage> messages = new ArrayList<>(List.of(LlmMessage.user(List.of(new Content.Text("read a")))));
        String step1 = new String(Encoder.encode(request("gemini-2.5-pro", messages)), StandardCharsets.UTF_8);
        messages.add(LlmMessage.assistant(List.of(new Content.ToolCall("c1", "read", "{\"path\":\"a\"}", Optional.of("sig")))));
        messages.add(LlmMessage.user(List.of(new Content.ToolResult("c1", "read", "contents of a", false))));
        String step2 = new String(Encoder.encode(request("gemini-2.5-pro", messages)), StandardCharsets.UTF_8);
        assertThat(step1).endsWith("]}");
        assertThat(step2).startsWith(step1.substring(0, step1.length() - 2));
    }

    @Test
    void reasoningEffortSetsAThinkingBudgetWithThoughtsIncluded() {
        var request = new LlmRequest("gemini-2.5-pro", List.of(), List.of(), List.of(LlmMessage.user(List.of(new Content.Text("hi")))), 16_000,
                ToolChoice.AUTO, Optional.of(0.3), Optional.empty(), Optional.of(ReasoningEffort.MEDIUM));
        assertThat(Encoder.tree(request).path("generationConfig"))
                .isEqualTo(json("{\"maxOutputTokens\":16000,\"temperature\":0.3,\"thinkingConfig\":{\"thinkingBudget\":12000,\"includeThoughts\":true}}"));
    }

    @Test
    void toolChoiceNoneKeepsTheDeclarations() {
        var request = new LlmRequest("m", List.of(), List.of(READ), List.of(LlmMessage.user(List.of(new Content.Text("hi")))), 10, ToolChoice.NONE,
                Optional.empty(), Optional.empty());
        JsonNode body = Encoder.tree(request);
        assertThat(body.path("toolConfig")).isEqualTo(json("{\"functionCallingConfig\":{\"mode\":\"NONE\"}}"));
        assertThat(body.path("tools").path(0).path("functionDeclarations")).hasSize(1);
        var noArgs = new LlmRequest("m", List.of(), List.of(new ToolSpec("now", "", "{\"type\":\"object\",\"properties\":{}}")), List.of(), 10,
                ToolChoice.AUTO, Optional.empty(), Optional.empty());
        assertThat(Encoder.tree(noArgs).path("tools")).isEqualTo(json("[{\"functionDeclarations\":[{\"name\":\"now\"}]}]"));
    }

    @Test
    void resultsOfOneTurnGoTogetherBeforeWhatTheUserAdded() {
        JsonNode contents = Encoder.tree(request("gemini-2.5-pro", List.of(
                LlmMessage.user(List.of(new Content.Text("look"), new Content.Image("image/png", "iVBORw0KGgo="))),
                LlmMessage.assistant(List.of(new Content.ToolCall("lathe_r1_0", "read", "{\"path\":\"a\"}"),
                        new Content.ToolCall("lathe_r1_1", "read", "{\"path\": "))),
                LlmMessage.user(List.of(new Content.ToolResult("lathe_r1_0", "read", "A", false), new Content.Text("also this"),
                        new Content.ToolResult("lathe_r1_1", "read", "bad arguments", true)))))).path("contents");
        assertThat(contents.get(0)).isEqualTo(json("""
                {"role":"user","parts":[{"text":"look"},{"inlineData":{"mimeType":"image/png","data":"iVBORw0KGgo="}}]}"""));
        // ids the decoder made up are not sent; malformed arguments go as an empty object
        assertThat(contents.get(1)).isEqualTo(json("""
                {"role":"model","parts":[{"functionCall":{"name":"read","args":{"path":"a"}}},{"functionCall":{"name":"read","args":{}}}]}"""));
        assertThat(contents.get(2)).isEqualTo(json("""
                {"role":"user","parts":[{"functionResponse":{"name":"read","response":{"output":"A"}}},
                                        {"functionResponse":{"name":"read","response":{"error":"bad arguments"}}},
                                        {"text":"also this"}]}"""));
    }

    @Test
    void onlySignedReasoningGoesBack() {
        JsonNode model = Encoder.tree(request("gemini-2.5-pro", List.of(LlmMessage.user(List.of(new Content.Text("hi"))),
                LlmMessage.assistant(List.of(new Content.Reasoning("unsigned thoughts", Optional.empty()),
                        new Content.Reasoning("signed thoughts", Optional.of("S1")),
                        new Content.Text("answer"), new Content.Reasoning("", Optional.of("S2")),
                        new Content.ToolCall("g1", "read", "{\"path\":\"a\"}", Optional.of("S3"))))))).path("contents").get(1);
        assertThat(model).isEqualTo(json("""
                {"role":"model","parts":[{"text":"signed thoughts","thought":true,"thoughtSignature":"S1"},
                                         {"text":"answer","thoughtSignature":"S2"},
                                         {"functionCall":{"id":"g1","name":"read","args":{"path":"a"}},"thoughtSignature":"S3"}]}"""));
        // a signature with no text before it to ride on is left out, and a turn of only unsigned reasoning vanishes
        JsonNode contents = Encoder.tree(request("gemini-2.5-pro", List.of(LlmMessage.user(List.of(new Content.Text("hi"))),
                LlmMessage.assistant(List.of(new Content.Reasoning("", Optional.of("S")), new Content.Reasoning("hmm", Optional.empty())))))).path("contents");
        assertThat(contents).hasSize(1);
    }

    @Test
    void gemini3GetsTheSkipSentinelOnTheFirstUnsignedCallOfATurn() {
        List<LlmMessage> messages = List.of(LlmMessage.user(List.of(new Content.Text("hi"))),
                LlmMessage.assistant(List.of(new Content.ToolCall("toolu_1", "read", "{\"path\":\"a\"}"), new Content.ToolCall("toolu_2", "read", "{\"path\":\"b\"}"))),
                LlmMessage.user(List.of(new Content.ToolResult("toolu_1", "read", "A", false), new Content.ToolResult("toolu_2", "read", "B", false))),
                LlmMessage.assistant(List.of(new Content.ToolCall("x", "read", "{\"path\":\"c\"}", Optional.of("REAL")))));
        JsonNode gemini3 = Encoder.tree(request("gemini-3-pro-preview", messages)).path("contents");
        assertThat(gemini3.get(1).path("parts").get(0).path("thoughtSignature").asString()).isEqualTo(Encoder.SKIP_SIGNATURE_VALIDATOR);
        assertThat(gemini3.get(1).path("parts").get(1).has("thoughtSignature")).isFalse();
        assertThat(gemini3.get(3).path("parts").get(0).path("thoughtSignature").asString()).isEqualTo("REAL");
        JsonNode gemini25 = Encoder.tree(request("models/gemini-2.5-flash", messages)).path("contents");
        assertThat(gemini25.get(1).path("parts").get(0).has("thoughtSignature")).isFalse();
        assertThat(Encoder.validatesSignatures("gemini-3.1-pro-preview")).isTrue();
        assertThat(Encoder.validatesSignatures("models/gemini-3-flash")).isTrue();
        assertThat(Encoder.validatesSignatures("gemini-2.5-pro")).isFalse();
        assertThat(Encoder.validatesSignatures("gemma-3-27b-it")).isFalse();
    }
}
