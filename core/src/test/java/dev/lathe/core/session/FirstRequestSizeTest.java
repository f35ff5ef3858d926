package dev.lathe.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.llm.Protocols;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.RecordedRequest;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import dev.lathe.tools.Effect;
import dev.lathe.tools.Tool;
import dev.lathe.tools.ToolRegistry;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The default first request stays small (issue 43, DESIGN §28): its system prompt and tool definitions, as they reach the
 * wire, take at most {@link #LIMIT} characters with every default tool, counted as {@code bench/run} counts them (the
 * system blocks' text, the tools as compact JSON without cache marks). The default config: the built-in agent and
 * tools, no MCP server, no project instructions; what MCP, language servers or spend limits add is budgeted elsewhere
 * (McpWiring's allowance). "Every default tool" counts also those offered only once they apply (decision 494:
 * {@code skill} with a skill, {@code bash_output}/{@code bash_kill} once something runs in the background,
 * {@code todoread} where an agent names it), so a description grown in any of them fails here.
 */
class FirstRequestSizeTest {
    /** Issue 68: 18,000 characters (19,995 at 364641bc, with the limit then 20,000). */
    static final int LIMIT = 18_000;
    /** Those offered only where they apply at a first request, by decision 494: counted here all the same. */
    private static final Set<Effect> LATER_DEFAULTS = Set.of(Effect.TRACKS_COMMANDS, Effect.LOADS_SKILLS, Effect.READS_TODOS);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir Path tmp;

    @Test
    void everyDefaultToolAndTheSystemPromptFitInEighteenThousandCharactersAndTheLaterOnesJoinAtTheEnd() throws Exception {
        try (var llm = FakeLlm.start()) {
            String config = "{\"model\": \"fake/m\", \"provider\": {\"fake\": {\"protocol\": \"anthropic-messages\", \"baseUrl\": \""
                    + llm.baseUrl() + "\", \"models\": {\"m\": {\"context\": 200000, \"output\": 32000}}}}, \"permission\": {\"bash\": \"allow\"}}";
            try (var h = new Harness(tmp, config, 10, Protocols.standard(HttpClient.newHttpClient()))) {
                llm.enqueue(Turn.of(Step.text("Hello.")));
                var session = h.session().id();
                h.promptAndWait(session, "hi");

                JsonNode body = llm.requests().getFirst().json();
                var system = new StringBuilder();
                for (JsonNode block : body.path("system")) {
                    if (!system.isEmpty()) system.append('\n');
                    system.append(block.path("text").asString());
                }
                ArrayNode tools = JSON.createArrayNode();
                for (JsonNode tool : body.path("tools")) tools.add(((ObjectNode) tool.deepCopy()).without("cache_control"));
                int firstRequest = system.length() + JSON.writeValueAsString(tools).length();
                List<String> sent = llm.requests().getFirst().toolNames();
                assertThat(sent).as("offered only once they apply").doesNotContain("skill", "bash_output", "bash_kill", "todoread")
                        .contains("bash", "read", "edit", "write", "apply_patch", "grep", "glob", "list", "todo", "question", "task", "webfetch");
                for (Tool<?> t : ToolRegistry.builtins().all()) {
                    if (t.effects().stream().anyMatch(LATER_DEFAULTS::contains) && !sent.contains(t.name())) tools.add(wire(t));
                }
                int total = system.length() + JSON.writeValueAsString(tools).length();
                System.out.println("first request: system " + system.length() + " + tools = " + firstRequest + " characters (" + sent.size()
                        + " tools); with every default tool " + total + " (" + tools.size() + " tools)");
                assertThat(tools.size()).as("the default tools").isEqualTo(16);
                assertThat(system.toString()).as("the build agent's prompt is sent").contains("You are Lathe");
                assertThat(total).as("system prompt + every default tool's definition, characters").isLessThanOrEqualTo(LIMIT);

                // a command started in the background: the trackers of background work join at the end of the list, once
                // (those of subagents too, where task is offered), the rest as it was
                llm.enqueue(Turn.of(Step.toolCall("b1", "bash", "{\"command\":\"sleep 30\",\"background\":true}")).finish("tool_calls"));
                llm.enqueue(Turn.of(Step.text("Started.")));
                llm.enqueue(Turn.of(Step.toolCall("k1", "bash_kill", "{\"id\":\"bg_1\"}")).finish("tool_calls"));
                llm.enqueue(Turn.of(Step.text("Stopped.")));
                h.promptAndWait(session, "start a watcher");
                h.promptAndWait(session, "stop it");
                List<RecordedRequest> requests = llm.requests();
                assertThat(requests.get(1).toolNames()).as("before anything runs in the background").isEqualTo(sent);
                List<String> after = requests.get(2).toolNames();
                assertThat(after).as("after: the trackers at the end, once").isEqualTo(concat(sent, List.of("bash_kill", "bash_output", "task_cancel", "task_status")));
                assertThat(requests.getLast().toolNames()).isEqualTo(after);
                assertThat(requests.get(4).toolResult("k1")).get().asString().doesNotContain("unknown tool").contains("bg_1");

                // a session lathe run starts (its client declines every question): no question, in any of its requests,
                // whoever sends the later prompts; the model is told once, in the first prompt
                llm.enqueue(Turn.of(Step.text("Done.")));
                llm.enqueue(Turn.of(Step.text("Done again.")));
                var headless = h.session().id();
                h.api.prompt(headless, PromptRequest.text("hi").fromHeadlessClient());
                h.awaitIdle(headless);
                h.promptAndWait(headless, "and now from the TUI");
                RecordedRequest first = llm.requests().get(5);
                List<String> withoutQuestion = new java.util.ArrayList<>(sent);
                withoutQuestion.remove("question");
                assertThat(first.toolNames()).isEqualTo(withoutQuestion);
                assertThat(llm.requests().getLast().toolNames()).isEqualTo(withoutQuestion);
                assertThat(first.body().split("nobody can answer questions", -1)).hasSize(2);
                assertThat(llm.requests().getLast().body().split("nobody can answer questions", -1)).as("told once").hasSize(2);
                ArrayNode headlessTools = JSON.createArrayNode();
                for (JsonNode tool : first.json().path("tools")) headlessTools.add(((ObjectNode) tool.deepCopy()).without("cache_control"));
                System.out.println("headless (lathe run) first request: system " + system.length() + " + tools = "
                        + (system.length() + JSON.writeValueAsString(headlessTools).length()) + " characters (" + headlessTools.size() + " tools)");
            }
        }
    }

    /** A tool's definition as the Anthropic encoder writes it: name, description, input_schema. */
    private static ObjectNode wire(Tool<?> t) {
        ObjectNode out = JSON.createObjectNode();
        out.put("name", t.name());
        out.put("description", t.description());
        out.set("input_schema", JSON.readTree(t.parametersSchema()));
        return out;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        var out = new java.util.ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
