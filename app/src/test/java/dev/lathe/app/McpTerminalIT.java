package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.LoopbackAuthServer;
import dev.lathe.testkit.TempWorkspace;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code /mcp} and {@code /mcp auth NAME} in the terminal UI on the packaged jar: a remote server waiting for its
 * sign-in is listed with its state, the sign-in runs in the daemon, the UI shows the URL, this test's browser follows
 * it to the daemon's loopback listener ({@link LoopbackAuthServer} redirects at once), and the UI says it is signed in.
 */
class McpTerminalIT {
    static final Duration WAIT = Duration.ofSeconds(30);
    static final Pattern URL = Pattern.compile("http://127\\.0\\.0\\.1:\\d+/as/authorize\\?\\S+");
    @TempDir Path home;

    @Test
    void slashMcpListsTheServerAndSlashMcpAuthSignsInThroughTheDaemon() throws Exception {
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create().write("notes.txt", "alpha\n").initGitRepo(); var auth = new LoopbackAuthServer()) {
            var json = JsonMapper.builder().build();
            ObjectNode config = (ObjectNode) json.readTree(Lathe.providerConfig("anthropic-messages", llm.baseUrl(), "sk-tui"));
            config.set("mcp", json.readTree("{\"remote\": {\"type\": \"remote\", \"url\": \"" + auth.resource + "\"}}"));
            var lathe = new Lathe(home, json.writeValueAsString(config));
            // wide, so the authorization URL stays on one row
            try (var tmux = Tmux.start(lathe.command(), ws.path(), 700, 40)) {
                tmux.awaitText("Ask anything", WAIT);
                String listed = "";
                for (int i = 0; i < 20 && !listed.contains("needs_auth"); i++) {
                    tmux.type("/mcp").sendKeys("Enter");
                    listed = tmux.awaitText("MCP servers", WAIT);
                    if (!listed.contains("needs_auth")) Thread.sleep(500);
                }
                assertThat(listed).contains("remote", "needs_auth", "/mcp auth remote signs in");

                tmux.type("/mcp auth remote").sendKeys("Enter");
                Matcher url = URL.matcher(tmux.awaitText(URL, WAIT));
                assertThat(url.find()).isTrue();
                assertThat(tmux.awaitText("Sign in to remote", WAIT)).contains("this says when the sign-in is done");

                var browser = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
                var page = browser.send(HttpRequest.newBuilder(URI.create(url.group())).build(), HttpResponse.BodyHandlers.discarding());
                var callback = browser.send(HttpRequest.newBuilder(URI.create(page.headers().firstValue("Location").orElseThrow())).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(callback.statusCode()).isEqualTo(200);
                tmux.awaitText("Signed in to remote", WAIT);
                assertThat(auth.codesIssued.get()).isEqualTo(1);
            } finally {
                lathe.stopDaemon();
            }
        }
    }
}
