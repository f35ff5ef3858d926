package dev.lathe.llm.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.llm.Content;
import dev.lathe.llm.Fixtures;
import dev.lathe.llm.LlmError;
import dev.lathe.llm.LlmEvent;
import dev.lathe.llm.LlmMessage;
import dev.lathe.llm.LlmRequest;
import dev.lathe.llm.debug.MergedResponse;
import dev.lathe.llm.StopReason;
import dev.lathe.llm.ToolChoice;
import dev.lathe.llm.ToolSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class OpenAiGoldenTest {
    static final String MULTI = "openai-chat/charmbracelet-fantasy/TestOpenAICommon/openai-gpt-4o-mini/multi_tool_streaming.cassette.json";

    static MergedResponse decode(List<String> data) {
        var decoder = new Decoder();
        List<LlmEvent> events = new ArrayList<>();
        for (String d : data) events.addAll(decoder.decode(d));
        events.addAll(decoder.end());
        return MergedResponse.of(events);
    }

    static Fixtures.Entry entry(String file) {
        return Fixtures.entries("openai-chat").stream().filter(e -> e.file().equals(file)).findFirst().orElseThrow();
    }

    @Test
    void parallelToolCallsAndFinalUsageChunk() {
        List<List<String>> streams = Fixtures.streams(entry(MULTI));
        MergedResponse first = decode(streams.get(0));
        assertThat(first.toolCalls()).extracting(LlmEvent.ToolCallFinished::callId)
                .containsExactly("call_cclGbjTQkZDEnnHrRiU0n7NO", "call_Nob2SzTcxIjro1HvSBPQS6XG");
        assertThat(first.toolCalls()).extracting(LlmEvent.ToolCallFinished::argsJson).containsOnly("{\"a\": 2, \"b\": 3}");
        assertThat(first.finished()).isEqualTo(LlmEvent.Finished.ok(StopReason.TOOL_CALLS));
        MergedResponse second = decode(streams.get(1));
        assertThat(second.text()).isNotBlank();
        assertThat(second.usage().get().input()).isEqualTo(172);
        assertThat(second.usage().get().output()).isEqualTo(26);
        assertThat(second.finished()).isEqualTo(LlmEvent.Finished.ok(StopReason.STOP));
    }

    @Test
    void cachedPromptTokensAreNotCountedAsInput() {
        var decoder = new Decoder();
        decoder.decode("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"},\"finish_reason\":\"stop\"}]}");
        List<LlmEvent> events = decoder.decode("{\"choices\":[],\"usage\":{\"prompt_tokens\":1000,\"completion_tokens\":5,"
                + "\"prompt_tokens_details\":{\"cached_tokens\":800},\"completion_tokens_details\":{\"reasoning_tokens\":2}}}");
        events = new ArrayList<>(events);
        events.addAll(decoder.decode("[DONE]"));
        var usage = MergedResponse.of(events).usage().orElseThrow();
        assertThat(usage.input()).isEqualTo(200);
        assertThat(usage.cacheRead()).isEqualTo(800);
        assertThat(usage.reasoning()).isEqualTo(2);
    }

    @Test
    void aMidStreamErrorEndsTheResponseWithTheMappedError() {
        var decoder = new Decoder();
        decoder.decode("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"par\"}}]}");
        var events = decoder.decode("{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"tokens\",\"code\":\"rate_limit_exceeded\"}}");
        assertThat(MergedResponse.of(events).finished().error()).containsInstanceOf(LlmError.RateLimited.class);
    }

    @Test
    void encoderWritesTheRecordedAgentLoopRequest() {
        JsonNode recorded = Fixtures.requests(entry(MULTI)).get(1);
        List<ToolSpec> tools = new ArrayList<>();
        for (JsonNode t : recorded.path("tools")) {
            JsonNode fn = t.path("function");
            tools.add(new ToolSpec(fn.path("name").asString(), fn.path("description").asString(), fn.path("parameters").toString()));
        }
        var request = new LlmRequest("gpt-4o-mini", List.of("You are a helpful assistant. Always use both add and multiply at the same time."), tools,
                List.of(LlmMessage.user(List.of(new Content.Text("Add and multiply the number 2 and 3"))),
                        LlmMessage.assistant(List.of(new Content.ToolCall("call_cclGbjTQkZDEnnHrRiU0n7NO", "add", "{\"a\": 2, \"b\": 3}"),
                                new Content.ToolCall("call_Nob2SzTcxIjro1HvSBPQS6XG", "multiply", "{\"a\": 2, \"b\": 3}"))),
                        LlmMessage.user(List.of(new Content.ToolResult("call_cclGbjTQkZDEnnHrRiU0n7NO", "add", "5", false),
                                new Content.ToolResult("call_Nob2SzTcxIjro1HvSBPQS6XG", "multiply", "6", false)))),
                4000, ToolChoice.AUTO, Optional.empty(), Optional.empty());

        ObjectNode ours = Encoder.tree(request, Encoder.TokenLimitField.MAX_TOKENS);

        List<JsonNode> messages = new ArrayList<>();
        for (JsonNode m : ours.path("messages")) {
            ObjectNode copy = (ObjectNode) m.deepCopy();
            if (copy.path("content").isNull()) copy.remove("content");
            messages.add(copy);
        }
        assertThat(messages).containsExactlyElementsOf(recorded.path("messages"));
        for (int i = 0; i < tools.size(); i++) {
            ObjectNode theirs = (ObjectNode) recorded.path("tools").get(i).deepCopy();
            ((ObjectNode) theirs.path("function")).remove("strict");
            assertThat(ours.path("tools").get(i)).isEqualTo(theirs);
        }
        assertThat(ours.path("max_tokens")).isEqualTo(recorded.path("max_tokens"));
        assertThat(ours.path("stream_options")).isEqualTo(recorded.path("stream_options"));
        assertThat(ours.path("stream").asBoolean()).isTrue();
    }

    @Test
    void openAiItselfGetsTheNewTokenLimitName() {
        assertThat(OpenAiChat.limitField(java.net.URI.create("https://api.openai.com/v1"))).isEqualTo(Encoder.TokenLimitField.MAX_COMPLETION_TOKENS);
        assertThat(OpenAiChat.limitField(java.net.URI.create("http://127.0.0.1:8080/v1"))).isEqualTo(Encoder.TokenLimitField.MAX_TOKENS);
    }

    @Test
    void reasoningEffortIsSentByName() {
        var request = new LlmRequest("o4-mini", List.of(), List.of(), List.of(LlmMessage.user(List.of(new Content.Text("hi")))), 1000,
                ToolChoice.AUTO, Optional.empty(), Optional.empty(), Optional.of(dev.lathe.llm.ReasoningEffort.HIGH));
        assertThat(Encoder.tree(request, Encoder.TokenLimitField.MAX_COMPLETION_TOKENS).path("reasoning_effort").asString()).isEqualTo("high");
        assertThat(Encoder.tree(new LlmRequest("m", List.of(), List.of(), request.messages(), 10, ToolChoice.AUTO, Optional.empty(), Optional.empty()),
                Encoder.TokenLimitField.MAX_TOKENS).has("reasoning_effort")).isFalse();
    }
}
