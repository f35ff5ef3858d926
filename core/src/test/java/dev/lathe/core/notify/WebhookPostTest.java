package dev.lathe.core.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.lathe.core.config.ConfigLoader;
import dev.lathe.core.config.LathePaths;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The webhook's guards: http(s) only, a server that never answers given up at the timeout, credentials never logged. */
class WebhookPostTest {
    @TempDir Path tmp;

    private dev.lathe.core.config.Config config(String user) {
        var env = new HashMap<String, String>();
        env.put("XDG_CONFIG_HOME", tmp.resolve("xdg-config").toString());
        env.put("HOME", tmp.toString());
        if (!user.isEmpty()) env.put("LATHE_CONFIG_CONTENT", user);
        return new ConfigLoader(LathePaths.fromEnvironment(env), env, tmp.resolve("managed.json")).load(tmp);
    }

    private static final Notice NOTICE = new Notice("done", "ses_1", "t", "/p", "turn finished");

    @Test
    void aWebhookThatNeverAnswersIsGivenUpAtTheTimeout() throws Exception {
        var server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        var never = new CountDownLatch(1);
        var reached = new AtomicInteger();
        server.createContext("/", exchange -> {
            reached.incrementAndGet();
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        try {
            long start = System.nanoTime();
            new WebhookPost(HttpClient.newHttpClient(), Duration.ofMillis(500)).post("http://127.0.0.1:" + server.getAddress().getPort() + "/hang", NOTICE, config(""));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            assertThat(reached.get()).isEqualTo(1);
        } finally {
            never.countDown();
            server.stop(0);
        }
    }

    @Test
    void aFileOrOtherSchemeIsRefusedWithoutReadingAnything() {
        // as a substitution expands it ({env:URL}), past the schema's check: refused when used
        var post = new WebhookPost(HttpClient.newHttpClient(), Duration.ofSeconds(1));
        post.post("file:///etc/passwd", NOTICE, config(""));
        post.post("ftp://example.org/x", NOTICE, config(""));
        post.post("not a url", NOTICE, config(""));
    }

    @Test
    void localOnlyModeSendsNothingToAnotherHost() throws Exception {
        var server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        var reached = new AtomicInteger();
        server.createContext("/", exchange -> {
            reached.incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        try {
            var post = new WebhookPost(HttpClient.newHttpClient(), Duration.ofSeconds(2));
            post.post("http://127.0.0.1:" + server.getAddress().getPort() + "/ok", NOTICE, config("{\"network\": \"local\"}"));
            assertThat(reached.get()).as("loopback is allowed in local-only mode").isEqualTo(1);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void whatALogLineShowsOfAUrlIsItsSchemeAndHostOnly() {
        assertThat(WebhookPost.shown(URI.create("https://user:pw@hooks.slack.com/services/T0/B0/SECRET?token=abc")))
                .isEqualTo("https://hooks.slack.com");
        assertThat(WebhookPost.shown(URI.create("http://127.0.0.1:8080/x?k=v"))).isEqualTo("http://127.0.0.1:8080");
    }

    @Test
    void aHugeTitleAndTextAreCut() {
        var notice = new Notice("ask", "ses_1", "T".repeat(1_000_000), "/p", "x".repeat(1_000_000));
        assertThat(notice.title()).hasSize(Notice.MAX_TITLE + 1);
        assertThat(notice.text()).hasSize(Notice.MAX_TEXT + 1);
        assertThat(notice.json()).hasSizeLessThan(2000);
    }
}
