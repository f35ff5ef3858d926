package dev.lathe.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogSourceTest {
    static final String SMALL = "{\"acme\": {\"id\": \"acme\", \"npm\": \"@ai-sdk/openai-compatible\", \"api\": \"https://acme.example/v1\","
            + " \"env\": [\"ACME_API_KEY\"], \"models\": {\"m1\": {\"id\": \"m1\", \"limit\": {\"context\": 1000, \"output\": 100}}}}}";

    @TempDir Path tmp;

    @Test
    void aRefreshWritesTheCacheWhichTheNextStartUsesAndABadDownloadIsIgnored() throws Exception {
        var body = new AtomicReference<>(SMALL);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api.json", x -> {
            byte[] b = body.get().getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(200, b.length);
            x.getResponseBody().write(b);
            x.close();
        });
        server.start();
        try (var http = HttpClient.newHttpClient()) {
            URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api.json");
            Path cache = tmp.resolve("cache/models.json");
            assertThat(CatalogSource.load(cache).provider("anthropic")).isPresent(); // nothing cached: the bundled snapshot

            CatalogSource.refresh(http, url, cache);
            assertThat(CatalogSource.load(cache).provider("acme")).isPresent();
            assertThat(CatalogSource.isStale(cache)).isFalse();

            body.set("<html>maintenance</html>");
            CatalogSource.refresh(http, url, cache);
            assertThat(CatalogSource.load(cache).provider("acme")).isPresent();

            Files.setLastModifiedTime(cache, FileTime.from(Instant.now().minus(CatalogSource.MAX_AGE).minusSeconds(60)));
            assertThat(CatalogSource.isStale(cache)).isTrue();
            body.set(SMALL);
            var source = CatalogSource.start(tmp.resolve("cache"), Map.of("LATHE_MODELS_URL", url.toString()), http, java.time.Duration.ZERO);
            assertThat(source.get().provider("acme")).isPresent();
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (CatalogSource.isStale(cache) && System.nanoTime() < deadline) Thread.sleep(20);
            assertThat(CatalogSource.isStale(cache)).as("refreshed in the background").isFalse();
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aCorruptCacheFallsBackToTheBundledSnapshot() throws Exception {
        Path cache = Files.createDirectories(tmp.resolve("cache")).resolve("models.json");
        Files.writeString(cache, "{ not json");
        assertThat(CatalogSource.load(cache).provider("anthropic")).isPresent();
    }
}
