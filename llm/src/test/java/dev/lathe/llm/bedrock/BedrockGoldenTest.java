package dev.lathe.llm.bedrock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.llm.Content;
import dev.lathe.llm.Fixtures;
import dev.lathe.llm.LlmError;
import dev.lathe.llm.LlmEvent;
import dev.lathe.llm.LlmMessage;
import dev.lathe.llm.LlmRequest;
import dev.lathe.llm.ReasoningEffort;
import dev.lathe.llm.StopReason;
import dev.lathe.llm.TokenUsage;
import dev.lathe.llm.ToolChoice;
import dev.lathe.llm.ToolSpec;
import dev.lathe.llm.debug.MergedResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The vercel-ai Converse recordings decoded with exact expectations, plus the shapes no recording holds (cache usage,
 * exception events, other stop reasons) written as the ConverseStream API documents them.
 */
class BedrockGoldenTest {
    static final String DIR = "bedrock-converse/vercel-ai-amazon-bedrock/";
    static final String STREAM_SIGNATURE = "Ep0CCkgICxABGAIqQOWPB6/PmA5SW9jC6FvaNq3E+U9ev4FMWcFWuAho+VGLCtazKc5WDjQ5i0MuxsY0o5pKDSVWVKii8KJDusXH4eASDK7jyzuk8iij7fJNih"
            + "oMxHO9haYzt48R36HVIjCb/EmIFrJLIXShqN6DN//T6vZBtO9qj1QhNWJa3CGm8VZoq80S2/Ok4U0aVaIDiZcqggHC2b8BHuv8BHZrmsR0wjU1ynansBGMdfjnG+iIv8R5lPpRmYGhSVwNybw"
            + "P3aQZ6o8Dr48Rau8TJfdsArW+r7bvL7bPs4f5nnlp2vG7WkMzWwABHK3fdM44zZ1GZQaWyECNWR2GfY6dXiklo94vgpFTPuZ97mfiN3LY6uYyBwL8RkDaGAE=";

    static List<LlmEvent> events(List<String> lines) {
        var decoder = new Decoder();
        List<LlmEvent> events = new ArrayList<>();
        for (String line : lines) events.addAll(decoder.decode(line));
        events.addAll(decoder.end());
        return events;
    }

    static List<LlmEvent> events(String fixture) {
        return events(Fixtures.read(DIR + fixture).lines().filter(l -> !l.isBlank()).toList());
    }

    static MergedResponse decode(String... lines) { return MergedResponse.of(events(List.of(lines))); }

    @Test
    void text() {
        MergedResponse m = MergedResponse.of(events("amazon-bedrock-text.chunks.txt"));
        assertThat(m.text()).isEqualTo("Let me count the \"r\"s in \"strawberry\":\n\ns-t-**r**-a-w-b-e-**r**-**r**-y\n\nThere are **3** r's in \"strawberry.\"");
        assertThat(m.usage()).contains(new TokenUsage(22, 55, 0, 0, 0));
        assertThat(m.finished()).isEqualTo(LlmEvent.Finished.ok(StopReason.STOP));
    }

    @Test
    void aToolCallWithStreamedInput() {
        List<LlmEvent> events = events("amazon-bedrock-json-other-tool.1.chunks.txt");
        assertThat(events).containsExactly(
                new LlmEvent.ToolCallStarted(0, "toolu_01PQjhxo3eirCdKNvCJrKc8f", "get-weather"),
                new LlmEvent.ToolCallArgsDelta(0, "{\"location\":"),
                new LlmEvent.ToolCallArgsDelta(0, "\"San Francisco\"}"),
                new LlmEvent.ToolCallFinished(0, "toolu_01PQjhxo3eirCdKNvCJrKc8f", "get-weather", "{\"location\":\"San Francisco\"}"),
                new LlmEvent.UsageReported(new TokenUsage(843, 28, 0, 0, 0)),
                LlmEvent.Finished.ok(StopReason.TOOL_CALLS));
    }

