package dev.lathe.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.api.CommandInfo;
import dev.lathe.protocol.api.McpResourceInfo;
import dev.lathe.protocol.api.McpServerInfo;
import dev.lathe.testkit.NpmServers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /mcp} over real HTTP: the folder's configured server, started by the request, reaches {@code connected}. */
class McpRouteTest {
    @TempDir Path tmp;

    @Test
    void getMcpAnswersTheFoldersServersWithTheirStatus() throws Exception {
        String ev = NpmServers.bin("mcp-server-everything").toString();
        try (var live = new LiveServer(tmp, ", \"mcp\": {\"ev\": {\"type\": \"local\", \"command\": [\"" + ev + "\"]}}");
                var client = live.client()) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!client.mcp(live.project.toString()).getFirst().status().equals("connected") && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(client.mcp(live.project.toString())).containsExactly(new McpServerInfo("ev", "connected", Optional.empty(), 0));

            // the wire shape, as a script reads it
            var raw = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(live.http.url() + "/mcp?directory="
                    + URLEncoder.encode(live.project.toString(), StandardCharsets.UTF_8))).header("Authorization", "Bearer " + live.token).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(raw.statusCode()).isEqualTo(200);
            assertThat(raw.body()).contains("\"name\":\"ev\"").contains("\"status\":\"connected\"").contains("\"restarts\":0");
        }
    }

    @Test
    void getMcpResourcesAndCommandsAnswerTheConnectedServersResourcesAndPrompts() throws Exception {
        String ev = NpmServers.bin("mcp-server-everything").toString();
        try (var live = new LiveServer(tmp, ", \"mcp\": {\"ev\": {\"type\": \"local\", \"command\": [\"" + ev + "\"]}}");
                var client = live.client()) {
            String dir = live.project.toString();
            client.mcp(dir);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while ((client.mcpResources(dir).isEmpty() || client.commands(dir).stream().noneMatch(c -> c.name().startsWith("ev:")))
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(client.mcpResources(dir)).contains(new McpResourceInfo("ev", "demo://resource/static/document/architecture.md", "architecture.md",
                    "Static document file exposed from /docs: architecture.md", "text/markdown", false));
            assertThat(client.commands(dir)).anySatisfy(c -> {
                assertThat(c.name()).isEqualTo("ev:args-prompt");
                assertThat(c.source()).isEqualTo("mcp:ev");
                assertThat(c.arguments()).extracting(CommandInfo.Argument::name).containsExactly("city", "state");
            });

            var raw = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(live.http.url() + "/mcp/resources?directory="
                    + URLEncoder.encode(dir, StandardCharsets.UTF_8))).header("Authorization", "Bearer " + live.token).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(raw.statusCode()).isEqualTo(200);
            assertThat(raw.body()).contains("{\"server\":\"ev\",\"uri\":\"demo://resource/dynamic/text/{resourceId}\"").contains("\"template\":true");
        }
    }
}
