package dev.lathe.core.context;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.llm.Content;
import dev.lathe.llm.LlmMessage;
import dev.lathe.llm.LlmRequest;
import dev.lathe.llm.ToolChoice;
import dev.lathe.llm.ToolSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The block sums a step records are compared with the sums earlier steps stored (a cache report across a server
 * upgrade too), so how they are computed may change only if the values do not: these are the values recorded before
 * the sums were fed field by field and the tools' sum kept between steps (issue 43).
 */
class PromptHashesTest {
    private static final List<ToolSpec> TOOLS = List.of(new ToolSpec("read", "Reads a file ✓.", "{\"type\":\"object\"}"),
            new ToolSpec("bash", "Runs a command.", "{\"type\":\"object\",\"properties\":{\"command\":{\"type\":\"string\"}}}"));

    private static List<LlmMessage> history(int steps) {
        List<LlmMessage> out = new ArrayList<>(List.of(LlmMessage.user(List.of(new Content.Text("Read the modules, é"), new Content.Image("image/png", "iVBO")))));
        for (int i = 0; i < steps; i++) {
            out.add(LlmMessage.assistant(List.of(new Content.Reasoning("think " + i, Optional.of("sig")),
                    new Content.ToolCall("c" + i, "read", "{\"path\":\"m" + i + ".py\"}", Optional.empty()))));
            out.add(LlmMessage.user(List.of(new Content.ToolResult("c" + i, "read", "line\n" + i, i % 2 == 1))));
        }
        return out;
    }

    private static LlmRequest request(int steps) {
        return new LlmRequest("m", List.of("block A", "block B"), TOOLS, history(steps), 100, ToolChoice.AUTO, Optional.empty(), Optional.empty());
    }

    @Test
    void theSumsOfARequestAndOfItsPrefixAreTheOnesRecordedBefore() {
        Map<String, String> first = PromptHashes.of(request(1), Optional.empty());
        Map<String, String> second = PromptHashes.of(request(2), Optional.of(first.get(PromptHashes.SHAPE)));
        assertThat(first).isEqualTo(EXPECTED_FIRST);
        assertThat(second).isEqualTo(EXPECTED_SECOND);
        assertThat(second.get(PromptHashes.PREFIX)).isEqualTo(first.get(PromptHashes.MESSAGES));
        // other tools after these: their own sum, not the kept one
        var fewer = new LlmRequest("m", List.of("block A"), TOOLS.subList(0, 1), history(1), 100, ToolChoice.AUTO, Optional.empty(), Optional.empty());
        assertThat(PromptHashes.of(fewer, Optional.empty()).get(PromptHashes.TOOLS)).isEqualTo(EXPECTED_ONE_TOOL);
        assertThat(PromptHashes.of(request(1), Optional.empty()).get(PromptHashes.TOOLS)).isEqualTo(first.get(PromptHashes.TOOLS));
    }

    /**
     * What {@code prefix} means, at every cut: the {@code messages} sum of this request cut to the previous request's
     * shape, whether the cut ends a message (the sum taken along the way) or falls inside one (fed apart).
     */
    @Test
    void thePrefixIsTheSumOfTheRequestCutToTheGivenShapeAtEveryCut() {
        List<LlmMessage> messages = history(3);
        var whole = new LlmRequest("m", List.of("a"), TOOLS, messages, 100, ToolChoice.AUTO, Optional.empty(), Optional.empty());
        for (int count = 1; count <= messages.size(); count++) {
            for (int blocks = 1; blocks <= messages.get(count - 1).content().size(); blocks++) {
                List<LlmMessage> cut = new ArrayList<>(messages.subList(0, count - 1));
                LlmMessage last = messages.get(count - 1);
                cut.add(new LlmMessage(last.role(), last.content().subList(0, blocks)));
                var shorter = new LlmRequest("m", List.of("a"), TOOLS, cut, 100, ToolChoice.AUTO, Optional.empty(), Optional.empty());
                assertThat(PromptHashes.of(whole, Optional.of(count + ":" + blocks)).get(PromptHashes.PREFIX)).as("cut %d:%d", count, blocks)
                        .isEqualTo(PromptHashes.of(shorter, Optional.empty()).get(PromptHashes.MESSAGES));
            }
        }
        assertThat(PromptHashes.of(whole, Optional.of((messages.size() + 1) + ":1"))).doesNotContainKey(PromptHashes.PREFIX);
    }

    /** A long text is summed once and then looked up: one changed character still changes the sum, an equal copy does not. */
    @Test
    void aLongToolOutputChangedByOneCharacterChangesTheSumAndAnEqualCopyKeepsIt() {
        String output = "x".repeat(10_000) + "é";
        String copy = new String(output.toCharArray());
        String changed = "x".repeat(9_999) + "y" + "é";
        assertThat(messagesSum(output)).isEqualTo(messagesSum(copy)).isNotEqualTo(messagesSum(changed));
        assertThat(messagesSum(output + " ")).isNotEqualTo(messagesSum(output));
    }

    private static String messagesSum(String output) {
        var messages = List.of(LlmMessage.user(List.of(new Content.ToolResult("c1", "read", output, false))));
        return PromptHashes.of(new LlmRequest("m", List.of("a"), TOOLS, messages, 100, ToolChoice.AUTO, Optional.empty(), Optional.empty()),
                Optional.empty()).get(PromptHashes.MESSAGES);
    }

    static final Map<String, String> EXPECTED_FIRST = Map.of("instructions", "010bc67f8556d53d", "messages", "2c6f922698de2f04", "shape", "3:1",
            "sum", "crc32c+crc32/2", "system", "125b358b1c5f8487", "tools", "735f7fdd77744f95");
    static final Map<String, String> EXPECTED_SECOND = Map.of("instructions", "010bc67f8556d53d", "messages", "4602dadcf75567bd", "prefix",
            "2c6f922698de2f04", "shape", "5:1", "sum", "crc32c+crc32/2", "system", "125b358b1c5f8487", "tools", "735f7fdd77744f95");
    static final String EXPECTED_ONE_TOOL = "5df3f028fabcabe0";
}
