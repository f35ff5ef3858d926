package dev.lathe.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.llm.Protocols;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.net.http.HttpClient;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The default first request stays small (issue 43): its system prompt and tool definitions, as they reach the wire,
 * take at most {@link #LIMIT} characters, counted as {@code bench/run} counts them (the system blocks' text, the tools
 * as compact JSON without cache marks). The default config: the built-in agent and tools, no MCP server, no project
 * instructions; what MCP, language servers or spend limits add is budgeted elsewhere (McpWiring's allowance).
 */
class FirstRequestSizeTest {
    /** Issue 43: back under 20,000 characters (20,074 at 87edaf5) without trimming what the model needs. */
    static final int LIMIT = 20_000;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir Path tmp;

    @Test
    void theDefaultFirstRequestsSystemPromptAndToolsFitInTwentyThousandCharacters() throws Exception {
        try (var llm = FakeLlm.start()) {
            String config = "{\"model\": \"fake/m\", \"provider\": {\"fake\": {\"protocol\": \"anthropic-messages\", \"baseUrl\": \""
                    + llm.baseUrl() + "\", \"models\": {\"m\": {\"context\": 200000, \"output\": 32000}}}}}";
            try (var h = new Harness(tmp, config, 10, Protocols.standard(HttpClient.newHttpClient()))) {
                llm.enqueue(Turn.of(Step.text("Hello.")));
                h.promptAndWait(h.session().id(), "hi");

                JsonNode body = llm.requests().getFirst().json();
                var system = new StringBuilder();
                for (JsonNode block : body.path("system")) {
                    if (!system.isEmpty()) system.append('\n');
                    system.append(block.path("text").asString());
                }
                var tools = JSON.createArrayNode();
                for (JsonNode tool : body.path("tools")) tools.add(((ObjectNode) tool.deepCopy()).without("cache_control"));
                String toolsJson = JSON.writeValueAsString(tools);
                int total = system.length() + toolsJson.length();
                System.out.println("first request: system " + system.length() + " + tools " + toolsJson.length() + " = " + total
                        + " characters (" + tools.size() + " tools)");
                assertThat(tools.size()).as("the default tools are offered").isGreaterThanOrEqualTo(15);
                assertThat(system.toString()).as("the build agent's prompt is sent").contains("You are Lathe");
                assertThat(total).as("system prompt + tool definitions, characters").isLessThanOrEqualTo(LIMIT);
            }
        }
    }
}
