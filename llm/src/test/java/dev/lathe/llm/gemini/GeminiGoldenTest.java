package dev.lathe.llm.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.llm.Content;
import dev.lathe.llm.Fixtures;
import dev.lathe.llm.LlmError;
import dev.lathe.llm.LlmEvent;
import dev.lathe.llm.LlmMessage;
import dev.lathe.llm.LlmRequest;
import dev.lathe.llm.StopReason;
import dev.lathe.llm.TokenUsage;
import dev.lathe.llm.ToolChoice;
import dev.lathe.llm.ToolSpec;
import dev.lathe.llm.debug.MergedResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Exact decoding of chosen recordings and of the shapes no recording holds (cached tokens, MAX_TOKENS, safety stops),
 * and the encoder against recorded requests: what a response decoded to goes back out as Gemini expects it.
 */
class GeminiGoldenTest {
    static final String GOOGLE = "gemini/vercel-ai-google/";
    static final String FANTASY = "gemini/charmbracelet-fantasy/";

    static Fixtures.Entry entry(String file) {
        return Fixtures.entries("gemini").stream().filter(e -> e.file().equals(file)).findFirst().orElseThrow();
    }

    static List<LlmEvent> events(List<String> data) {
        var decoder = new Decoder();
        List<LlmEvent> events = new ArrayList<>();
        for (String d : data) events.addAll(decoder.decode(d));
        events.addAll(decoder.end());
        return events;
    }

    static MergedResponse decode(List<String> data) { return MergedResponse.of(events(data)); }

    static MergedResponse stream(String file, int index) { return decode(Fixtures.streams(entry(file)).get(index)); }

    @Test
    void textThenASignatureOnAnEmptyFinalPart() {
        List<LlmEvent> events = events(Fixtures.streams(entry(GOOGLE + "google-text.chunks.txt")).getFirst());
        MergedResponse m = MergedResponse.of(events);
        assertThat(m.text()).isEqualTo("There are **3** \"r\"s in strawberry.\n\nst**r**awbe**rr**y");
        assertThat(m.reasoning()).isEmpty();
        List<String> chunks = Fixtures.streams(entry(GOOGLE + "google-text.chunks.txt")).getFirst();
        assertThat(m.signature()).contains(signatureOfFirstPart(chunks.getLast())).get().asString().startsWith("EqsFCqgFAb4+9vvtAF5n87lB4OGD");
        // text is block 0; the signature gets a block of its own after it
        assertThat(events).filteredOn(LlmEvent.TextDelta.class::isInstance).extracting(e -> ((LlmEvent.TextDelta) e).block()).containsOnly(0);
        assertThat(events).filteredOn(LlmEvent.ReasoningDelta.class::isInstance).extracting(e -> ((LlmEvent.ReasoningDelta) e).block()).containsExactly(1);
        // 23 answer tokens + 185 thinking tokens
        assertThat(m.usage()).contains(new TokenUsage(9, 208, 185, 0, 0));
        assertThat(m.finished()).isEqualTo(LlmEvent.Finished.ok(StopReason.STOP));
    }

    /** The signature as recorded, read straight from the chunk. */
    static String signatureOfFirstPart(String chunk) {
        return Fixtures.JSON.readTree(chunk).path("candidates").path(0).path("content").path("parts").path(0).path("thoughtSignature").asString();
    }

    @Test
    void thoughtsThenACallCarryingTheThoughtSignature() {
        String file = FANTASY + "TestGoogleThinking/gemini-2.5-pro/thinking-streaming.cassette.json";
        List<String> chunks = Fixtures.streams(entry(file)).getFirst();
        List<LlmEvent> events = events(chunks);
        MergedResponse m = MergedResponse.of(events);
        assertThat(m.reasoning()).startsWith("**Mapping the Inquiry**\n\nI've successfully identified the user's request").endsWith("\"Florence, Italy\".\n\n\n");
        assertThat(m.text()).isEmpty();
        assertThat(m.toolCalls()).hasSize(1);
        LlmEvent.ToolCallFinished call = m.toolCalls().getFirst();
        assertThat(call.name()).isEqualTo("weather");
        assertThat(call.argsJson()).isEqualTo("{\"location\":\"Florence, Italy\"}");
        // Gemini 2.5 sends no call id: one is made up from the response id, unique across the conversation
        assertThat(call.callId()).isEqualTo("lathe_2ACzaf-8I9HRz7IPlMmB4Qk_0");
        assertThat(call.signature()).contains(signatureOfFirstPart(chunks.get(1))).get().asString().startsWith("CiIBvj72+9zt1F5hZ22f1eeW7Px6");
        // the thought block, then the call in a block of its own
        assertThat(events).filteredOn(LlmEvent.ReasoningDelta.class::isInstance).extracting(e -> ((LlmEvent.ReasoningDelta) e).block()).containsOnly(0);
        assertThat(events).filteredOn(LlmEvent.ToolCallStarted.class::isInstance).containsExactly(new LlmEvent.ToolCallStarted(1, call.callId(), "weather"));
        assertThat(m.usage()).contains(new TokenUsage(54, 78, 64, 0, 0));
        assertThat(m.finished()).isEqualTo(LlmEvent.Finished.ok(StopReason.TOOL_CALLS));
    }

