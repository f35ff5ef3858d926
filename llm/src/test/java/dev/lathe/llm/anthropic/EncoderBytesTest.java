package dev.lathe.llm.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.llm.CacheTtl;
import dev.lathe.llm.Content;
import dev.lathe.llm.LlmMessage;
import dev.lathe.llm.LlmRequest;
import dev.lathe.llm.ReasoningEffort;
import dev.lathe.llm.ToolChoice;
import dev.lathe.llm.ToolSpec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The request body byte for byte, every kind of content and both cache-breakpoint cases: the prompt cache keys on the
 * bytes, so writing the body as a stream (issue 43: no tree of the whole history per step) must send exactly what the
 * tree did. The expected texts are the tree encoder's output, recorded before the change.
 */
class EncoderBytesTest {
    private static final List<ToolSpec> TOOLS = List.of(
            new ToolSpec("read", "Reads a file.", "{ \"type\": \"object\", \"properties\": {\"path\": {\"type\": \"string\"}}, \"required\": [\"path\"] }"),
            new ToolSpec("now", "The time.", "{\"type\":\"object\"}"));

    private static final List<LlmMessage> HISTORY = List.of(
            LlmMessage.user(List.of(new Content.Text("Read \"a.txt\"\n\tplease ✓"), new Content.Text("  "), new Content.Image("image/png", "iVBORw0K"))),
            LlmMessage.assistant(List.of(new Content.Reasoning("thought", Optional.of("sig-1")), new Content.Text("Reading."),
                    new Content.ToolCall("c1", "read", "{ \"path\" : \"a.txt\" }", Optional.empty()),
                    new Content.ToolCall("c2", "now", "not json", Optional.empty()))),
            LlmMessage.user(List.of(new Content.ToolResult("c1", "read", "line 1\nline 2", false), new Content.ToolResult("c2", "now", "", true))),
            LlmMessage.assistant(List.of(new Content.Reasoning("", Optional.of("redacted:opaque")))),
            LlmMessage.user(List.of(new Content.Text(" "))),
            LlmMessage.user(List.of(new Content.Image("application/pdf", "JVBERi0"), new Content.Text("and this"))));

    @Test
    void aRequestWithEveryKindOfContentIsWrittenAsTheTreeWroteIt() {
        var request = new LlmRequest("claude-x", List.of("block A", "block B \"quoted\""), TOOLS, HISTORY, 4096, ToolChoice.AUTO, Optional.of(0.7),
                Optional.empty());
        assertThat(body(request)).isEqualTo(EXPECTED_PLAIN);
    }

    /**
     * The one-hour TTL (decision 504): the system blocks' breakpoints, which cover the tools before them, say
     * {@code "ttl":"1h"}; the moving ones on the messages keep the default; nothing else in the body changes.
     */
    @Test
    void theOneHourTtlMarksTheStableBreakpointsOnly() {
        var request = new LlmRequest("claude-x", List.of("block A", "block B \"quoted\""), TOOLS, HISTORY, 4096, ToolChoice.AUTO, Optional.of(0.7),
                Optional.empty()).withStableTtl(CacheTtl.ONE_HOUR);
        String hour = ",\"cache_control\":{\"type\":\"ephemeral\",\"ttl\":\"1h\"}";
        String body = body(request);
        assertThat(body.split(java.util.regex.Pattern.quote(hour), -1)).hasSize(3);
        assertThat(body.substring(body.indexOf("\"messages\""))).doesNotContain("\"ttl\"");
        assertThat(body.replace(hour, ",\"cache_control\":{\"type\":\"ephemeral\"}")).isEqualTo(EXPECTED_PLAIN);
        // the default TTL writes no ttl at all: the bytes sessions already cached stay as they were
        assertThat(body(request.withStableTtl(CacheTtl.DEFAULT))).isEqualTo(EXPECTED_PLAIN);
    }

    @Test
    void reasoningNoToolsAndALastMessageThatCannotCarryABreakpoint() {
        var request = new LlmRequest("claude-x", List.of(), List.of(), HISTORY.subList(0, 4), 8192, ToolChoice.NONE, Optional.of(1.0), Optional.empty(),
                Optional.of(ReasoningEffort.LOW));
        assertThat(body(request)).isEqualTo(EXPECTED_REASONING);
    }

    @Test
    void toolChoiceNoneWithToolsAndOneSystemBlock() {
        var request = new LlmRequest("claude-x", List.of("only A"), TOOLS, HISTORY.subList(0, 1), 100, ToolChoice.NONE, Optional.empty(), Optional.empty());
        assertThat(body(request)).isEqualTo(EXPECTED_NONE);
    }

    /**
     * A message with nothing to send (blank text, unsigned reasoning) is left out wherever it stands, whether the cache
     * holds the others or not, and the breakpoints go on the last two messages that are sent.
     */
    @Test
    void aMessageWithNothingToSendIsLeftOutColdAndWarm() {
        var empty = LlmMessage.assistant(List.of(new Content.Text("  "), new Content.Reasoning("unsigned", Optional.empty())));
        List<LlmMessage> with = new java.util.ArrayList<>(HISTORY);
        with.add(2, empty);
        with.add(empty);
        var plain = new LlmRequest("claude-x", List.of("a"), TOOLS, HISTORY, 4096, ToolChoice.AUTO, Optional.empty(), Optional.empty());
        var padded = new LlmRequest("claude-x", List.of("a"), TOOLS, with, 4096, ToolChoice.AUTO, Optional.empty(), Optional.empty());
        String expected = body(plain);
        assertThat(body(padded)).isEqualTo(expected);
        assertThat(body(padded)).isEqualTo(expected);
    }