    @Test
    void textThenParallelToolCalls() {
        MergedResponse m = MergedResponse.of(events("amazon-bedrock-json-tool-text-then-weather-then-json.1.chunks.txt"));
        assertThat(m.text()).isEqualTo("2 + 2 equals 4. Now let me check the weather for you.");
        assertThat(m.toolCalls()).extracting(LlmEvent.ToolCallFinished::callId).containsExactly("weather-tool-1", "weather-tool-2");
        assertThat(m.toolCalls()).extracting(LlmEvent.ToolCallFinished::argsJson)
                .containsExactly("{\"location\":\"San Francisco\"}", "{\"location\":\"London\"}");
        assertThat(m.usage()).contains(new TokenUsage(500, 100, 0, 0, 0));
        assertThat(m.finish()).isEqualTo(StopReason.TOOL_CALLS);
    }

    @Test
    void reasoningWithItsSignature() {
        List<LlmEvent> events = events("amazon-bedrock-reasoning.chunks.txt");
        MergedResponse m = MergedResponse.of(events);
        assertThat(m.reasoning()).isEqualTo("Let me count the r's in \"strawberry\":\n\ns-t-r-a-w-b-e-r-r-y\n\nr appears at positions 3, 8, and 9.\n\nSo there are 3 r's.");
        assertThat(m.signature()).contains(STREAM_SIGNATURE);
        assertThat(events).contains(new LlmEvent.ReasoningDelta(0, "", Optional.of(STREAM_SIGNATURE)));
        assertThat(m.text()).isEqualTo("There are **3** r's in \"strawberry\":\n\n1. st**r**awbe**r****r**y");
        assertThat(events).filteredOn(LlmEvent.TextDelta.class::isInstance).allSatisfy(e -> assertThat(((LlmEvent.TextDelta) e).block()).isEqualTo(1));
        assertThat(m.usage()).contains(new TokenUsage(51, 94, 0, 0, 0));
        assertThat(m.finished()).isEqualTo(LlmEvent.Finished.ok(StopReason.STOP));
    }

    @Test
    void theResponseIsCompleteOnlyOnceMetadataFollowsMessageStop() {
        var decoder = new Decoder();
        decoder.decode("{\"contentBlockDelta\":{\"contentBlockIndex\":0,\"delta\":{\"text\":\"hi\"}}}");
        assertThat(decoder.decode("{\"messageStop\":{\"stopReason\":\"end_turn\"}}")).isEmpty();
        assertThat(decoder.isDone()).isFalse();
        assertThat(decoder.decode("{\"metadata\":{\"usage\":{\"inputTokens\":3,\"outputTokens\":1,\"totalTokens\":4}}}"))
                .containsExactly(new LlmEvent.UsageReported(new TokenUsage(3, 1, 0, 0, 0)), LlmEvent.Finished.ok(StopReason.STOP));
        assertThat(decoder.isDone()).isTrue();
        assertThat(decoder.end()).isEmpty();

        // the stream closing after messageStop is complete, without usage; closing before it is not
        assertThat(decode("{\"messageStop\":{\"stopReason\":\"end_turn\"}}").finished()).isEqualTo(LlmEvent.Finished.ok(StopReason.STOP));
        assertThat(decode("{\"contentBlockDelta\":{\"contentBlockIndex\":0,\"delta\":{\"text\":\"hi\"}}}").error())
                .get().isInstanceOf(LlmError.Transport.class);
    }

    @Test
    void usageCountsCacheReadsAndWritesApartFromInput() {
        // Claude on Bedrock: inputTokens is the uncached part, totalTokens counts everything
        assertThat(decode("{\"messageStop\":{\"stopReason\":\"end_turn\"}}",
                "{\"metadata\":{\"usage\":{\"inputTokens\":12,\"outputTokens\":30,\"totalTokens\":2542,\"cacheReadInputTokens\":2000,\"cacheWriteInputTokens\":500}}}")
                .usage()).contains(new TokenUsage(12, 30, 0, 2000, 500));
        // a model that counts the cache inside inputTokens (total = input + output): the cached part is taken out
        assertThat(decode("{\"messageStop\":{\"stopReason\":\"end_turn\"}}",
                "{\"metadata\":{\"usage\":{\"inputTokens\":2512,\"outputTokens\":30,\"totalTokens\":2542,\"cacheReadInputTokens\":2000,\"cacheWriteInputTokens\":500}}}")
                .usage()).contains(new TokenUsage(12, 30, 0, 2000, 500));
    }

