package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.NpmServers;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.TempWorkspace;
import dev.lathe.testkit.Turn;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A provider key, given through an environment variable of any name, reaches the provider and nothing else: not the
 * commands the model runs, not a configured MCP server (the real server-everything's {@code get-env}), not the output,
 * events, database, logs or files of Lathe, not its error messages.
 */
class KeyLeakIT {
    static final String MARKER = "sk-leak-marker-93b1d7e2";

    @TempDir Path home;

    @Test
    void theKeyGoesToTheProviderOnly() throws Exception {
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create()) {
            // the MCP server starts in the background (the first request never waits for it): the first step gives it time
            llm.enqueue(Turn.of(Step.toolCall("c1", "bash", "{\"command\":\"env; cat /proc/self/environ | tr '\\\\0' '\\\\n'; sleep 8\"}")));
            llm.enqueue(Turn.of(Step.toolCall("c2", "ev_get-env", "{}")));
            llm.enqueue(Turn.of(Step.text("looked around")));
            llm.enqueue(Turn.httpError(401, "{\"error\":{\"message\":\"Incorrect API key provided: " + MARKER.substring(0, 8) + "...\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}", java.util.Map.of()));
            String config = "{\"model\": \"fake/m\", \"provider\": {\"fake\": {\"protocol\": \"openai-chat\", \"baseUrl\": \"" + llm.baseUrl()
                    + "\", \"apiKey\": \"{env:WHATEVER_NAME}\", \"models\": {\"m\": {\"context\": 100000, \"output\": 4096}}}},"
                    + " \"mcp\": {\"ev\": {\"type\": \"local\", \"command\": [\"" + NpmServers.bin("mcp-server-everything") + "\"]}}}";
            var lathe = new Lathe(home, config).withEnv("WHATEVER_NAME", MARKER);

            var ok = lathe.run("run", "--dir", ws.path().toString(), "--allow-all", "--format", "json", "show me the environment");
            var failed = lathe.run("run", "--dir", ws.path().toString(), "--continue", "again");

            assertThat(ok.exit()).as(ok.stderr()).isZero();
            assertThat(failed.exit()).isEqualTo(1);
            assertThat(llm.requests().getFirst().headers().get("authorization")).isEqualTo("Bearer " + MARKER);
            String envSeen = llm.requests().get(1).toolResult("c1").orElseThrow();
            assertThat(envSeen).contains("PATH=").doesNotContain(MARKER).doesNotContain("WHATEVER_NAME");
            String serverEnv = llm.requests().get(2).toolResult("c2").orElseThrow();
            assertThat(serverEnv).contains("\"PATH\"").doesNotContain(MARKER).doesNotContain("WHATEVER_NAME");
            assertThat(ok.stdout() + ok.stderr() + failed.stdout() + failed.stderr()).doesNotContain(MARKER);
            assertThat(failed.stderr()).contains("unauthorized");
            try (Stream<Path> files = Files.walk(home)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    assertThat(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)).as(f.toString()).doesNotContain(MARKER);
                }
            }
        }
    }
}
