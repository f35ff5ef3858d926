package dev.lathe.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.config.ConfigLoader;
import dev.lathe.core.config.LathePaths;
import dev.lathe.protocol.api.CreateSessionRequest;
import dev.lathe.protocol.api.McpServerInfo;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.NpmServers;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A configured (not a session's) local MCP server starts from Lathe's environment without its credentials: through the
 * whole core ({@link LatheCore}) with the real server-everything, whose {@code get-env} tool the model calls. Lathe's
 * environment holds a key under a provider's variable name and a configured provider's key under a plain name; the
 * server sees neither, sees Lathe's other variables (PATH among them) and sees what its entry's {@code env} gives it,
 * credential-like names included: the user wrote those for that server.
 */
class ProjectMcpEnvironmentTest {
    private static final String NAMED_KEY = "sk-ant-named-key-must-not-reach-the-server";
    private static final String CONFIGURED_KEY = "sk-configured-key-held-under-a-plain-name";

    @TempDir Path tmp;
    private FakeLlm llm;
    private LatheCore core;

    @AfterEach
    void close() {
        if (core != null) core.close();
        if (llm != null) llm.close();
    }

    @Test
    void aConfiguredServerSeesNoProviderKeyButWhatItsEntryGivesIt() throws Exception {
        llm = FakeLlm.start();
        Path root = tmp.toRealPath();
        Path project = Files.createDirectories(root.resolve("project"));
        Map<String, String> env = new HashMap<>(Map.of("HOME", root.toString(), "XDG_DATA_HOME", root.resolve("data").toString(),
                "XDG_CONFIG_HOME", root.resolve("config").toString(), "XDG_STATE_HOME", root.resolve("state").toString(),
                "XDG_CACHE_HOME", root.resolve("cache").toString(), "LATHE_DISABLE_MODELS_FETCH", "1",
                "ANTHROPIC_API_KEY", NAMED_KEY, "PLAINLY_NAMED", CONFIGURED_KEY, "LATHE_TEST_PLAIN", "plain-value",
                "PATH", System.getenv("PATH")));
        var paths = LathePaths.fromEnvironment(env);
        Files.createDirectories(paths.globalConfig().getParent());
        // the global file's servers run in every folder, trusted or not; the provider's key is the plainly named variable
        Files.writeString(paths.globalConfig(), "{\"model\": \"fake/m\", \"provider\": {\"fake\": {\"protocol\": \"openai-chat\", \"baseUrl\": \""
                + llm.baseUrl() + "\", \"apiKey\": \"{env:PLAINLY_NAMED}\", \"models\": {\"m\": {\"context\": 100000, \"output\": 4000}}}},"
                + " \"permission\": {\"ev_*\": \"allow\"}, \"mcp\": {\"ev\": {\"type\": \"local\", \"command\": [\""
                + NpmServers.bin("mcp-server-everything") + "\"], \"env\": {\"GITHUB_TOKEN\": \"ghp_Us3rG4v3Th1sS3rv3rK7mQ2xR9vN1bK7cW3\","
                + " \"ANTHROPIC_API_KEY\": \"sk-ant-api03-Ch0s3nByTh3Us3r4Ev-q7Vr2mPz9KfL4tWc8\", \"USER_GIVEN\": \"from-the-entry\"}}}}");
        core = LatheCore.open(paths, env, new ConfigLoader(paths, env, root.resolve("managed.json")));
        var api = core.api();
        var session = api.createSession(CreateSessionRequest.in(project.toString()));

        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();  // a node server starting on a loaded CI machine
        while (!connected(project) && System.nanoTime() < deadline) Thread.sleep(50);
        assertThat(api.mcp(project.toString())).extracting(McpServerInfo::status).containsExactly("connected");
        while (core.mcpWiring().tools().find(project, "ev_get-env").isEmpty() && System.nanoTime() < deadline) Thread.sleep(50);

        llm.enqueue(Turn.of(Step.toolCall("env", "ev_get-env", "{}")));
        llm.enqueue(Turn.of(Step.text("Done.")));
        api.prompt(session.id(), PromptRequest.text("print the server's environment"));
        assertThat(llm.awaitRequests(2, Duration.ofSeconds(30))).isTrue();
        while (!(api.status(session.id()) instanceof SessionStatus.Idle) && System.nanoTime() < deadline) Thread.sleep(20);

        assertThat(llm.requests().getFirst().headers().get("authorization")).as("the provider got its key")
                .isEqualTo("Bearer " + CONFIGURED_KEY);
        String seen = llm.requests().get(1).toolResult("env").orElseThrow();
        assertThat(seen).as("Lathe's own variables: the server starts from Lathe's environment")
                .contains("\"PATH\"", "\"HOME\"", "LATHE_TEST_PLAIN", "plain-value");
        // the server got its entry's env, credential-like names included; what it prints of a secret-named value reaches
        // the model masked (DESIGN §26: MCP env values named *TOKEN*, *KEY* are secrets the server knows)
        assertThat(seen).as("its entry's env, credential-like names included")
                .contains("USER_GIVEN", "from-the-entry", "\"GITHUB_TOKEN\": \"***\"", "\"ANTHROPIC_API_KEY\": \"***\"")
                .doesNotContain("ghp_Us3rG4v3Th1sS3rv3rK7mQ2xR9vN1bK7cW3").doesNotContain("sk-ant-api03-Ch0s3nByTh3Us3r4Ev-q7Vr2mPz9KfL4tWc8");
        assertThat(seen).as("neither provider key, nor the variable holding the configured one")
                .doesNotContain(NAMED_KEY).doesNotContain(CONFIGURED_KEY).doesNotContain("PLAINLY_NAMED");
    }

    private boolean connected(Path project) {
        var servers = core.api().mcp(project.toString());
        return !servers.isEmpty() && servers.stream().allMatch(s -> s.status().equals("connected"));
    }
}