    /**
     * The next steps write the messages they share with earlier ones from the bytes kept then (decision 370): the body is
     * the same byte for byte, also where a message kept without a breakpoint now carries one, and for a message that
     * changed, which is a different message and encoded afresh.
     */
    @Test
    void keptMessagesAreWrittenAsTheyWereEncodedAndAChangedOneAfresh() {
        var plain = new LlmRequest("claude-x", List.of("block A", "block B \"quoted\""), TOOLS, HISTORY, 4096, ToolChoice.AUTO, Optional.of(0.7),
                Optional.empty());
        assertThat(body(plain)).isEqualTo(EXPECTED_PLAIN);
        assertThat(body(plain)).isEqualTo(EXPECTED_PLAIN);
        var reasoning = new LlmRequest("claude-x", List.of(), List.of(), HISTORY.subList(0, 4), 8192, ToolChoice.NONE, Optional.of(1.0),
                Optional.empty(), Optional.of(ReasoningEffort.LOW));
        assertThat(body(reasoning)).isEqualTo(EXPECTED_REASONING);
        var edited = new java.util.ArrayList<>(HISTORY);
        edited.set(0, LlmMessage.user(List.of(new Content.Text("Read \"b.txt\"\n\tplease ✓"), new Content.Text("  "),
                new Content.Image("image/png", "iVBORw0K"))));
        var changed = new LlmRequest("claude-x", List.of("block A", "block B \"quoted\""), TOOLS, edited, 4096, ToolChoice.AUTO, Optional.of(0.7),
                Optional.empty());
        assertThat(body(changed)).isEqualTo(EXPECTED_PLAIN.replace("Read \\\"a.txt", "Read \\\"b.txt"));
    }

    private static String body(LlmRequest request) {
        return new String(Encoder.encode(request), StandardCharsets.UTF_8);
    }

    static final String EXPECTED_PLAIN =
            "{\"model\":\"claude-x\",\"max_tokens\":4096,\"stream\":true,\"temperature\":0.7,\"tools\":[{\"name\":\"read\",\"description\":\"Reads a file.\",\"input_schema\":{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\"}},\"required\":[\"path\"]}},{\"name\":\"now\",\"description\":\"The time.\",\"input_schema\":{\"type\":\"object\"}}],\"tool_choice\":{\"type\":\"auto\"},\"system\":[{\"type\":\"text\",\"text\":\"block A\",\"cache_control\":{\"type\":\"ephemeral\"}},{\"type\":\"text\",\"text\":\"block B \\\"quoted\\\"\",\"cache_control\":{\"type\":\"ephemeral\"}}],\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Read \\\"a.txt\\\"\\n\\tplease ✓\"},{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\"iVBORw0K\"}}]},{\"role\":\"assistant\",\"content\":[{\"type\":\"thinking\",\"thinking\":\"thought\",\"signature\":\"sig-1\"},{\"type\":\"text\",\"text\":\"Reading.\"},{\"type\":\"tool_use\",\"id\":\"c1\",\"name\":\"read\",\"input\":{\"path\":\"a.txt\"}},{\"type\":\"tool_use\",\"id\":\"c2\",\"name\":\"now\",\"input\":{}}]},{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"c1\",\"content\":\"line 1\\nline 2\"},{\"type\":\"tool_result\",\"tool_use_id\":\"c2\",\"content\":\"(no output)\",\"is_error\":true}]},{\"role\":\"assistant\",\"content\":[{\"type\":\"redacted_thinking\",\"data\":\"opaque\"}]},{\"role\":\"user\",\"content\":[{\"type\":\"document\",\"source\":{\"type\":\"base64\",\"media_type\":\"application/pdf\",\"data\":\"JVBERi0\"}},{\"type\":\"text\",\"text\":\"and this\",\"cache_control\":{\"type\":\"ephemeral\"}}]}]}";
    static final String EXPECTED_REASONING =
            "{\"model\":\"claude-x\",\"max_tokens\":8192,\"stream\":true,\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":4096},\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Read \\\"a.txt\\\"\\n\\tplease ✓\"},{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\"iVBORw0K\"}}]},{\"role\":\"assistant\",\"content\":[{\"type\":\"thinking\",\"thinking\":\"thought\",\"signature\":\"sig-1\"},{\"type\":\"text\",\"text\":\"Reading.\"},{\"type\":\"tool_use\",\"id\":\"c1\",\"name\":\"read\",\"input\":{\"path\":\"a.txt\"}},{\"type\":\"tool_use\",\"id\":\"c2\",\"name\":\"now\",\"input\":{}}]},{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"c1\",\"content\":\"line 1\\nline 2\"},{\"type\":\"tool_result\",\"tool_use_id\":\"c2\",\"content\":\"(no output)\",\"is_error\":true,\"cache_control\":{\"type\":\"ephemeral\"}}]},{\"role\":\"assistant\",\"content\":[{\"type\":\"redacted_thinking\",\"data\":\"opaque\"}]}]}";
    static final String EXPECTED_NONE =
            "{\"model\":\"claude-x\",\"max_tokens\":100,\"stream\":true,\"tools\":[{\"name\":\"read\",\"description\":\"Reads a file.\",\"input_schema\":{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\"}},\"required\":[\"path\"]}},{\"name\":\"now\",\"description\":\"The time.\",\"input_schema\":{\"type\":\"object\"}}],\"tool_choice\":{\"type\":\"none\"},\"system\":[{\"type\":\"text\",\"text\":\"only A\",\"cache_control\":{\"type\":\"ephemeral\"}}],\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Read \\\"a.txt\\\"\\n\\tplease ✓\"},{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\"iVBORw0K\"},\"cache_control\":{\"type\":\"ephemeral\"}}]}]}";
}
