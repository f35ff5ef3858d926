package dev.lathe.llm.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.llm.Content;
import dev.lathe.llm.Fixtures;
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

class AnthropicGoldenTest {
    static final String CACHE = "anthropic-messages/charmbracelet-fantasy/TestAnthropicCommonWithCacheControl/claude-sonnet-4/multi_tool_streaming.cassette.json";

    static MergedResponse decode(List<String> data) {
        var decoder = new Decoder();
        List<LlmEvent> events = new ArrayList<>();
        for (String d : data) events.addAll(decoder.decode(d));
        events.addAll(decoder.end());
        return MergedResponse.of(events);
    }

    static Fixtures.Entry entry(String file) {
        return Fixtures.entries("anthropic-messages").stream().filter(e -> e.file().equals(file)).findFirst().orElseThrow();
    }

    @Test
    void aRestartedMessageKeepsOnlyTheCompleteToolCall() {
        MergedResponse m = decode(Fixtures.streams(entry("anthropic-messages/vercel-ai-anthropic/spliced-message-start.chunks.txt")).getFirst());
        assertThat(m.toolCalls()).extracting(LlmEvent.ToolCallFinished::callId).containsExactly("toolu_second");
        assertThat(m.toolCalls().getFirst().argsJson()).isEqualTo("{\"value\":\"Sparkle Day\"}");
    }

    @Test
    void parallelToolCallsWithTextAndUsage() {
        List<List<String>> streams = Fixtures.streams(entry(CACHE));
        MergedResponse first = decode(streams.get(0));
        assertThat(first.text()).isEqualTo("I'll add and multiply the numbers 2 and 3 for you.");
        assertThat(first.toolCalls()).extracting(LlmEvent.ToolCallFinished::name).containsExactly("add", "multiply");
        assertThat(first.toolCalls()).extracting(c -> Fixtures.JSON.readTree(c.argsJson()))
                .containsOnly(Fixtures.JSON.readTree("{\"a\":2,\"b\":3}"));
        assertThat(first.toolCalls().get(0).callId()).isEqualTo("toolu_01NbP3iG8A6TYDwEUxN6tiWw");
        assertThat(first.usage().get().input()).isEqualTo(502);
        assertThat(first.finished()).isEqualTo(LlmEvent.Finished.ok(StopReason.TOOL_CALLS));
        MergedResponse second = decode(streams.get(1));
        assertThat(second.text()).endsWith("3 = 6");
        assertThat(second.usage().get().input()).isEqualTo(700);
        assertThat(second.usage().get().output()).isEqualTo(31);
        assertThat(second.finished()).isEqualTo(LlmEvent.Finished.ok(StopReason.STOP));
    }

