package dev.lathe.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

class PlainHttpTest {
    @Test
    void aPlainHttpServerIsReachedWithoutTheDefaultTlsContext() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        try {
            URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
            try (HttpClient client = PlainHttp.forServer(HttpClient.newBuilder(), base).build()) {
                assertThat(client.sslContext()).isNotSameAs(SSLContext.getDefault());
                assertThat(client.send(HttpRequest.newBuilder(base.resolve("/health")).build(), HttpResponse.BodyHandlers.discarding()).statusCode())
                        .isEqualTo(204);
            }
        } finally {
            server.stop(0);
        }
    }

    @Test
    void anHttpsServerKeepsTheJdkDefaultContext() throws Exception {
        try (HttpClient client = PlainHttp.forServer(HttpClient.newBuilder(), URI.create("https://lathe.example:8443")).build()) {
            assertThat(client.sslContext()).isSameAs(SSLContext.getDefault());
        }
    }
}