    @Test
    void parallelCallsKeepGeminisIdsAndOnlyTheFirstIsSigned() {
        String file = FANTASY + "TestGoogleCommon/gemini-3-pro-preview/multi_tool_streaming.cassette.json";
        MergedResponse first = stream(file, 0);
        assertThat(first.toolCalls()).extracting(LlmEvent.ToolCallFinished::callId).containsExactly("8hd01vsf", "k0srpqrc");
        assertThat(first.toolCalls()).extracting(LlmEvent.ToolCallFinished::name).containsExactly("add", "multiply");
        assertThat(first.toolCalls()).extracting(c -> Fixtures.JSON.readTree(c.argsJson())).containsOnly(Fixtures.JSON.readTree("{\"a\":2,\"b\":3}"));
        assertThat(first.toolCalls().get(0).signature()).get().asString().startsWith("EsINCr8NAb4+9vvezzPl");
        assertThat(first.toolCalls().get(1).signature()).isEmpty();
        // usage of the last chunk: 32 answer tokens + 438 thinking tokens
        assertThat(first.usage()).contains(new TokenUsage(157, 470, 438, 0, 0));
        assertThat(first.finished()).isEqualTo(LlmEvent.Finished.ok(StopReason.TOOL_CALLS));
        MergedResponse second = stream(file, 1);
        assertThat(second.text()).isEqualTo("The sum of 2 and 3 is 5, and their product is 6.");
        assertThat(second.signature()).get().asString().startsWith("EpEBCo4BAb4+9vueD6qX");
        assertThat(second.usage()).contains(new TokenUsage(646, 39, 20, 0, 0));
        assertThat(second.finished()).isEqualTo(LlmEvent.Finished.ok(StopReason.STOP));
    }

    @Test
    void vertexStreamedArgumentsAreAssembledByPath() {
        MergedResponse m = stream(GOOGLE + "google-vertex-stream-tool-call-arguments-nested.1.chunks.txt", 0);
        assertThat(m.toolCalls()).hasSize(1);
        var args = Fixtures.JSON.readTree(m.toolCalls().getFirst().argsJson());
        assertThat(args.path("recipe").path("name").asString()).isEqualTo("Lasagna");
        assertThat(args.path("recipe").path("ingredients")).hasSize(10);
        assertThat(args.path("recipe").path("ingredients").get(9)).isEqualTo(Fixtures.JSON.readTree("{\"amount\":\"1/2 tsp\",\"name\":\"Pepper\"}"));
        // a string in several pieces is joined
        assertThat(args.path("recipe").path("steps").get(1).asString()).isEqualTo("Cook lasagna noodles according to package directions, drain and set aside.");
        assertThat(args.path("recipe").path("steps").get(4).asString()).isEqualTo("In a 9x13 baking dish, spread a thin layer of meat sauce.");
        assertThat(args.path("recipe").path("steps")).hasSize(10);
        assertThat(m.toolCalls().getFirst().signature()).get().asString().startsWith("CmIBjz1rX0");
        assertThat(m.usage()).contains(new TokenUsage(31, 1710, 1026, 0, 0));
        assertThat(m.finished()).isEqualTo(LlmEvent.Finished.ok(StopReason.TOOL_CALLS));
    }

