package dev.lathe.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Blocks and messages are the encoded-request cache's keys: their written-out equality must mean what the records'
 * generated one meant (every component), or a changed block would be sent with the bytes of the one it replaced. And a
 * message the transforms leave as it is goes on as the same object, so the cache finds it without comparing its blocks.
 */
class ContentEqualityTest {
    @Test
    void everyComponentOfEveryKindOfBlockTakesPartInEquality() {
        assertDiffersInEachComponent(new Content.Text("a"), List.of(new Content.Text("b")));
        assertDiffersInEachComponent(new Content.Image("image/png", "AAA"),
                List.of(new Content.Image("image/gif", "AAA"), new Content.Image("image/png", "AAB")));
        assertDiffersInEachComponent(new Content.Reasoning("t", Optional.of("s")),
                List.of(new Content.Reasoning("u", Optional.of("s")), new Content.Reasoning("t", Optional.empty())));
        assertDiffersInEachComponent(new Content.ToolCall("c1", "read", "{}", Optional.empty()),
                List.of(new Content.ToolCall("c2", "read", "{}", Optional.empty()), new Content.ToolCall("c1", "grep", "{}", Optional.empty()),
                        new Content.ToolCall("c1", "read", "{ }", Optional.empty()), new Content.ToolCall("c1", "read", "{}", Optional.of("s"))));
        assertDiffersInEachComponent(new Content.ToolResult("c1", "read", "out", false),
                List.of(new Content.ToolResult("c2", "read", "out", false), new Content.ToolResult("c1", "grep", "out", false),
                        new Content.ToolResult("c1", "read", "out2", false), new Content.ToolResult("c1", "read", "out", true)));
        assertThat(new Content.Text("a")).isNotEqualTo(new Content.ToolResult("a", "a", "a", false));
        assertThat(new Content.Text(null)).isEqualTo(new Content.Text(null)).hasSameHashCodeAs(new Content.Text(null));

        var message = LlmMessage.user(List.of(new Content.Text("a"), new Content.ToolResult("c1", "read", "out", false)));
        assertDiffersInEachComponent(message, List.of(LlmMessage.assistant(message.content()),
                LlmMessage.user(List.of(new Content.Text("a"), new Content.ToolResult("c1", "read", "out!", false)))));
    }

    @Test
    void aMessageNothingRepairsGoesOnAsTheSameObject() {
        var kept = LlmMessage.user(List.of(new Content.Text("hello"), new Content.ToolResult("toolu_1", "read", "out", false)));
        var repaired = LlmMessage.user(List.of(new Content.ToolResult("call.with.dots", "read", "", false)));
        var provider = new Provider("anthropic", "anthropic-messages", URI.create("https://api.anthropic.com/v1"), Optional.empty(), Map.of(),
                Map.of());
        var request = new LlmRequest("m", List.of(), List.of(), List.of(kept, LlmMessage.assistant(List.of(new Content.Text("ok"))), repaired), 100,
                ToolChoice.AUTO, Optional.empty(), Optional.empty());

        List<LlmMessage> sent = RequestTransforms.apply(provider, request).messages();

        assertThat(sent.get(0)).isSameAs(kept);
        assertThat(sent.get(2)).isEqualTo(LlmMessage.user(List.of(new Content.ToolResult("call_with_dots", "read", "(no output)", false))));
    }

    private static void assertDiffersInEachComponent(Object value, List<?> others) {
        Object copy = switch (value) {
            case Content.Text t -> new Content.Text(new String(t.text()));
            case Content.Image i -> new Content.Image(new String(i.mime()), new String(i.base64()));
            case Content.Reasoning r -> new Content.Reasoning(new String(r.text()), r.signature().map(String::new));
            case Content.ToolCall c -> new Content.ToolCall(new String(c.callId()), new String(c.name()), new String(c.argsJson()), c.signature());
            case Content.ToolResult r -> new Content.ToolResult(new String(r.callId()), new String(r.name()), new String(r.output()), r.isError());
            case LlmMessage m -> new LlmMessage(m.role(), List.copyOf(m.content()));
            default -> throw new IllegalArgumentException(String.valueOf(value));
        };
        assertThat(copy).isEqualTo(value).hasSameHashCodeAs(value);
        for (Object other : others) assertThat(other).as("%s against %s", other, value).isNotEqualTo(value);
    }
}
