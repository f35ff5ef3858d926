package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code lathe debug decode} on real recorded streams, as a user or a script runs it. */
class DebugDecodeIT {
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final Path FIXTURES = Path.of("../llm/src/test/resources/fixtures/providers");
    static final String CHAT = "openai-chat/charmbracelet-fantasy/TestOpenAICommon/openai-gpt-4o-mini/multi_tool_streaming.cassette.json";

    @TempDir Path tmp;

    private List<String> bodies(String cassette) throws Exception {
        return JSON.readTree(Files.readString(FIXTURES.resolve(cassette))).path("interactions").valueStream()
                .map(i -> i.path("response").path("body").asString()).toList();
    }

    @Test
    void mergedPrintsOneObjectPerResponseWithParsedArguments() throws Exception {
        List<String> bodies = bodies(CHAT);
        Path file = Files.writeString(tmp.resolve("two.sse"), bodies.get(0) + bodies.get(1));
        var lathe = new Lathe(tmp, "{}");

        var result = lathe.run("debug", "decode", "--protocol", "openai-chat", "--merged", file.toString());

        assertThat(result.exit()).as(result.stderr()).isZero();
        List<String> lines = result.stdout().lines().toList();
        assertThat(lines).hasSize(2);
        JsonNode first = JSON.readTree(lines.get(0));
        assertThat(first.path("finish").asString()).isEqualTo("tool_calls");
        assertThat(first.path("toolCalls")).hasSize(2);
        assertThat(first.path("toolCalls").get(0).path("id").asString()).isEqualTo("call_cclGbjTQkZDEnnHrRiU0n7NO");
        assertThat(first.path("toolCalls").get(0).path("name").asString()).isEqualTo("add");
        assertThat(first.path("toolCalls").get(0).path("arguments")).isEqualTo(JSON.readTree("{\"a\": 2, \"b\": 3}"));
        assertThat(first.path("error").isNull()).isTrue();
        JsonNode second = JSON.readTree(lines.get(1));
        assertThat(second.path("finish").asString()).isEqualTo("stop");
        assertThat(second.path("text").asString()).isNotBlank();
        assertThat(second.path("usage").path("input").asLong()).isEqualTo(172);
        assertThat(second.path("usage").path("output").asLong()).isEqualTo(26);
        assertThat(second.path("usage").has("cacheRead")).isTrue();
    }

    @Test
    void withoutMergedEveryNormalisedEventIsALineEndingWithTheFinish() throws Exception {
        var lathe = new Lathe(tmp, "{}");
        Path file = FIXTURES.resolve("anthropic-messages/vercel-ai-anthropic/anthropic-text.chunks.txt");

        var result = lathe.run("debug", "decode", "--protocol", "anthropic-messages", file.toString());

        assertThat(result.exit()).as(result.stderr()).isZero();
        List<JsonNode> events = result.stdout().lines().map(JSON::readTree).toList();
        assertThat(events).extracting(e -> e.path("type").asString()).contains("text", "usage").last().isEqualTo("finish");
        assertThat(events.getLast().path("finish").asString()).isEqualTo("stop");
    }

    @Test
    void anUnknownProtocolOrMissingFileIsBadUsage() throws Exception {
        var lathe = new Lathe(tmp, "{}");

        var unknown = lathe.run("debug", "decode", "--protocol", "nope", "x.txt");
        var missing = lathe.run("debug", "decode", "--protocol", "openai-chat", tmp.resolve("missing.txt").toString());

        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.stderr()).contains("unknown protocol 'nope'").contains("anthropic-messages");
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.stderr()).contains("cannot read");
        assertThat(unknown.stdout() + missing.stdout()).isEmpty();
    }
}
