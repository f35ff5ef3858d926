package dev.lathe.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.llm.debug.MergedResponse;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every recorded response of every protocol Lathe speaks decodes to a complete, well-formed response that shows what
 * the file is tagged with. A fixture of an unsupported protocol or format fails here, so none goes uncovered.
 */
class EveryFixtureTest {
    static final List<String> PROTOCOLS = List.of("openai-chat", "anthropic-messages", "openai-responses", "gemini", "bedrock-converse");

    static Stream<Fixtures.Entry> fixtures() {
        return PROTOCOLS.stream().flatMap(p -> Fixtures.entries(p).stream());
    }

    @Test
    void everyRecordedProtocolIsCovered() {
        assertThat(Fixtures.protocols()).containsExactlyInAnyOrderElementsOf(
                java.util.stream.Stream.concat(PROTOCOLS.stream(), Stream.of("other")).toList());
    }

    @Test
    void everyProtocolHasFixturesAndACodec() {
        for (String p : PROTOCOLS) {
            assertThat(Fixtures.entries(p)).as(p).isNotEmpty();
            assertThat(Codecs.find(p)).as(p).isPresent();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void decodesToCompleteResponses(Fixtures.Entry entry) {
        List<Golden.Decoded> responses = Golden.decode(entry);
        assertThat(responses).as("responses in %s", entry).isNotEmpty();
        for (Golden.Decoded d : responses) {
            MergedResponse m = d.merged();
            if (d.kind() == Golden.Kind.ERROR) {
                assertThat(m.error()).as("error of HTTP %d", d.status()).isPresent();
                assertThat(m.error().get().message()).isNotBlank();
                continue;
            }
            if (!entry.has("error")) assertThat(m.error()).as("error in %s", entry).isEmpty();
            assertThat(m.toolCalls().size()).as("finished calls ≤ started").isLessThanOrEqualTo(m.startedCalls());
            for (var c : m.toolCalls()) {
                assertThat(c.callId()).as("call id").isNotBlank();
                assertThat(c.name()).as("call name").isNotBlank();
                assertThat(Fixtures.JSON.readTree(c.argsJson()).isObject()).as("args of %s: %s", c.name(), c.argsJson()).isTrue();
            }
            if (!m.toolCalls().isEmpty()) assertThat(m.finish()).isEqualTo(StopReason.TOOL_CALLS);
        }
        List<MergedResponse> ok = responses.stream().filter(d -> d.kind() != Golden.Kind.ERROR).map(Golden.Decoded::merged).toList();
        if (entry.has("text")) assertThat(ok).as("text").anySatisfy(m -> assertThat(m.text()).isNotBlank());
        // xAI reports its own search tools as custom tool calls, though it ran them: hosted, not for Lathe to run
        boolean hostedCallsOnly = entry.file().contains("/vercel-ai-xai/") && entry.has("custom_tool");
        if (entry.has("tool_call") && !hostedCallsOnly) assertThat(ok).as("tool calls").anySatisfy(m -> assertThat(m.toolCalls()).isNotEmpty());
        if (hostedCallsOnly) assertThat(ok).as("hosted calls").anySatisfy(m -> assertThat(m.hostedTools()).isNotEmpty());
        // tags are computed per file, which may hold several responses back to back
        if (entry.has("parallel_tool_calls") && !hostedCallsOnly) assertThat(ok.stream().mapToInt(m -> m.toolCalls().size()).sum()).isGreaterThan(1);
        if (entry.has("thinking_signature")) assertThat(ok).as("signature").anySatisfy(m -> assertThat(m.signature()).isPresent());
        if (entry.has("usage_only_final_chunk")) assertThat(ok).allSatisfy(m -> assertThat(m.usage()).isPresent());
        if (entry.has("cache_read_usage")) assertThat(ok).as("cache read").anySatisfy(m -> assertThat(m.usage().orElseThrow().cacheRead()).isPositive());
        if (entry.has("cache_write_usage")) assertThat(ok).as("cache write").anySatisfy(m -> assertThat(m.usage().orElseThrow().cacheWrite()).isPositive());
        // a hosted tool's own result can be the thing that stopped at max_tokens
        if (entry.has("max_tokens_stop") && !entry.has("server_tool")) assertThat(ok).as("length stop").anySatisfy(m -> assertThat(m.finish()).isEqualTo(StopReason.LENGTH));
        // reasoning_details may be encrypted only, with no visible text to check
        // one hand-made body holds an empty reasoning item and counts no reasoning tokens: nothing shows it
        boolean invisibleReasoning = Fixtures.read(entry.file()).replaceAll("\\s", "").contains("\"reasoning_tokens\":0}")
                && entry.format().equals("json-body");
        if (entry.has("reasoning") && !entry.has("reasoning_field:reasoning_details") && !invisibleReasoning) {
            // a Responses reasoning item may show neither summary nor encrypted form; its tokens still show it happened
            assertThat(ok).as("reasoning").anySatisfy(m -> assertThat(!m.reasoning().isBlank() || m.signature().isPresent()
                    || m.usage().map(u -> u.reasoning() > 0).orElse(false)).as("reasoning text, signature or tokens in %s", m).isTrue());
        }
    }
}
