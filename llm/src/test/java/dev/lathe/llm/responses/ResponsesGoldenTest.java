package dev.lathe.llm.responses;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.llm.Content;
import dev.lathe.llm.Fixtures;
import dev.lathe.llm.LlmError;
import dev.lathe.llm.LlmEvent;
import dev.lathe.llm.LlmMessage;
import dev.lathe.llm.LlmRequest;
import dev.lathe.llm.ReasoningEffort;
import dev.lathe.llm.StopReason;
import dev.lathe.llm.ToolChoice;
import dev.lathe.llm.ToolSpec;
import dev.lathe.llm.debug.MergedResponse;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class ResponsesGoldenTest {
    static final String THINKING = "openai-responses/charmbracelet-fantasy/TestOpenAIResponsesWithSummaryThinking/openai-gpt-5/thinking-streaming.cassette.json";
    static final ResponsesCodec CODEC = new ResponsesCodec();

    static MergedResponse decode(List<String> data) {
        var decoder = new Decoder();
        List<LlmEvent> events = new ArrayList<>();
        for (String d : data) events.addAll(decoder.decode(d));
        events.addAll(decoder.end());
        return MergedResponse.of(events);
    }

    static Fixtures.Entry entry(String file) {
        return Fixtures.entries("openai-responses").stream().filter(e -> e.file().equals(file)).findFirst().orElseThrow();
    }

    static MergedResponse body(String file) {
        return MergedResponse.of(CODEC.decodeBody(Fixtures.read(entry(file).file())));
    }

    @Test
    void reasoningSummaryEncryptedContentAndAToolCall() {
        List<List<String>> streams = Fixtures.streams(entry(THINKING));
        MergedResponse first = decode(streams.get(0));
        assertThat(first.reasoning()).contains("weather in Florence, Italy").endsWith("see what it returns!");
        assertThat(first.signature()).get().asString().startsWith("gAAAAABqPBJW");
        assertThat(first.toolCalls()).containsExactly(new LlmEvent.ToolCallFinished(1, "call_zgUaIBRPTwxxOusyyKw5NVMH", "weather", "{\"location\":\"Florence, Italy\"}"));
        assertThat(first.usage()).get().satisfies(u -> {
            assertThat(u.input()).isEqualTo(63);
            assertThat(u.output()).isEqualTo(121);
            assertThat(u.reasoning()).isEqualTo(64);
        });
        assertThat(first.finished()).isEqualTo(LlmEvent.Finished.ok(StopReason.TOOL_CALLS));
        MergedResponse second = decode(streams.get(1));
        assertThat(second.text()).contains("40");
        assertThat(second.finished()).isEqualTo(LlmEvent.Finished.ok(StopReason.STOP));
    }

    @Test
    void encoderWritesTheRecordedStatelessRequest() {
        JsonNode recorded = Fixtures.requests(entry(THINKING)).get(1);
        List<ToolSpec> tools = new ArrayList<>();
        for (JsonNode t : recorded.path("tools")) tools.add(new ToolSpec(t.path("name").asString(), t.path("description").asString(), t.path("parameters").toString()));
        var request = new LlmRequest("gpt-5", List.of("You are a helpful assistant"), tools,
                List.of(LlmMessage.user(List.of(new Content.Text("What's the weather in Florence, Italy?"))),
                        LlmMessage.assistant(List.of(new Content.ToolCall("call_zgUaIBRPTwxxOusyyKw5NVMH", "weather", "{\"location\":\"Florence, Italy\"}"))),
                        LlmMessage.user(List.of(new Content.ToolResult("call_zgUaIBRPTwxxOusyyKw5NVMH", "weather", "40 C", false)))),
                4096, ToolChoice.AUTO, Optional.empty(), Optional.empty(), Optional.of(ReasoningEffort.HIGH));

        JsonNode ours = Encoder.tree(request, new Encoder.Dialect(false));

        for (String field : List.of("model", "store", "include", "reasoning", "tool_choice", "tools", "stream")) {
            assertThat(ours.path(field)).as(field).isEqualTo(recorded.path(field));
        }
        // the recording names the system block "developer"; compatible servers know "system", which OpenAI maps the same way
        assertThat(ours.path("input").get(0).path("content")).isEqualTo(recorded.path("input").get(0).path("content"));
        for (int i = 1; i < recorded.path("input").size(); i++) assertThat(ours.path("input").get(i)).as("input %d", i).isEqualTo(recorded.path("input").get(i));
        assertThat(ours.propertyNames()).last().isEqualTo("input");
    }

    @Test
    void encryptedReasoningGoesBackBeforeTheCallItLedTo() {
        MergedResponse first = decode(Fixtures.streams(entry(THINKING)).get(0));
        var call = first.toolCalls().getFirst();
        var request = new LlmRequest("gpt-5", List.of("sys"), List.of(),
                List.of(LlmMessage.user(List.of(new Content.Text("weather?"))),
                        LlmMessage.assistant(List.of(new Content.Reasoning(first.reasoning(), first.signature()),
                                new Content.Reasoning("foreign thoughts without a signature", Optional.empty()),
                                new Content.ToolCall(call.callId(), call.name(), call.argsJson()))),
                        LlmMessage.user(List.of(new Content.ToolResult(call.callId(), call.name(), "40 C", false), new Content.Text("and tomorrow?")))),
                1000, ToolChoice.AUTO, Optional.of(0.2), Optional.of("session-1"));

        JsonNode input = Encoder.tree(request, Encoder.Dialect.of(URI.create("https://api.openai.com/v1"))).path("input");

        assertThat(input).extracting(i -> i.path("type").asString(i.path("role").asString())).containsExactly(
                "system", "user", "reasoning", "function_call", "function_call_output", "user");
        assertThat(input.get(2).path("encrypted_content").asString()).isEqualTo(first.signature().get());
        assertThat(input.get(2).path("summary").get(0).path("text").asString()).isEqualTo(first.reasoning());
        assertThat(input.get(2).has("id")).as("no item ids: nothing is stored").isFalse();
        assertThat(input.get(3).path("call_id").asString()).isEqualTo("call_zgUaIBRPTwxxOusyyKw5NVMH");
    }

    @Test
    void openAiItselfGetsStrictToolsACacheKeyAndNoTemperatureForReasoningModels() {
        var tools = List.of(new ToolSpec("read", "Read", "{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\"},\"limit\":{\"type\":\"integer\"}},\"required\":[\"path\"]}"));
        var request = new LlmRequest("gpt-5.1-codex", List.of("A", "B"), tools, List.of(LlmMessage.user(List.of(new Content.Text("hi")))),
                1000, ToolChoice.AUTO, Optional.of(0.2), Optional.of("session-1"));

        JsonNode openAi = Encoder.tree(request, Encoder.Dialect.of(URI.create("https://api.openai.com/v1")));
        JsonNode local = Encoder.tree(request, Encoder.Dialect.of(URI.create("http://localhost:1234/v1")));

        assertThat(openAi.path("prompt_cache_key").asString()).isEqualTo("session-1");
        assertThat(openAi.path("tools").get(0).path("strict").asBoolean()).isTrue();
        assertThat(openAi.path("tools").get(0).path("parameters").path("required")).hasSize(2);
        assertThat(openAi.has("temperature")).isFalse();
        assertThat(openAi.path("include").get(0).asString()).isEqualTo("reasoning.encrypted_content");
        assertThat(local.has("prompt_cache_key")).isFalse();
        assertThat(local.path("tools").get(0).path("strict").asBoolean()).isFalse();
        assertThat(openAi.path("input")).extracting(i -> i.path("content").isString() ? i.path("content").asString() : "user").containsExactly("A", "B", "user");
        var plain = new LlmRequest("gpt-4.1", List.of("A"), List.of(), request.messages(), 1000, ToolChoice.AUTO, Optional.of(0.2), Optional.empty());
        JsonNode chatModel = Encoder.tree(plain, new Encoder.Dialect(true));
        assertThat(chatModel.path("temperature").asDouble()).isEqualTo(0.2);
        assertThat(chatModel.has("reasoning") || chatModel.has("include")).isFalse();
    }

    @Test
    void customToolsTheRequestDeclaredAreClientCallsAndXaiSearchToolsAreHosted() {
        MergedResponse openAi = decode(Fixtures.streams(entry("openai-responses/vercel-ai-openai/openai-custom-tool.1.chunks.txt")).getFirst());
        assertThat(openAi.toolCalls()).singleElement().satisfies(c -> {
            assertThat(c.name()).isEqualTo("write_sql");
            assertThat(Fixtures.JSON.readTree(c.argsJson()).path("input").asString()).startsWith("SELECT");
        });
        assertThat(openAi.finish()).isEqualTo(StopReason.TOOL_CALLS);

        MergedResponse xai = decode(Fixtures.streams(entry("openai-responses/vercel-ai-xai/xai-x-search-tool.chunks.txt")).getFirst());
        assertThat(xai.toolCalls()).isEmpty();
        assertThat(xai.hostedTools()).extracting(LlmEvent.HostedToolUsed::name).contains("x_keyword_search", "view_x_video", "web_search_call");
        assertThat(xai.finish()).isEqualTo(StopReason.STOP);
        assertThat(xai.text()).startsWith("### Latest Videos and Images from xAI");
    }

    @Test
    void theParallelWrapperIsUnwrappedIntoItsCalls() {
        MergedResponse m = body("openai-responses/vercel-ai-openai/parallel-tool-call-wrapper.1.json");
        assertThat(m.toolCalls()).extracting(LlmEvent.ToolCallFinished::name).containsExactly("weather", "cityAttractions");
        assertThat(m.toolCalls()).extracting(LlmEvent.ToolCallFinished::argsJson).containsExactly("{\"location\":\"San Francisco\"}", "{\"city\":\"Rome\"}");
        assertThat(m.toolCalls()).extracting(LlmEvent.ToolCallFinished::callId).doesNotHaveDuplicates();
    }

    @Test
    void itemsAreFollowedByOutputIndexEvenWhenIdsRotate() {
        MergedResponse m = decode(Fixtures.streams(entry("openai-responses/vercel-ai-openai/github-copilot-id-rotation.1.chunks.txt")).getFirst());
        assertThat(m.text()).isNotBlank();
        assertThat(m.reasoning()).isNotBlank();
        assertThat(m.error()).isEmpty();
    }

    @Test
    void aBodyReplaysAsItsStream() {
        String streamed = "openai-responses/vercel-ai-azure/azure-reasoning-encrypted-content.1.json";
        MergedResponse m = body(streamed);
        assertThat(m.text()).isNotBlank();
        assertThat(m.signature()).isPresent();
        assertThat(m.finished()).isEqualTo(LlmEvent.Finished.ok(StopReason.STOP));
    }

    @Test
    void errorEventsFlatOrNestedAndIncompleteResponses() {
        assertThat(decode(List.of("{\"type\":\"error\",\"code\":\"rate_limit_exceeded\",\"message\":\"Rate limit reached\",\"param\":null,\"sequence_number\":2}")).error())
                .containsInstanceOf(LlmError.RateLimited.class);
        assertThat(decode(List.of("{\"type\":\"error\",\"sequence_number\":2,\"error\":{\"type\":\"invalid_request_error\",\"code\":\"context_length_exceeded\","
                + "\"message\":\"Your input exceeds the context window of this model.\",\"param\":\"input\"}}")).error())
                .containsInstanceOf(LlmError.ContextOverflow.class);
        assertThat(decode(List.of("{\"type\":\"response.failed\",\"response\":{\"status\":\"failed\",\"error\":{\"code\":\"server_error\",\"message\":\"boom\"}}}")).error())
                .containsInstanceOf(LlmError.Transport.class);
        MergedResponse cut = decode(List.of("{\"type\":\"response.output_item.added\",\"output_index\":0,\"item\":{\"type\":\"message\",\"id\":\"m\"}}",
                "{\"type\":\"response.output_text.delta\",\"output_index\":0,\"delta\":\"Once upon\"}",
                "{\"type\":\"response.incomplete\",\"response\":{\"status\":\"incomplete\",\"incomplete_details\":{\"reason\":\"max_output_tokens\"}}}"));
        assertThat(cut.text()).isEqualTo("Once upon");
        assertThat(cut.finished()).isEqualTo(LlmEvent.Finished.ok(StopReason.LENGTH));
        assertThat(decode(List.of("{\"type\":\"response.output_text.delta\",\"output_index\":0,\"delta\":\"par\"}")).error())
                .get().isInstanceOf(LlmError.Transport.class);
    }

    @Test
    void httpErrorBodies() {
        String temperature = Fixtures.read(entry("openai-responses/vercel-ai-openai/reasoning-model-temperature-error.json").file());
        assertThat(CODEC.decodeError(400, temperature, Map.of())).isInstanceOfSatisfying(LlmError.InvalidRequest.class,
                e -> assertThat(e.message()).contains("temperature"));
        assertThat(CODEC.decodeError(429, "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"tokens\",\"code\":\"rate_limit_exceeded\"}}", Map.of("retry-after-ms", "1500")))
                .isEqualTo(new LlmError.RateLimited(Optional.of(java.time.Duration.ofMillis(1500)), "Rate limit reached"));
    }
}
