package dev.lathe.server.http;

import static dev.lathe.server.http.HttpApiServerTest.error;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.client.HttpLatheClient;
import dev.lathe.protocol.api.LatheException;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Optional;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The guards of DESIGN §6: token, Host, Origin, Content-Type and the body cap. */
class SecurityTest {
    private final ServerHarness h = new ServerHarness(ServerOptions.of(ServerHarness.TOKEN, "1").withMaxBodyBytes(1024));

    @AfterEach
    void tearDown() {
        h.close();
    }

    @Test
    void everyRouteButHealthNeedsTheToken() {
        for (String path : List.of("/sessions?directory=/a", "/sessions/ses_1", "/permissions", "/events")) {
            var missing = h.send(h.anonymous(path));
            assertThat(missing.statusCode()).as(path).isEqualTo(401);
            assertThat(error(missing).code()).isEqualTo("unauthorized");
            var wrong = h.send(h.anonymous(path).header("Authorization", "Bearer " + ServerHarness.TOKEN + "x"));
            assertThat(wrong.statusCode()).as(path).isEqualTo(401);
            var basic = h.send(h.anonymous(path).header("Authorization", "Basic " + ServerHarness.TOKEN));
            assertThat(basic.statusCode()).as(path).isEqualTo(401);
        }
        assertThat(h.send(h.anonymous("/health")).statusCode()).isEqualTo(200);
        assertThat(h.send(h.request("/permissions")).statusCode()).isEqualTo(200);
    }

    @Test
    void clientWithWrongTokenIsUnauthorized() {
        try (var client = HttpLatheClient.connect(h.server.url(), "wrong", Optional.empty())) {
            Assertions.assertThatThrownBy(() -> client.sessions("/a"))
                    .isInstanceOf(LatheException.Unauthorized.class);
        }
    }

    @Test
    void foreignHostIs421EvenForHealth() throws Exception {
        for (String host : List.of("evil.example", "evil.example:" + h.server.port(), "127.0.0.2", "localhost.evil.example", "[::2]")) {
            String reply = h.rawExchange("GET /health HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
            assertThat(reply).as(host).startsWith("HTTP/1.1 421").contains("misdirected_request");
        }
    }

    @Test
    void loopbackHostsWithOrWithoutPortAreAccepted() throws Exception {
        int port = h.server.port();
        for (String host : List.of("localhost", "localhost:" + port, "127.0.0.1", "127.0.0.1:" + port, "[::1]", "[::1]:" + port, "LOCALHOST")) {
            String reply = h.rawExchange("GET /permissions HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: Bearer "
                    + ServerHarness.TOKEN + "\r\nConnection: close\r\n\r\n");
            assertThat(reply).as(host).startsWith("HTTP/1.1 200");
        }
    }

    @Test
    void configuredRemoteHostIsAccepted() throws Exception {
        try (var remote = new ServerHarness(ServerOptions.of(ServerHarness.TOKEN, "1").withAllowedHost("box.lan"))) {
            String ok = remote.rawExchange("GET /health HTTP/1.1\r\nHost: box.lan:" + remote.server.port() + "\r\nConnection: close\r\n\r\n");
            assertThat(ok).startsWith("HTTP/1.1 200");
            String origin = remote.rawExchange("GET /health HTTP/1.1\r\nHost: box.lan\r\nOrigin: http://box.lan:"
                    + remote.server.port() + "\r\nConnection: close\r\n\r\n");
            assertThat(origin).startsWith("HTTP/1.1 200");
            String other = remote.rawExchange("GET /health HTTP/1.1\r\nHost: other.lan\r\nConnection: close\r\n\r\n");
            assertThat(other).startsWith("HTTP/1.1 421");
        }
    }

    @Test
    void missingHostIs421() throws Exception {
        assertThat(h.rawExchange("GET /health HTTP/1.0\r\n\r\n")).startsWith("HTTP/1.1 421");
    }

    @Test
    void foreignOriginIs403AndOwnOriginPasses() {
        int port = h.server.port();
        for (String origin : List.of("http://evil.example", "null", "http://127.0.0.1:" + (port + 1), "https://127.0.0.1:" + port,
                "http://evil.example:" + port)) {
            var response = h.send(h.anonymous("/health").header("Origin", origin));
            assertThat(response.statusCode()).as(origin).isEqualTo(403);
            assertThat(error(response).code()).isEqualTo("forbidden");
        }
        for (String origin : List.of("http://127.0.0.1:" + port, "http://localhost:" + port, "http://[::1]:" + port)) {
            assertThat(h.send(h.anonymous("/health").header("Origin", origin)).statusCode()).as(origin).isEqualTo(200);
        }
    }

    @Test
    void jsonRoutesNeedTheJsonContentType() {
        var plain = h.send(h.request("/sessions").header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("{\"directory\":\"/a\"}")));
        assertThat(plain.statusCode()).isEqualTo(415);
        assertThat(error(plain).code()).isEqualTo("unsupported_media_type");
        var none = h.send(h.request("/sessions").POST(HttpRequest.BodyPublishers.ofString("{\"directory\":\"/a\"}")));
        assertThat(none.statusCode()).isEqualTo(415);
        var withCharset = h.send(h.request("/sessions").header("Content-Type", "Application/JSON; charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString("{\"directory\":\"/a\"}")));
        assertThat(withCharset.statusCode()).isEqualTo(201);
    }

    @Test
    void bodiesAboveTheCapAre413() {
        String big = "{\"directory\":\"/" + "a".repeat(2000) + "\"}";
        var declared = h.send(h.postJson("/sessions", big));
        assertThat(declared.statusCode()).isEqualTo(413);
        assertThat(error(declared).code()).isEqualTo("payload_too_large");
        // chunked: no Content-Length, so the cap is enforced while reading
        var chunked = h.send(h.request("/sessions").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big.getBytes()))));
        assertThat(chunked.statusCode()).isEqualTo(413);
        assertThat(h.send(h.postJson("/sessions", "{\"directory\":\"/small\"}")).statusCode()).isEqualTo(201);
    }
}
