package dev.lathe.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.client.HttpLatheClient;
import dev.lathe.protocol.api.EventFilter;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.McpServerInfo;
import dev.lathe.protocol.api.McpSignInStarted;
import dev.lathe.protocol.event.Event;
import dev.lathe.testkit.LoopbackAuthServer;
import dev.lathe.testkit.NpmServers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /mcp/{name}/restart} and {@code POST /mcp/{name}/auth} over real HTTP with the real core: a connected
 * server-everything restarted, and a sign-in started by a client against {@link LoopbackAuthServer}, whose browser
 * (this test) follows the authorization URL the route answered back to the server's loopback listener.
 */
class McpControlRoutesTest {
    @TempDir Path tmp;

    private static McpServerInfo await(HttpLatheClient client, String dir, String name, Predicate<McpServerInfo> done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            var found = client.mcp(dir).stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
            if (done.test(found)) return found;
            Thread.sleep(50);
        }
        throw new AssertionError(name + " never reached the expected state: " + client.mcp(dir));
    }

    @Test
    void restartReconnectsAConnectedServerAndRefusesWhatIsNotConfigured() throws Exception {
        String ev = NpmServers.bin("mcp-server-everything").toString();
        try (var live = new LiveServer(tmp, ", \"mcp\": {\"ev\": {\"type\": \"local\", \"command\": [\"" + ev + "\"]}}");
                var client = live.client()) {
            String dir = live.project.toString();
            await(client, dir, "ev", s -> s.status().equals("connected"));

            McpServerInfo now = client.restartMcp(dir, "ev");
            assertThat(now.name()).isEqualTo("ev");
            assertThat(await(client, dir, "ev", s -> s.status().equals("connected") && s.restarts() == 1).error())
                    .as("a restart asked for is not a failure").isEmpty();

            assertThatThrownBy(() -> client.restartMcp(dir, "nope")).isInstanceOf(LatheException.NotFound.class)
                    .hasMessageContaining("no MCP server called 'nope'").hasMessageContaining("configured: ev");
            assertThatThrownBy(() -> client.restartMcp(tmp.resolve("missing").toString(), "ev")).isInstanceOf(LatheException.class)
                    .hasMessageContaining("missing");
            assertThatThrownBy(() -> client.signInMcp(dir, "ev")).isInstanceOf(LatheException.InvalidInput.class)
                    .hasMessageContaining("'ev' is a local server");
        }
    }

    @Test
    void aSignInStartedByAClientCompletesInTheServerAndRestartsTheServerThatNeededIt() throws Exception {
        try (var auth = new LoopbackAuthServer();
                var live = new LiveServer(tmp, ", \"mcp\": {\"remote\": {\"type\": \"remote\", \"url\": \"" + auth.resource + "\"}}");
                var client = live.client()) {
            String dir = live.project.toString();
            assertThat(await(client, dir, "remote", s -> s.status().equals("needs_auth")).error()).hasValueSatisfying(e -> assertThat(e).contains("lathe mcp auth remote"));
            List<Event> events = new CopyOnWriteArrayList<>();
            try (AutoCloseable _ = client.subscribe(new EventFilter(Optional.of(dir), Optional.empty()), 0, e -> events.add(e.event()))) {
                McpSignInStarted started = client.signInMcp(dir, "remote");
                assertThat(started.server()).isEqualTo("remote");
                assertThat(started.authorizationUrl()).startsWith(auth.issuer + "/authorize?").contains("code_challenge_method=S256");

                // the user's browser: the authorization server redirects (signed in already) to the server's loopback listener
                var browser = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
                var page = browser.send(HttpRequest.newBuilder(URI.create(started.authorizationUrl())).build(), HttpResponse.BodyHandlers.ofString());
                String location = page.headers().firstValue("Location").orElseThrow();
                assertThat(location).startsWith("http://127.0.0.1:");
                var callback = browser.send(HttpRequest.newBuilder(URI.create(location)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(callback.statusCode()).isEqualTo(200);

                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (events.stream().noneMatch(e -> e instanceof Event.McpSignInFinished) && System.nanoTime() < deadline) Thread.sleep(20);
                assertThat(events).filteredOn(e -> e instanceof Event.McpSignInFinished).singleElement()
                        .isEqualTo(new Event.McpSignInFinished(dir, "remote", true, Optional.empty()));
                assertThat(Files.exists(live.paths().data().resolve("mcp-auth").resolve("remote.json"))).isTrue();
                // restarted: it leaves needs_auth (the loopback resource is no MCP server, so it then fails, signed in)
                await(client, dir, "remote", s -> !s.status().equals("needs_auth"));
                assertThat(auth.codesIssued.get()).isEqualTo(1);
            }
        }
    }

    @Test
    void aSignInThatCannotStartAnswersWhy() throws Exception {
        try (var auth = new LoopbackAuthServer();
                var live = new LiveServer(tmp, ", \"mcp\": {\"off\": {\"type\": \"remote\", \"url\": \"" + auth.resource + "\", \"oauth\": false},"
                        + " \"gone\": {\"type\": \"remote\", \"url\": \"http://127.0.0.1:9/mcp\"}}");
                var client = live.client()) {
            String dir = live.project.toString();
            assertThatThrownBy(() -> client.signInMcp(dir, "off")).isInstanceOf(LatheException.InvalidInput.class)
                    .hasMessageContaining("\"oauth\": false");
            assertThatThrownBy(() -> client.signInMcp(dir, "gone")).isInstanceOf(LatheException.Unavailable.class)
                    .hasMessageContaining("could not sign in to gone");
            assertThatThrownBy(() -> client.signInMcp(dir, "nope")).isInstanceOf(LatheException.NotFound.class);
        }
    }
}