    @Test
    void aStreamedCallWithoutItsClosingPieceEndsWithTheFinishReason() {
        MergedResponse m = stream(GOOGLE + "google-stream-tool-call-array-arguments-missing-terminal-function-call.chunks.txt", 0);
        assertThat(m.toolCalls()).extracting(LlmEvent.ToolCallFinished::name).containsExactly("writeItems");
        assertThat(Fixtures.JSON.readTree(m.toolCalls().getFirst().argsJson())).isEqualTo(Fixtures.JSON.readTree("""
                {"operations":[{"action":"add","description":"Fresh red apple","itemid":"apple_001","price":0.5},
                               {"action":"add","description":"Ripe yellow banana","itemid":"banana_001","price":0.3}]}"""));
        assertThat(m.finished()).isEqualTo(LlmEvent.Finished.ok(StopReason.TOOL_CALLS));
    }

    @Test
    void callsWithoutArgumentsAndStreamedOnesInOneTurn() {
        MergedResponse m = stream(GOOGLE + "google-stream-no-args-tool-call.chunks.txt", 0);
        assertThat(m.reasoning()).startsWith("**Processing User Requests**");
        assertThat(m.toolCalls()).extracting(LlmEvent.ToolCallFinished::name).containsExactly("read_theme", "read_screen", "read_screen", "read_screen");
        assertThat(m.toolCalls()).extracting(LlmEvent.ToolCallFinished::argsJson)
                .containsExactly("{}", "{\"id\":\"A\"}", "{\"id\":\"B\"}", "{\"id\":\"C\"}");
        assertThat(m.toolCalls()).extracting(LlmEvent.ToolCallFinished::callId).doesNotHaveDuplicates().allMatch(id -> id.startsWith("lathe_"));
        assertThat(m.startedCalls()).isEqualTo(4);
    }

    @Test
    void cachedTokensAreTakenOutOfTheInputAndThoughtsCountAsOutput() {
        // no recording holds a cache hit; the chunk follows the recorded usageMetadata shape
        MergedResponse m = decode(List.of("""
                {"candidates":[{"content":{"parts":[{"text":"ok"}],"role":"model"},"finishReason":"STOP","index":0}],
                 "usageMetadata":{"promptTokenCount":1200,"cachedContentTokenCount":1000,"candidatesTokenCount":5,"thoughtsTokenCount":40,
                 "totalTokenCount":1245},"responseId":"r1"}"""));
        assertThat(m.usage()).contains(new TokenUsage(200, 45, 40, 1000, 0));
    }

    @Test
    void maxTokensIsALengthStop() {
        MergedResponse m = decode(List.of(
                "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"The answer is cut\"}],\"role\":\"model\"},\"index\":0}]}",
                "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\" off\"}],\"role\":\"model\"},\"finishReason\":\"MAX_TOKENS\",\"index\":0}],"
                        + "\"usageMetadata\":{\"promptTokenCount\":10,\"candidatesTokenCount\":16,\"totalTokenCount\":26}}"));
        assertThat(m.text()).isEqualTo("The answer is cut off");
        assertThat(m.usage()).contains(new TokenUsage(10, 16, 0, 0, 0));
        assertThat(m.finished()).isEqualTo(LlmEvent.Finished.ok(StopReason.LENGTH));
    }

    @Test
    void aStreamedCallCutOffByMaxTokensIsNotFinished() {
        MergedResponse m = decode(List.of(
                "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"functionCall\":{\"name\":\"write\",\"willContinue\":true}}]}}]}",
                "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"functionCall\":{\"partialArgs\":[{\"jsonPath\":\"$.text\",\"stringValue\":\"hal\",\"willContinue\":true}],\"willContinue\":true}}]}}]}",
                "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"\"}]},\"finishReason\":\"MAX_TOKENS\"}]}"));
        assertThat(m.startedCalls()).isEqualTo(1);
        assertThat(m.toolCalls()).isEmpty();
        assertThat(m.finished()).isEqualTo(LlmEvent.Finished.ok(StopReason.LENGTH));
    }

    @Test
    void safetyStopsAndBlockedPromptsAreContentFilterStops() {
        for (String reason : List.of("SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII")) {
            MergedResponse m = decode(List.of("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Well\"}],\"role\":\"model\"},\"finishReason\":\"" + reason + "\"}]}"));
            assertThat(m.finished()).as(reason).isEqualTo(LlmEvent.Finished.ok(StopReason.CONTENT_FILTER));
        }
        MergedResponse blocked = decode(List.of("{\"promptFeedback\":{\"blockReason\":\"SAFETY\"},\"usageMetadata\":{\"promptTokenCount\":7,\"totalTokenCount\":7}}"));
        assertThat(blocked.usage()).contains(new TokenUsage(7, 0, 0, 0, 0));
        assertThat(blocked.finished()).isEqualTo(LlmEvent.Finished.ok(StopReason.CONTENT_FILTER));
    }

