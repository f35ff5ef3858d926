package dev.lathe.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.api.BlockedConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /network/blocked} over real HTTP (decision 120): a connection local-only mode refused before any client
 * attached — a remote MCP entry left out when the project opened — is listed for that folder, not for another, and
 * among every folder's.
 */
class BlockedConnectionsRouteTest {
    /** TEST-NET-1: never routed, and never contacted anyway (the gate refuses before any socket). */
    private static final String FAR = "192.0.2.1";

    @TempDir Path tmp;

    @Test
    void aRefusalMadeBeforeTheClientAttachedIsListedForItsFolderOnly() throws Exception {
        try (var live = new LiveServer(tmp, ", \"network\": \"local\", \"mcp\": {\"far\": {\"type\": \"remote\", \"url\": \"http://" + FAR + "/mcp\"}}")) {
            String dir = live.project.toRealPath().toString();
            // the daemon opens the project for someone else first: the MCP entry is refused with nobody of ours listening
            live.core.api().mcp(dir);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (live.core.api().blockedConnections(dir).isEmpty() && System.nanoTime() < deadline) Thread.sleep(10);

            Path other = Files.createDirectories(tmp.resolve("other")).toRealPath();
            try (var client = live.client()) {
                List<BlockedConnection> listed = client.blockedConnections(dir);
                assertThat(listed).extracting(BlockedConnection::folder, BlockedConnection::host, BlockedConnection::by)
                        .containsExactly(org.assertj.core.groups.Tuple.tuple(dir, FAR, "mcp far"));
                assertThat(listed.getFirst().at()).isPositive();
                assertThat(client.blockedConnections(other.toString())).isEmpty();
                // every folder's, for a client that shows them all (the web UI's app bar)
                assertThat(client.blockedConnections("")).isEqualTo(listed);
            }

            // the wire shape, as a script reads it; a folder that does not exist is a clear 400
            var http = HttpClient.newHttpClient();
            var raw = http.send(get(live, "/network/blocked?directory=" + URLEncoder.encode(dir, StandardCharsets.UTF_8)), HttpResponse.BodyHandlers.ofString());
            assertThat(raw.statusCode()).isEqualTo(200);
            assertThat(raw.body()).contains("\"host\":\"" + FAR + "\"").contains("\"by\":\"mcp far\"");
            var missing = http.send(get(live, "/network/blocked?directory=" + URLEncoder.encode(tmp.resolve("nope").toString(), StandardCharsets.UTF_8)),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(missing.statusCode()).isEqualTo(400);
            assertThat(missing.body()).contains("directory does not exist");
        }
    }

    private static HttpRequest get(LiveServer live, String path) {
        return HttpRequest.newBuilder(URI.create(live.http.url() + path)).header("Authorization", "Bearer " + live.token).build();
    }
}
