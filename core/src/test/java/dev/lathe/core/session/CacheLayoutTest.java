package dev.lathe.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.llm.Protocols;
import dev.lathe.protocol.session.Part;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.RecordedRequest;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The prompt layout of DESIGN §7 on the wire, through the real encoders and HTTP: step n+1's request starts with the
 * exact bytes of step n's, and two sessions in different projects send byte-identical system block A and tools.
 */
class CacheLayoutTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"openai-chat", "anthropic-messages", "openai-responses"})
    void consecutiveStepsExtendTheSameBytesAndProjectsShareTheFirstBlock(String protocol) throws Exception {
        try (var llm = FakeLlm.start()) {
            String config = "{\"model\": \"fake/m\", \"provider\": {\"fake\": {\"protocol\": \"" + protocol + "\", \"baseUrl\": \"" + llm.baseUrl()
                    + "\", \"models\": {\"m\": {\"context\": 100000, \"output\": 4000, \"reasoningEffort\": \"low\"}}}}}";
            try (var h = new Harness(tmp, config, 10, Protocols.standard(HttpClient.newHttpClient()))) {
                Path other = Files.createDirectories(tmp.resolve("other"));
                Files.writeString(h.project.resolve("AGENTS.md"), "Project one: run mvn verify.\n");
                Files.writeString(other.resolve("AGENTS.md"), "Project two: run npm test.\n");
                Files.writeString(h.project.resolve("a.txt"), "alpha\n");
                llm.enqueue(Turn.of(Step.text("Reading."), Step.toolCall("c1", "read", "{\"path\":\"a.txt\"}")).finish("tool_calls"));
                llm.enqueue(Turn.of(Step.text("It says alpha.")));
                llm.enqueue(Turn.of(Step.text("Hello from two.")));

                var first = h.session();
                h.promptAndWait(first.id(), "what is in a.txt?");
                var second = h.session(other);
                h.promptAndWait(second.id(), "hi");

                List<RecordedRequest> requests = llm.requests();
                assertThat(requests).hasSize(3);
                String step1 = WireLayout.comparable(requests.get(0), protocol);
                String step2 = WireLayout.comparable(requests.get(1), protocol);
                assertThat(step1).endsWith("]}");
                assertThat(step2).startsWith(step1.substring(0, step1.length() - 2));
                assertThat(step2.length()).isGreaterThan(step1.length());

                JsonNode one = requests.get(0).json();
                // the configured reasoning effort reaches the wire in each protocol's own terms
                switch (protocol) {
                    case "openai-chat" -> assertThat(one.path("reasoning_effort").asString()).isEqualTo("low");
                    case "openai-responses" -> assertThat(one.path("reasoning").path("effort").asString()).isEqualTo("low");
                    default -> assertThat(one.path("thinking").path("budget_tokens").asInt()).isEqualTo(3000);
                }
                JsonNode two = requests.get(2).json();
                assertThat(JSON.writeValueAsString(WireLayout.blockA(two, protocol))).isEqualTo(JSON.writeValueAsString(WireLayout.blockA(one, protocol)));
                assertThat(JSON.writeValueAsString(two.path("tools"))).isEqualTo(JSON.writeValueAsString(one.path("tools")));
                assertThat(WireLayout.blockA(one, protocol).toString()).doesNotContain(h.project.toString()).doesNotContain(other.toString());
                assertThat(blockB(one, protocol)).contains("Project one").doesNotContain("Project two");
                assertThat(blockB(two, protocol)).contains("Project two");
                List<String> toolNames = requests.get(0).toolNames();
                assertThat(toolNames).isSorted();

                // each step records its block hashes: only the messages change within a session, only block B across projects
                Map<String, String> h1 = hashes(h, first.id(), 0);
                Map<String, String> h2 = hashes(h, first.id(), 1);
                Map<String, String> h3 = hashes(h, second.id(), 0);
                assertThat(h2).containsEntry("system", h1.get("system")).containsEntry("tools", h1.get("tools"))
                        .containsEntry("instructions", h1.get("instructions"));
                assertThat(h2.get("messages")).isNotEqualTo(h1.get("messages"));
                assertThat(h3).containsEntry("system", h1.get("system")).containsEntry("tools", h1.get("tools"));
                assertThat(h3.get("instructions")).isNotEqualTo(h1.get("instructions"));
            }
        }
    }

    private static String blockB(JsonNode body, String protocol) {
        return protocol.equals("anthropic-messages") ? body.path("system").path(1).path("text").asString()
                : body.path(WireLayout.conversation(protocol)).path(1).path("content").asString();
    }

    private static Map<String, String> hashes(Harness h, dev.lathe.protocol.SessionId session, int step) {
        return h.api.messages(session).stream().flatMap(m -> m.parts().stream()).filter(Part.StepStart.class::isInstance)
                .map(p -> ((Part.StepStart) p).promptHashes()).toList().get(step);
    }
}