    @Test
    void stopReasons() {
        assertThat(stop("end_turn")).isEqualTo(StopReason.STOP);
        assertThat(stop("stop_sequence")).isEqualTo(StopReason.STOP);
        assertThat(stop("tool_use")).isEqualTo(StopReason.TOOL_CALLS);
        assertThat(stop("max_tokens")).isEqualTo(StopReason.LENGTH);
        assertThat(stop("model_context_window_exceeded")).isEqualTo(StopReason.LENGTH);
        assertThat(stop("content_filtered")).isEqualTo(StopReason.CONTENT_FILTER);
        assertThat(stop("guardrail_intervened")).isEqualTo(StopReason.CONTENT_FILTER);
    }

    private static StopReason stop(String reason) {
        MergedResponse m = decode("{\"messageStop\":{\"stopReason\":\"" + reason + "\"}}", "{\"metadata\":{\"usage\":{}}}");
        assertThat(m.error()).isEmpty();
        return m.finish();
    }

    @Test
    void exceptionEventsEndTheStreamWithTypedErrors() {
        List<LlmEvent> events = events(List.of("{\"contentBlockDelta\":{\"contentBlockIndex\":0,\"delta\":{\"text\":\"par\"}}}",
                "{\"throttlingException\":{\"message\":\"Too many requests, please wait before trying again.\"}}",
                "{\"contentBlockDelta\":{\"contentBlockIndex\":0,\"delta\":{\"text\":\"ignored\"}}}"));
        assertThat(events).containsExactly(new LlmEvent.TextDelta(0, "par"),
                LlmEvent.Finished.failed(new LlmError.RateLimited(Optional.empty(), "Too many requests, please wait before trying again.")));

        assertThat(streamError("serviceUnavailableException", "Bedrock is unable to process your request.")).isInstanceOf(LlmError.Overloaded.class);
        assertThat(streamError("modelNotReadyException", "not ready")).isInstanceOf(LlmError.Overloaded.class);
        assertThat(streamError("validationException", "Input is too long for requested model.")).isEqualTo(new LlmError.ContextOverflow("Input is too long for requested model."));
        assertThat(streamError("validationException", "prompt is too long: 250000 tokens > 200000 maximum")).isInstanceOf(LlmError.ContextOverflow.class);
        assertThat(streamError("validationException", "The model returned the following errors: too many tokens")).isInstanceOf(LlmError.ContextOverflow.class);
        assertThat(streamError("validationException", "messages.1.content: Field required")).isEqualTo(new LlmError.InvalidRequest(400, "messages.1.content: Field required"));
        assertThat(streamError("internalServerException", "oops")).isInstanceOfSatisfying(LlmError.Transport.class,
                e -> assertThat(e.message()).contains("internalServerException", "oops"));
        assertThat(streamError("modelStreamErrorException", "stream error")).isInstanceOf(LlmError.Transport.class);
    }

    private static LlmError streamError(String type, String message) {
        return decode("{\"" + type + "\":{\"message\":\"" + message + "\"}}").error().orElseThrow();
    }

    @Test
    void redactedReasoningKeepsItsDataForTheWayBack() {
        MergedResponse m = decode("{\"contentBlockDelta\":{\"contentBlockIndex\":0,\"delta\":{\"reasoningContent\":{\"redactedContent\":\"ZW5jcnlwdGVk\"}}}}",
                "{\"contentBlockStop\":{\"contentBlockIndex\":0}}", "{\"messageStop\":{\"stopReason\":\"end_turn\"}}");
        assertThat(m.signature()).contains("redacted:ZW5jcnlwdGVk");
        assertThat(m.reasoning()).isEmpty();
        JsonNode block = Encoder.tree(request("anthropic.claude-3-7-sonnet-20250219-v1:0",
                List.of(LlmMessage.user(List.of(new Content.Text("q"))), LlmMessage.assistant(List.of(new Content.Reasoning("", m.signature()), new Content.Text("a"))))))
                .path("messages").get(1).path("content").get(0);
        assertThat(block).isEqualTo(Fixtures.JSON.readTree("{\"reasoningContent\":{\"redactedContent\":\"ZW5jcnlwdGVk\"}}"));
    }

