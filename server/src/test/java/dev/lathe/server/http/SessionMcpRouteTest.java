package dev.lathe.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.McpServerInfo;
import dev.lathe.protocol.api.SessionMcpRequest;
import dev.lathe.protocol.api.SessionMcpServer;
import dev.lathe.testkit.NpmServers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code PUT} and {@code GET /sessions/{id}/mcp} over real HTTP with the real core: a client's server-everything round
 * trip through {@code HttpLatheClient} (connected, listed, removed), the wire shape a script sends and reads, and a bad
 * body answered 400 with a message (never 500), a missing session 404, a missing token 401.
 */
class SessionMcpRouteTest {
    @TempDir Path tmp;

    @Test
    void aClientsServersRoundTripAndBadBodiesAreRefused() throws Exception {
        try (var live = new LiveServer(tmp); var client = live.client()) {
            SessionId id = live.session(client).id();
            String ev = NpmServers.bin("mcp-server-everything").toString();
            List<McpServerInfo> now = client.setSessionMcp(id, new SessionMcpRequest(List.of(
                    new SessionMcpServer.Stdio("ed", ev, List.of(), Map.of("A", "b")))));
            assertThat(now).extracting(McpServerInfo::name).containsExactly("ed");
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!client.sessionMcp(id).getFirst().status().equals("connected") && System.nanoTime() < deadline) Thread.sleep(50);
            assertThat(client.sessionMcp(id)).extracting(McpServerInfo::status).containsExactly("connected");

            String url = live.http.url() + "/sessions/" + id.value() + "/mcp";
            var get = send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + live.token).GET());
            assertThat(get.statusCode()).isEqualTo(200);
            assertThat(get.body()).contains("\"name\":\"ed\"", "\"status\":\"connected\"");

            for (String bad : List.of("{}", "{\"servers\": [{\"type\": \"stdio\", \"name\": \"x\"}]}",
                    "{\"servers\": [{\"type\": \"carrier-pigeon\", \"name\": \"x\"}]}",
                    "{\"servers\": [{\"type\": \"http\", \"name\": \"x\", \"url\": \"file:///etc/passwd\"}]}",
                    "{\"servers\": [{\"type\": \"http\", \"name\": \"x\", \"url\": \"http://host/a path\"}]}",
                    "{\"servers\": [{\"type\": \"stdio\", \"name\": \"../up\", \"command\": \"sh\"}]}", "[1, 2]", "not json")) {
                var refused = send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + live.token)
                        .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(bad)));
                assertThat(refused.statusCode()).as(bad).isEqualTo(400);
                assertThat(refused.body()).as(bad).contains("\"message\"");
            }
            assertThat(client.sessionMcp(id)).as("a refused body changes nothing").extracting(McpServerInfo::name).containsExactly("ed");

            // an empty list, as a script writes it, removes the servers
            var put = send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + live.token)
                    .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("{\"servers\": []}")));
            assertThat(put.statusCode()).isEqualTo(200);
            assertThat(put.body()).isEqualTo("[]");
            assertThat(client.sessionMcp(id)).isEmpty();

            var anonymous = send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"servers\": []}")));
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThatThrownBy(() -> client.sessionMcp(new SessionId("ses_missing"))).isInstanceOf(LatheException.NotFound.class);
            assertThatThrownBy(() -> client.setSessionMcp(new SessionId("ses_missing"), new SessionMcpRequest(List.of())))
                    .isInstanceOf(LatheException.NotFound.class);
        }
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