    @Test
    void aMalformedFunctionCallIsARetryableFailure() {
        MergedResponse m = decode(List.of("{\"candidates\":[{\"content\":{\"parts\":[]},\"finishReason\":\"MALFORMED_FUNCTION_CALL\","
                + "\"finishMessage\":\"Malformed function call: print(default_api.read(path=))\"}]}"));
        assertThat(m.error()).get().isInstanceOfSatisfying(LlmError.Transport.class,
                e -> assertThat(e.message()).startsWith("Gemini stopped with MALFORMED_FUNCTION_CALL: Malformed function call"));
        MergedResponse unsigned = decode(List.of("{\"candidates\":[{\"finishReason\":\"MISSING_THOUGHT_SIGNATURE\"}]}"));
        assertThat(unsigned.error()).get().isInstanceOf(LlmError.InvalidRequest.class);
    }

    @Test
    void aStreamWithoutAFinishReasonIsIncomplete() {
        List<String> data = new ArrayList<>(Fixtures.streams(entry(GOOGLE + "google-text.chunks.txt")).getFirst());
        data.removeLast();
        MergedResponse m = decode(data);
        assertThat(m.text()).isEqualTo("There are **3** \"r\"s in strawberry.\n\nst**r**awbe**rr**y");
        assertThat(m.finish()).isEqualTo(StopReason.ERROR);
        assertThat(m.error()).get().isInstanceOf(LlmError.Transport.class);
    }

    @Test
    void anErrorInsideTheStreamEndsIt() {
        MergedResponse m = decode(List.of("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"par\"}],\"role\":\"model\"}}]}",
                "{\"error\":{\"code\":503,\"message\":\"The model is overloaded. Please try again later.\",\"status\":\"UNAVAILABLE\"}}"));
        assertThat(m.error()).contains(new LlmError.Overloaded(Optional.empty(), "The model is overloaded. Please try again later."));
        assertThat(decode(List.of("not json")).error()).get().isInstanceOfSatisfying(LlmError.Transport.class, e -> assertThat(e.message()).contains("malformed"));
    }

    @Test
    void aRateLimitBodyCarriesItsRetryDelay() {
        var codec = new GeminiCodec();
        LlmError e = codec.decodeError(429, Fixtures.read(GOOGLE + "google-429-retry-info.json"), Map.of());
        assertThat(e).isEqualTo(new LlmError.RateLimited(Optional.of(Duration.ofMillis(34_400)), "You exceeded your current quota, please check your plan."));
        // a retry-after header, when sent, says more than the body
        assertThat(codec.decodeError(429, Fixtures.read(GOOGLE + "google-429-retry-info.json"), Map.of("retry-after", "3")))
                .isEqualTo(new LlmError.RateLimited(Optional.of(Duration.ofSeconds(3)), "You exceeded your current quota, please check your plan."));
    }

    @Test
    void errorBodiesMapToTheirKinds() {
        var codec = new GeminiCodec();
        String perDay = """
                {"error":{"code":429,"message":"Quota exceeded for metric: generate_content_free_tier_requests, limit: 250","status":"RESOURCE_EXHAUSTED",
                 "details":[{"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[{"quotaId":"GenerateRequestsPerDayPerProjectPerModel-FreeTier"}]},
                            {"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"20s"}]}}""";
        assertThat(codec.decodeError(429, perDay, Map.of())).isInstanceOfSatisfying(LlmError.InvalidRequest.class, e -> assertThat(e.status()).isEqualTo(429));
        assertThat(codec.decodeError(503, "{\"error\":{\"code\":503,\"message\":\"The model is overloaded. Please try again later.\",\"status\":\"UNAVAILABLE\"}}", Map.of()))
                .isInstanceOf(LlmError.Overloaded.class);
        String tooLong = "{\"error\":{\"code\":400,\"message\":\"The input token count (1200293) exceeds the maximum number of tokens allowed (1048576).\",\"status\":\"INVALID_ARGUMENT\"}}";
        assertThat(codec.decodeError(400, tooLong, Map.of())).isInstanceOf(LlmError.ContextOverflow.class);
        // the array form some endpoints answer with
        assertThat(codec.decodeError(400, "[" + tooLong + "]", Map.of())).isInstanceOf(LlmError.ContextOverflow.class);
        assertThat(codec.decodeError(403, "{\"error\":{\"code\":403,\"message\":\"Permission denied\",\"status\":\"PERMISSION_DENIED\"}}", Map.of()))
                .isInstanceOf(LlmError.Unauthorized.class);
        String badKey = """
                {"error":{"code":400,"message":"API key not valid. Please pass a valid API key.","status":"INVALID_ARGUMENT",
                 "details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"API_KEY_INVALID","domain":"googleapis.com"}]}}""";
        assertThat(codec.decodeError(400, badKey, Map.of())).isEqualTo(new LlmError.Unauthorized("API key not valid. Please pass a valid API key."));
        assertThat(codec.decodeError(400, "{\"error\":{\"code\":400,\"message\":\"bad\",\"status\":\"INVALID_ARGUMENT\"}}", Map.of()))
                .isEqualTo(new LlmError.InvalidRequest(400, "bad"));
        assertThat(codec.decodeError(502, "<html>Bad Gateway</html>", Map.of())).isInstanceOf(LlmError.Transport.class);
    }