    @Test
    void aCompleteBodyDecodesLikeItsStream() {
        var codec = new BedrockCodec();
        MergedResponse m = MergedResponse.of(codec.decodeBody(Fixtures.read(DIR + "amazon-bedrock-json-with-tool.1.json")));
        assertThat(m.text()).isEqualTo("Let me call a tool first.Now the JSON.");
        assertThat(m.toolCalls()).containsExactly(new LlmEvent.ToolCallFinished(1, "tool-1", "get-weather", "{\"location\":\"SF\"}"),
                new LlmEvent.ToolCallFinished(3, "json-tool-id", "json", "{\"result\":\"data\"}"));
        assertThat(m.usage()).contains(new TokenUsage(22, 48, 0, 0, 0));
        assertThat(m.finish()).isEqualTo(StopReason.TOOL_CALLS);
        assertThat(MergedResponse.of(codec.decodeBody("{\"message\":\"Something went wrong\"}")).error())
                .get().isInstanceOf(LlmError.Transport.class);
    }

    /** Signed reasoning and tool calls decoded from a recording go back exactly as the API sent them. */
    @Test
    void reasoningSignatureAndToolCallsRoundTrip() {
        var codec = new BedrockCodec();
        JsonNode body = Fixtures.JSON.readTree(Fixtures.read(DIR + "amazon-bedrock-reasoning.json"));
        MergedResponse m = MergedResponse.of(codec.decodeBody(body.toString()));
        assertThat(m.signature()).get().asString().startsWith("EvYBCkgICxABGAIqQA9E9VC377UnbjdfXCw4RwQ");
        JsonNode sent = Encoder.tree(request("us.anthropic.claude-sonnet-4-5-20250929-v1:0", List.of(LlmMessage.user(List.of(new Content.Text("How many r's?"))),
                LlmMessage.assistant(List.of(new Content.Reasoning(m.reasoning(), m.signature()), new Content.Text(m.text())))))).path("messages").get(1);
        assertThat(sent.path("content").get(0)).isEqualTo(body.path("output").path("message").path("content").get(0));
        assertThat(sent.path("content").get(1)).isEqualTo(body.path("output").path("message").path("content").get(1));

        JsonNode tools = Fixtures.JSON.readTree(Fixtures.read(DIR + "amazon-bedrock-json-tool.1.json"));
        MergedResponse t = MergedResponse.of(codec.decodeBody(tools.toString()));
        List<Content> calls = t.toolCalls().stream().map(c -> (Content) new Content.ToolCall(c.callId(), c.name(), c.argsJson())).toList();
        JsonNode back = Encoder.tree(request("meta.llama3-70b-instruct-v1:0", List.of(LlmMessage.user(List.of(new Content.Text("q"))), LlmMessage.assistant(calls))))
                .path("messages").get(1).path("content");
        assertThat(back).isEqualTo(tools.path("output").path("message").path("content"));
    }

    private static LlmRequest request(String model, List<LlmMessage> messages) {
        return new LlmRequest(model, List.of(), List.of(), messages, 1000, ToolChoice.AUTO, Optional.empty(), Optional.empty());
    }

