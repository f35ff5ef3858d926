package dev.lathe.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.config.ConfigLoader;
import dev.lathe.core.config.LathePaths;
import dev.lathe.llm.TokenEstimate;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.CreateSessionRequest;
import dev.lathe.protocol.api.InputPart;
import dev.lathe.protocol.api.McpServerInfo;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.NpmServers;
import dev.lathe.testkit.RecordedRequest;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The cache-stability guarantees of DESIGN §7 and §16 (see {@code CacheLayoutTest}) with ten MCP servers configured
 * (the real npm server-everything, ten times), through the whole core as the server runs it ({@link LatheCore}: the
 * config's {@code mcp}, the connections, the tools' allowance) and the real encoders over HTTP: their tools exceed the
 * first request's budget, so it carries {@code tool_search} instead and stays within 5k tokens; a tool the model finds
 * joins at the end of the list; what came before it (system prompt, earlier tools, earlier messages) is sent as the
 * same bytes from step to step.
 */
class McpCacheLayoutTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int SERVERS = 10;

    @TempDir static Path tmp;
    private static FakeLlm llm;
    private static LatheCore core;
    private static Path project;

    @BeforeAll
    static void startTenServers() throws Exception {
        llm = FakeLlm.start();
        var servers = new StringBuilder();
        for (int i = 1; i <= SERVERS; i++) {
            servers.append(i == 1 ? "" : ", ").append("\"ev").append(i).append("\": {\"type\": \"local\", \"command\": [\"")
                    .append(NpmServers.bin("mcp-server-everything")).append("\"]}");
        }
        var providers = new StringBuilder();
        for (String protocol : List.of("openai-chat", "anthropic-messages", "openai-responses")) {
            providers.append(providers.isEmpty() ? "" : ", ").append('"').append(protocol).append("\": {\"protocol\": \"").append(protocol)
                    .append("\", \"baseUrl\": \"").append(llm.baseUrl()).append("\", \"models\": {\"m\": {\"context\": 100000, \"output\": 4000}}}");
        }
        Path root = tmp.toRealPath();
        project = Files.createDirectories(root.resolve("project"));
        Map<String, String> env = new HashMap<>(Map.of("HOME", root.toString(), "XDG_DATA_HOME", root.resolve("data").toString(),
                "XDG_CONFIG_HOME", root.resolve("config").toString(), "XDG_STATE_HOME", root.resolve("state").toString(),
                "XDG_CACHE_HOME", root.resolve("cache").toString(), "LATHE_DISABLE_MODELS_FETCH", "1"));
        var paths = LathePaths.fromEnvironment(env);
        Files.createDirectories(paths.globalConfig().getParent());
        Files.writeString(paths.globalConfig(), "{\"model\": \"openai-chat/m\", \"provider\": {" + providers + "}, \"mcp\": {" + servers
                + "}, \"permission\": {\"ev7_echo\": \"allow\"}}");
        core = LatheCore.open(paths, env, new ConfigLoader(paths, env, root.resolve("managed.json")));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        List<McpServerInfo> seen = core.api().mcp(project.toString());
        while (!(seen.size() == SERVERS && seen.stream().allMatch(s -> s.status().equals("connected")))) {
            if (System.nanoTime() > deadline) throw new AssertionError("the ten servers did not connect: " + seen);
            Thread.sleep(100);
            seen = core.api().mcp(project.toString());
        }
        // each connected server's tools are listed on a background thread right after it connects
        Thread.sleep(3000);
    }

    @AfterAll
    static void stop() {
        if (core != null) core.close();
        if (llm != null) llm.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai-chat", "anthropic-messages", "openai-responses"})
    void theFirstRequestStaysInBudgetAndAFoundToolJoinsAtTheEndWithTheEarlierBytesUnchanged(String protocol) throws Exception {
        int before = llm.requests().size();
        llm.enqueue(Turn.of(Step.toolCall("c1", "tool_search", "{\"query\":\"ev7 echo\"}")));
        llm.enqueue(Turn.of(Step.toolCall("c2", "ev7_echo", "{\"message\":\"cached\"}")));
        llm.enqueue(Turn.of(Step.text("Done.")));
        var session = core.api().createSession(CreateSessionRequest.in(project.toString()));
        core.api().prompt(session.id(), new PromptRequest(List.of(new InputPart.Text("find the echo tool and use it")), Optional.empty(),
                Optional.of(protocol + "/m")));
        assertThat(llm.awaitRequests(before + 3, Duration.ofSeconds(30))).isTrue();
        awaitIdle(session.id());
        List<RecordedRequest> steps = llm.requests().subList(before, before + 3);

        RecordedRequest first = steps.getFirst();
        List<String> offered = first.toolNames();
        assertThat(offered.getLast()).isEqualTo("tool_search");
        assertThat(offered).noneMatch(n -> n.startsWith("ev"));
        int tokens = TokenEstimate.of(first.system()) + TokenEstimate.of(JSON.writeValueAsString(first.json().path("tools")));
        System.out.println(protocol + ": first request with ten MCP servers, system + tools = " + tokens + " tokens (" + offered.size() + " tools)");
        assertThat(tokens).as("DESIGN §16: system + tools of the first request").isLessThanOrEqualTo(McpWiring.FIRST_REQUEST_BUDGET);

        // step 2 carries what tool_search found, appended; step 3 the same list again
        List<String> found = steps.get(1).toolNames();
        assertThat(found.subList(0, offered.size())).isEqualTo(offered);
        assertThat(found.subList(offered.size(), found.size())).contains("ev7_echo");
        assertThat(steps.get(2).toolNames()).isEqualTo(found);
        assertThat(steps.get(2).toolResult("c2")).hasValueSatisfying(t -> assertThat(t).contains("Echo: cached"));

        for (int i = 1; i < steps.size(); i++) {
            JsonNode earlier = steps.get(i - 1).json();
            JsonNode later = steps.get(i).json();
            assertThat(later.propertyNames()).as("the same fields in the same order").containsExactlyElementsOf(earlier.propertyNames());
            assertThat(system(later, protocol)).as("system, byte for byte").isEqualTo(system(earlier, protocol));
            String tools = JSON.writeValueAsString(earlier.path("tools"));
            assertThat(JSON.writeValueAsString(later.path("tools"))).as("the earlier tools, byte for byte, then the found ones")
                    .startsWith(tools.substring(0, tools.length() - 1));
            String messages = conversation(earlier, protocol);
            assertThat(conversation(later, protocol)).as("the earlier conversation, byte for byte").startsWith(messages.substring(0, messages.length() - 1));
        }
    }

    private static void awaitIdle(SessionId id) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!(core.api().status(id) instanceof SessionStatus.Idle)) {
            if (System.nanoTime() > deadline) throw new AssertionError("session did not become idle");
            Thread.sleep(10);
        }
    }

    /** The system prompt as sent: Anthropic's {@code system} blocks, otherwise the leading system or developer message(s). */
    private static String system(JsonNode body, String protocol) {
        if (protocol.equals("anthropic-messages")) return JSON.writeValueAsString(body.path("system"));
        var out = new StringBuilder();
        for (JsonNode m : body.path(protocol.equals("openai-responses") ? "input" : "messages")) {
            String role = m.path("role").asString("");
            if (!role.equals("system") && !role.equals("developer")) break;
            out.append(JSON.writeValueAsString(m));
        }
        return out.toString();
    }

    /**
     * The conversation as sent; Anthropic's cache breakpoints on the last two messages move forward each step by design
     * (they mark where the next cache entry ends, not content), so they are taken out.
     */
    private static String conversation(JsonNode body, String protocol) {
        JsonNode messages = body.path(protocol.equals("openai-responses") ? "input" : "messages").deepCopy();
        if (protocol.equals("anthropic-messages")) {
            for (JsonNode m : messages) for (JsonNode block : m.path("content")) ((tools.jackson.databind.node.ObjectNode) block).remove("cache_control");
        }
        return JSON.writeValueAsString(messages);
    }
}
