package dev.lathe.llm.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BackgroundHttpClientTest {
    @Test
    void returnsBeforeTheClientIsBuiltAndSendsThroughItOnceItIs() throws Exception {
        var release = new CountDownLatch(1);
        var built = new CountDownLatch(1);
        HttpClient client = BackgroundHttpClient.start(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            built.countDown();
            return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        });
        assertThat(built.getCount()).as("still building when start returned").isEqualTo(1);

        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = "pong".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try (client) {
            release.countDown();
            var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/ping")).build();
            assertThat(client.send(request, HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("pong");
            assertThat(built.await(1, TimeUnit.SECONDS)).isTrue();
            assertThat(client.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        } finally {
            server.stop(0);
        }
        assertThat(client.isTerminated()).as("close reached the real client").isTrue();
    }

    @Test
    void aFailedBuildFailsTheCallsThatNeedIt() {
        HttpClient client = BackgroundHttpClient.start(() -> { throw new IllegalStateException("no TLS provider"); });
        assertThatThrownBy(client::version).isInstanceOf(CompletionException.class).hasMessageContaining("no TLS provider");
    }
}