    /** The whole body for a Claude agent step: cache points after each system block and the last two messages, messages last. */
    @Test
    void encodesAClaudeAgentStep() {
        var request = new LlmRequest("us.anthropic.claude-sonnet-4-5-20250929-v1:0", List.of("You are Lathe.", "Project rules."),
                List.of(new ToolSpec("read", "Read a file", "{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\"}}}"),
                        new ToolSpec("bash", "", "{\"type\":\"object\"}")),
                List.of(LlmMessage.user(List.of(new Content.Text("look at a.png"), new Content.Image("image/png", "iVBORw0KGgo="))),
                        LlmMessage.assistant(List.of(new Content.Reasoning("unsigned thoughts", Optional.empty()), new Content.Text(" "),
                                new Content.ToolCall("tooluse_1", "read", "{\"path\":\"a.png\"}"), new Content.ToolCall("tooluse_2", "bash", "{broken"))),
                        LlmMessage.user(List.of(new Content.ToolResult("tooluse_1", "read", "binary", false), new Content.ToolResult("tooluse_2", "bash", "", true)))),
                4096, ToolChoice.AUTO, Optional.of(0.2), Optional.of("cache-key"));
        JsonNode expected = Fixtures.JSON.readTree("""
                {"inferenceConfig":{"maxTokens":4096,"temperature":0.2},
                 "toolConfig":{"tools":[
                    {"toolSpec":{"name":"read","description":"Read a file","inputSchema":{"json":{"type":"object","properties":{"path":{"type":"string"}}}}}},
                    {"toolSpec":{"name":"bash","inputSchema":{"json":{"type":"object"}}}}],
                  "toolChoice":{"auto":{}}},
                 "system":[{"text":"You are Lathe."},{"cachePoint":{"type":"default"}},{"text":"Project rules."},{"cachePoint":{"type":"default"}}],
                 "messages":[
                    {"role":"user","content":[{"text":"look at a.png"},{"image":{"format":"png","source":{"bytes":"iVBORw0KGgo="}}}]},
                    {"role":"assistant","content":[{"toolUse":{"toolUseId":"tooluse_1","name":"read","input":{"path":"a.png"}}},
                        {"toolUse":{"toolUseId":"tooluse_2","name":"bash","input":{}}},{"cachePoint":{"type":"default"}}]},
                    {"role":"user","content":[{"toolResult":{"toolUseId":"tooluse_1","content":[{"text":"binary"}],"status":"success"}},
                        {"toolResult":{"toolUseId":"tooluse_2","content":[{"text":"(no output)"}],"status":"error"}},{"cachePoint":{"type":"default"}}]}]}
                """);
        JsonNode ours = Encoder.tree(request);
        assertThat(ours).isEqualTo(expected);
        assertThat(List.copyOf(ours.propertyNames())).containsExactly("inferenceConfig", "toolConfig", "system", "messages");
    }

    @Test
    void reasoningEffortIsClaudeThinkingWithABudgetAndNoTemperature() {
        var request = new LlmRequest("anthropic.claude-3-7-sonnet-20250219-v1:0", List.of(), List.of(), List.of(LlmMessage.user(List.of(new Content.Text("hi")))),
                16_000, ToolChoice.AUTO, Optional.of(0.5), Optional.empty(), Optional.of(ReasoningEffort.MEDIUM));
        JsonNode ours = Encoder.tree(request);
        assertThat(ours.path("additionalModelRequestFields")).isEqualTo(Fixtures.JSON.readTree("{\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":12000}}"));
        assertThat(ours.path("inferenceConfig")).isEqualTo(Fixtures.JSON.readTree("{\"maxTokens\":16000}"));
        assertThat(List.copyOf(ours.propertyNames()).getLast()).isEqualTo("messages");
    }

    /** Models other than Claude and Nova reject cache points and the tool-result status; tool choice none is left out. */
    @Test
    void otherModelsGetNeitherCachePointsNorStatusNorThinking() {
        var request = new LlmRequest("meta.llama3-3-70b-instruct-v1:0", List.of("A", "B"), List.of(new ToolSpec("read", "Read", "{\"type\":\"object\"}")),
                List.of(LlmMessage.user(List.of(new Content.Text("hi"))), LlmMessage.assistant(List.of(new Content.ToolCall("c1", "read", "{}"))),
                        LlmMessage.user(List.of(new Content.ToolResult("c1", "read", "out", true)))),
                1000, ToolChoice.NONE, Optional.of(0.7), Optional.empty(), Optional.of(ReasoningEffort.HIGH));
        JsonNode ours = Encoder.tree(request);
        assertThat(ours.toString()).doesNotContain("cachePoint", "status", "thinking");
        assertThat(ours.path("system")).isEqualTo(Fixtures.JSON.readTree("[{\"text\":\"A\"},{\"text\":\"B\"}]"));
        assertThat(ours.path("toolConfig").has("toolChoice")).isFalse();
        assertThat(ours.path("toolConfig").path("tools")).hasSize(1);
        assertThat(ours.path("inferenceConfig").path("temperature").asDouble()).isEqualTo(0.7);
        // Nova takes cache points
        assertThat(Encoder.tree(new LlmRequest("us.amazon.nova-pro-v1:0", List.of("A"), List.of(), List.of(LlmMessage.user(List.of(new Content.Text("hi")))),
                100, ToolChoice.AUTO, Optional.empty(), Optional.empty())).toString()).contains("cachePoint");
    }