    @Test
    void encoderWritesTheRecordedAgentLoopRequest() {
        List<JsonNode> recorded = Fixtures.requests(entry(CACHE));
        JsonNode second = recorded.get(1);
        List<ToolSpec> tools = new ArrayList<>();
        for (JsonNode t : second.path("tools")) tools.add(new ToolSpec(t.path("name").asString(), t.path("description").asString(), t.path("input_schema").toString()));
        var request = new LlmRequest(second.path("model").asString(), List.of(second.path("system").get(0).path("text").asString()), tools,
                List.of(LlmMessage.user(List.of(new Content.Text("Add and multiply the number 2 and 3"))),
                        LlmMessage.assistant(List.of(new Content.Text("I'll add and multiply the numbers 2 and 3 for you."),
                                new Content.ToolCall("toolu_01NbP3iG8A6TYDwEUxN6tiWw", "add", "{\"a\": 2, \"b\": 3}"),
                                new Content.ToolCall("toolu_01Luz2H6g7H2QWmHBDtu4r24", "multiply", "{\"a\": 2, \"b\": 3}"))),
                        LlmMessage.user(List.of(new Content.ToolResult("toolu_01NbP3iG8A6TYDwEUxN6tiWw", "add", "5", false),
                                new Content.ToolResult("toolu_01Luz2H6g7H2QWmHBDtu4r24", "multiply", "6", false)))),
                second.path("max_tokens").asInt(), ToolChoice.AUTO, Optional.empty(), Optional.empty());

        JsonNode ours = Encoder.tree(request);

        assertThat(ours.path("model")).isEqualTo(second.path("model"));
        assertThat(ours.path("max_tokens")).isEqualTo(second.path("max_tokens"));
        assertThat(ours.path("system")).isEqualTo(second.path("system"));
        assertThat(ours.path("stream").asBoolean()).isTrue();
        assertThat(withoutCache(ours.path("tools"))).isEqualTo(withoutCache(second.path("tools")));
        // the breakpoint on system block A covers the tools too (the cached prefix is tools, then system)
        assertThat(count(ours.path("tools"), "cache_control")).isZero();
        assertThat(ours.path("system").get(0).path("cache_control").path("type").asString()).isEqualTo("ephemeral");
        assertThat(ours.path("tool_choice").path("type").asString()).isEqualTo("auto");
        // same conversation; tool results as plain strings (an equivalent form the API accepts)
        JsonNode msgs = ours.path("messages");
        assertThat(withoutCache(msgs.get(0))).isEqualTo(withoutCache(second.path("messages").get(0)));
        assertThat(withoutCache(msgs.get(1))).isEqualTo(withoutCache(second.path("messages").get(1)));
        assertThat(msgs.get(2).path("content").get(0).path("content").asString()).isEqualTo("5");
        assertThat(msgs.get(2).path("content").get(1).path("cache_control").isObject()).isTrue();
        assertThat(msgs.get(1).path("content").get(2).path("cache_control").isObject()).isTrue();
        assertThat(count(ours, "cache_control")).isLessThanOrEqualTo(4);
    }

    @Test
    void malformedToolArgumentsAreSentAsAnEmptyObjectAndUnsignedReasoningIsDropped() {
        var request = new LlmRequest("m", List.of(), List.of(), List.of(
                LlmMessage.user(List.of(new Content.Text("hi"))),
                LlmMessage.assistant(List.of(new Content.Reasoning("hmm", Optional.empty()), new Content.ToolCall("c1", "read", "{\"path\": "))),
                LlmMessage.user(List.of(new Content.ToolResult("c1", "read", "bad args", true)))), 100, ToolChoice.AUTO, Optional.empty(), Optional.empty());
        JsonNode msgs = Encoder.tree(request).path("messages");
        assertThat(msgs.get(1).path("content")).hasSize(1);
        assertThat(msgs.get(1).path("content").get(0).path("input").isObject()).isTrue();
        assertThat(msgs.get(2).path("content").get(0).path("is_error").asBoolean()).isTrue();
    }

    private static JsonNode withoutCache(JsonNode node) {
        JsonNode copy = node.deepCopy();
        strip(copy);
        return copy;
    }

    private static void strip(JsonNode node) {
        if (node instanceof tools.jackson.databind.node.ObjectNode o) o.remove("cache_control");
        for (JsonNode child : node) strip(child);
    }

    @Test
    void reasoningEffortEnablesThinkingWithABudgetAndNoTemperature() {
        var request = new LlmRequest("claude", List.of(), List.of(), List.of(LlmMessage.user(List.of(new Content.Text("hi")))), 16_000,
                ToolChoice.AUTO, Optional.of(0.2), Optional.empty(), Optional.of(dev.lathe.llm.ReasoningEffort.MEDIUM));
        JsonNode body = Encoder.tree(request);
        assertThat(body.path("thinking").path("type").asString()).isEqualTo("enabled");
        assertThat(body.path("thinking").path("budget_tokens").asInt()).isEqualTo(12_000);
        assertThat(body.has("temperature")).isFalse();
    }

    private static int count(JsonNode node, String field) {
        int n = node.has(field) ? 1 : 0;
        for (JsonNode child : node) n += count(child, field);
        return n;
    }
}