    @Test
    void aCompleteBodyDecodesLikeAStream() {
        MergedResponse m = MergedResponse.of(new GeminiCodec().decodeBody(Fixtures.read(GOOGLE + "google-tool-call.json")));
        assertThat(m.toolCalls()).hasSize(1);
        assertThat(m.toolCalls().getFirst().argsJson()).isEqualTo("{\"location\":\"San Francisco\"}");
        assertThat(m.toolCalls().getFirst().signature()).get().asString().startsWith("EskgCsYgAb");
        assertThat(m.finished()).isEqualTo(LlmEvent.Finished.ok(StopReason.TOOL_CALLS));
        // a non-SSE streamGenerateContent answer: a JSON array of chunks
        List<String> chunks = Fixtures.streams(entry(GOOGLE + "google-text.chunks.txt")).getFirst();
        MergedResponse array = MergedResponse.of(new GeminiCodec().decodeBody("[" + String.join(",", chunks) + "]"));
        assertThat(array.text()).isEqualTo("There are **3** \"r\"s in strawberry.\n\nst**r**awbe**rr**y");
        assertThat(array.finished()).isEqualTo(LlmEvent.Finished.ok(StopReason.STOP));
    }

    /** The assistant turn as the session rebuilds it from these events: one content per block, in order. */
    static List<Content> said(List<LlmEvent> events) {
        Map<Integer, Content> byBlock = new LinkedHashMap<>();
        for (LlmEvent e : events) {
            switch (e) {
                case LlmEvent.TextDelta d -> byBlock.merge(d.block(), new Content.Text(d.text()),
                        (a, b) -> new Content.Text(((Content.Text) a).text() + d.text()));
                case LlmEvent.ReasoningDelta d -> byBlock.merge(d.block(), new Content.Reasoning(d.text(), d.signature()),
                        (a, b) -> new Content.Reasoning(((Content.Reasoning) a).text() + d.text(), d.signature().or(((Content.Reasoning) a)::signature)));
                case LlmEvent.ToolCallFinished f -> byBlock.put(f.block(), new Content.ToolCall(f.callId(), f.name(), f.argsJson(), f.signature()));
                default -> { }
            }
        }
        return List.copyOf(byBlock.values());
    }

    static final String ADD_MULTIPLY_SCHEMA = """
            {"type":"object","properties":{"a":{"type":"integer","description":"first number"},"b":{"type":"integer","description":"second number"}},
             "required":["a","b"],"additionalProperties":false,"$schema":"http://json-schema.org/draft-07/schema#"}""";

    /** The second request of a recorded parallel-call loop, rebuilt from what the first response decoded to. */
    static LlmRequest secondStep(String file, String model) {
        JsonNode recorded = Fixtures.requests(entry(file)).get(1);
        List<LlmEvent> first = events(Fixtures.streams(entry(file)).getFirst());
        List<Content> results = new ArrayList<>();
        for (Content c : said(first)) {
            if (c instanceof Content.ToolCall call) results.add(new Content.ToolResult(call.callId(), call.name(), call.name().equals("add") ? "5" : "6", false));
        }
        return new LlmRequest(model, List.of(recorded.path("systemInstruction").path("parts").get(0).path("text").asString()),
                List.of(new ToolSpec("add", "Add two numbers", ADD_MULTIPLY_SCHEMA), new ToolSpec("multiply", "Multiply two numbers", ADD_MULTIPLY_SCHEMA)),
                List.of(LlmMessage.user(List.of(new Content.Text("Add and multiply the number 2 and 3"))), LlmMessage.assistant(said(first)),
                        LlmMessage.user(results)),
                4000, ToolChoice.AUTO, Optional.empty(), Optional.empty());
    }