    @Test
    void sameRoleMessagesAreJoinedAndNoToolsMeansNoToolConfig() {
        JsonNode ours = Encoder.tree(request("anthropic.claude-3-haiku-20240307-v1:0", List.of(LlmMessage.user(List.of(new Content.Text("a"))),
                LlmMessage.assistant(List.of(new Content.Reasoning("unsigned", Optional.empty()))), LlmMessage.user(List.of(new Content.Text("b"))))));
        assertThat(ours.has("toolConfig")).isFalse();
        assertThat(ours.has("system")).isFalse();
        assertThat(ours.path("messages")).hasSize(1);
        assertThat(ours.path("messages").get(0).path("content")).isEqualTo(Fixtures.JSON.readTree("[{\"text\":\"a\"},{\"text\":\"b\"},{\"cachePoint\":{\"type\":\"default\"}}]"));
    }

    @Test
    void httpErrorsAreTypedByTheErrorTypeHeader() {
        var codec = new BedrockCodec();
        assertThat(codec.decodeError(400, "{\"message\":\"Input is too long for requested model.\"}",
                Map.of("x-amzn-errortype", "ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/")))
                .isEqualTo(new LlmError.ContextOverflow("Input is too long for requested model."));
        assertThat(codec.decodeError(400, "{\"message\":\"Malformed input request: extraneous key [foo] is not permitted\"}",
                Map.of("x-amzn-errortype", "ValidationException"))).isInstanceOfSatisfying(LlmError.InvalidRequest.class, e -> assertThat(e.status()).isEqualTo(400));
        assertThat(codec.decodeError(429, "{\"message\":\"Too many requests, please wait before trying again.\"}",
                Map.of("x-amzn-errortype", "ThrottlingException", "retry-after", "3")))
                .isEqualTo(new LlmError.RateLimited(Optional.of(java.time.Duration.ofSeconds(3)), "Too many requests, please wait before trying again."));
        assertThat(codec.decodeError(503, "{\"message\":\"Service unavailable\"}", Map.of("x-amzn-errortype", "ServiceUnavailableException")))
                .isInstanceOf(LlmError.Overloaded.class);
        assertThat(codec.decodeError(500, "{\"Message\":\"Internal\"}", Map.of())).isInstanceOf(LlmError.Transport.class);
        assertThat(codec.decodeError(400, "{\"__type\":\"com.amazon.coral.validate#ValidationException\",\"message\":\"too many tokens\"}", Map.of()))
                .isInstanceOf(LlmError.ContextOverflow.class);
        assertThat(codec.decodeError(404, "<html>not found</html>", Map.of())).isEqualTo(new LlmError.InvalidRequest(404, "<html>not found</html>"));
    }

    @Test
    void authorisationFailuresKeepOnlyTheFirstSentence() {
        var codec = new BedrockCodec();
        String echo = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method."
                + " Consult the service documentation for details.\n\nThe Canonical String for this request should have been\n'POST\n/model/x\n\nhost:h\n"
                + "x-amz-security-token:SESSIONTOKENVALUE\n'";
        assertThat(codec.decodeError(403, "{\"message\":\"" + echo.replace("\n", "\\n").replace("'", "\\u0027") + "\"}",
                Map.of("x-amzn-errortype", "InvalidSignatureException"))).isInstanceOfSatisfying(LlmError.Unauthorized.class,
                        e -> assertThat(e.message()).startsWith("The request signature we calculated").doesNotContain("SESSIONTOKENVALUE", "Canonical"));
        assertThat(codec.decodeError(403, "{\"message\":\"You don't have access to the model with the specified model ID.\"}",
                Map.of("x-amzn-errortype", "AccessDeniedException"))).isEqualTo(new LlmError.Unauthorized("You don't have access to the model with the specified model ID."));
        assertThat(codec.decodeError(403, "{\"Message\":\"Bearer token rejected\"}", Map.of())).isInstanceOf(LlmError.Unauthorized.class);
    }

    @Test
    void aRecordingWithSeveralResponsesSplitsAtMessageStart() {
        var decoder = new Decoder();
        assertThat(decoder.startsAnotherResponse("{\"messageStart\":{\"role\":\"assistant\"}}")).isTrue();
        assertThat(decoder.startsAnotherResponse("{\"contentBlockDelta\":{}}")).isFalse();
    }
}