    @Test
    void encoderWritesTheRecordedAgentLoopRequest() {
        String file = FANTASY + "TestGoogleCommon/gemini-3-pro-preview/multi_tool_streaming.cassette.json";
        JsonNode recorded = Fixtures.requests(entry(file)).get(1);

        ObjectNode ours = Encoder.tree(secondStep(file, "gemini-3-pro-preview"));

        assertThat(ours.path("tools")).isEqualTo(recorded.path("tools"));
        assertThat(ours.path("toolConfig")).isEqualTo(recorded.path("toolConfig"));
        assertThat(ours.path("generationConfig")).isEqualTo(recorded.path("generationConfig"));
        assertThat(ours.path("systemInstruction").path("parts")).isEqualTo(recorded.path("systemInstruction").path("parts"));
        // the decoded ids and the decoded thought signature go back exactly as Gemini sent them
        assertThat(ours.path("contents").get(0)).isEqualTo(recorded.path("contents").get(0));
        assertThat(ours.path("contents").get(1)).isEqualTo(recorded.path("contents").get(1));
        // results: same ids and names, the output under Gemini's documented "output" key (the recording used "result")
        JsonNode results = ours.path("contents").get(2);
        assertThat(results.path("role").asString()).isEqualTo("user");
        assertThat(results.path("parts")).hasSize(2);
        for (int i = 0; i < 2; i++) {
            JsonNode fr = results.path("parts").get(i).path("functionResponse");
            JsonNode want = recorded.path("contents").get(2).path("parts").get(i).path("functionResponse");
            assertThat(fr.path("id")).isEqualTo(want.path("id"));
            assertThat(fr.path("name")).isEqualTo(want.path("name"));
            assertThat(fr.path("response").path("output")).isEqualTo(want.path("response").path("result"));
        }
        assertThat(ours.path("contents")).hasSize(3);
        // cache-stable layout: the growing part last
        assertThat(ours.propertyNames()).containsExactly("systemInstruction", "tools", "toolConfig", "generationConfig", "contents");
    }

    @Test
    void aDecodedSignatureOnACallWithoutAnIdGoesBackOnTheSamePart() {
        // Vertex's recording sends no ids back, like us for the ids we made up
        String file = FANTASY + "TestGoogleCommon/vertex-gemini-2-5-pro/multi_tool_streaming.cassette.json";
        JsonNode recorded = Fixtures.requests(entry(file)).get(1);
        LlmRequest request = secondStep(file, "gemini-2.5-pro");
        assertThat(((Content.ToolCall) request.messages().get(1).content().getFirst()).callId()).startsWith(Decoder.SYNTHETIC_ID);

        ObjectNode ours = Encoder.tree(request);

        assertThat(ours.path("contents").get(1)).isEqualTo(recorded.path("contents").get(1));
        assertThat(ours.path("contents").get(1).path("parts").get(0).path("thoughtSignature").asString()).startsWith("CiQBjz1rX9vXzx2kuVvHI7K1");
        assertThat(ours.path("contents").get(2).path("parts").get(0).path("functionResponse").has("id")).isFalse();
    }

    @Test
    void aSignatureThatCameOnAnswerTextGoesBackOnThatText() {
        String file = FANTASY + "TestGoogleCommon/gemini-3-pro-preview/simple_streaming.cassette.json";
        List<LlmEvent> events = events(Fixtures.streams(entry(file)).getFirst());
        MergedResponse m = MergedResponse.of(events);
        var request = new LlmRequest("gemini-3-pro-preview", List.of(), List.of(), List.of(LlmMessage.user(List.of(new Content.Text("Say hi in Portuguese"))),
                LlmMessage.assistant(said(events)), LlmMessage.user(List.of(new Content.Text("Thanks")))), 4000, ToolChoice.AUTO, Optional.empty(), Optional.empty());

        JsonNode model = Encoder.tree(request).path("contents").get(1);

        assertThat(model.path("role").asString()).isEqualTo("model");
        assertThat(model.path("parts")).hasSize(1);
        assertThat(model.path("parts").get(0).path("text").asString()).isEqualTo(m.text());
        assertThat(model.path("parts").get(0).path("thoughtSignature").asString()).isEqualTo(m.signature().orElseThrow());
    }
}
