package dev.lathe.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lathe.client.HttpTransport.BodyTimeout;
import dev.lathe.client.HttpTransport.Request;
import dev.lathe.client.HttpTransport.Response;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SocketTransportTest {
    private final SocketTransport transport = new SocketTransport(Duration.ofSeconds(2));

    @AfterEach
    void tearDown() {
        transport.close();
    }

    private static Request get(URI uri, Duration timeout) {
        return new Request("GET", uri, Map.of(), Optional.empty(), timeout, BodyTimeout.APPLIES);
    }

    private Response send(ScriptedServer server) throws Exception {
        return transport.send(get(server.uri("/x"), Duration.ofSeconds(5)));
    }

    private static String text(Response response) throws IOException {
        try (response) {
            return new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void readsExactlyContentLengthBytesWithoutWaitingForTheConnectionToClose() throws Exception {
        try (var server = new ScriptedServer((s, out) -> {
            ScriptedServer.write(out, "HTTP/1.1 201 Created\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhelloEXTRA");
            s.holdOpen();
        })) {
            Response response = send(server);
            assertThat(response.status()).isEqualTo(201);
            assertThat(response.header("content-type")).contains("text/plain");
            assertThat(text(response)).isEqualTo("hello");
        }
    }

    @Test
    void readsAChunkedBodyWithExtensionsAndTrailers() throws Exception {
        try (var server = new ScriptedServer((s, out) -> {
            ScriptedServer.write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;name=value\r\nhello\r\n");
            ScriptedServer.write(out, "7 ; x=\"y\"\r\n, world\r\n0\r\nX-Trailer: t\r\nX-Other: u\r\n\r\n");
            s.holdOpen();
        })) {
            assertThat(text(send(server))).isEqualTo("hello, world");
        }
    }

    @Test
    void withoutLengthTheBodyRunsUntilTheServerCloses() throws Exception {
        try (var server = new ScriptedServer((s, out) -> ScriptedServer.write(out, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil close"))) {
            assertThat(text(send(server))).isEqualTo("until close");
        }
    }

    @Test
    void aBodyCutShortIsAnError() throws Exception {
        try (var server = new ScriptedServer((s, out) -> ScriptedServer.write(out, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"))) {
            Response response = send(server);
            assertThatThrownBy(() -> text(response)).isInstanceOf(IOException.class).hasMessageContaining("7 bytes before the end");
        }
    }

    @Test
    void skipsInterimResponses() throws Exception {
        try (var server = new ScriptedServer((s, out) -> ScriptedServer.write(out,
                "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"))) {
            Response response = send(server);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("Link")).isEmpty();
            assertThat(text(response)).isEqualTo("ok");
        }
    }

    @Test
    void decodesUtf8SplitAcrossChunks() throws Exception {
        String body = "héllo wörld ✓ 😀";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        int split = 2;  // inside the two bytes of é
        try (var server = new ScriptedServer((s, out) -> {
            ScriptedServer.write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(split) + "\r\n");
            out.write(bytes, 0, split);
            ScriptedServer.write(out, "\r\n" + Integer.toHexString(bytes.length - split) + "\r\n");
            out.write(bytes, split, bytes.length - split);
            ScriptedServer.write(out, "\r\n0\r\n\r\n");
            s.holdOpen();
        })) {
            assertThat(text(send(server))).isEqualTo(body);
        }
    }

    @Test
    void aHeadLargerThanTheLimitIsAnError() throws Exception {
        String big = "a".repeat(ResponseHead.MAX_BYTES + 10);
        try (var server = new ScriptedServer((s, out) -> ScriptedServer.write(out, "HTTP/1.1 200 OK\r\nX-Big: " + big + "\r\n\r\n"))) {
            assertThatThrownBy(() -> send(server)).isInstanceOf(IOException.class).hasMessageContaining("larger than " + ResponseHead.MAX_BYTES);
        }
        String many = "X-Field: 0123456789012345678901234567890123456789\r\n".repeat(ResponseHead.MAX_BYTES / 40);
        try (var server = new ScriptedServer((s, out) -> ScriptedServer.write(out, "HTTP/1.1 200 OK\r\n" + many + "\r\n"))) {
            assertThatThrownBy(() -> send(server)).isInstanceOf(IOException.class).hasMessageContaining("larger than " + ResponseHead.MAX_BYTES);
        }
    }

    @Test
    void aMalformedResponseIsAnError() throws Exception {
        try (var server = new ScriptedServer((s, out) -> ScriptedServer.write(out, "HTCPCP/1.0 418 I'm a teapot\r\n\r\n"))) {
            assertThatThrownBy(() -> send(server)).isInstanceOf(IOException.class)
                    .hasMessage("malformed status line: 'HTCPCP/1.0 418 I'm a teapot'");
        }
        try (var server = new ScriptedServer((s, out) -> ScriptedServer.write(out, "HTTP/1.1 200 OK\r\nno colon here\r\n\r\n"))) {
            assertThatThrownBy(() -> send(server)).isInstanceOf(IOException.class).hasMessageStartingWith("malformed header line");
        }
        try (var server = new ScriptedServer((s, out) -> ScriptedServer.write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"))) {
            Response response = send(server);
            assertThatThrownBy(() -> text(response)).isInstanceOf(IOException.class).hasMessageStartingWith("malformed chunk size");
        }
        try (var server = new ScriptedServer((s, out) -> ScriptedServer.write(out, "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n"))) {
            assertThatThrownBy(() -> send(server)).isInstanceOf(IOException.class).hasMessageStartingWith("invalid Content-Length");
        }
        try (var server = new ScriptedServer((s, out) -> { })) {
            assertThatThrownBy(() -> send(server)).isInstanceOf(IOException.class).hasMessageContaining("without answering");
        }
    }

    @Test
    void aServerThatNeverAnswersTimesOut() throws Exception {
        try (var server = new ScriptedServer((s, out) -> s.holdOpen())) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> transport.send(get(server.uri("/x"), Duration.ofMillis(300))))
                    .isInstanceOf(IOException.class).hasMessageContaining("timed out after 300 ms");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(250), Duration.ofSeconds(2));
        }
    }

    @Test
    void anOrdinaryBodyThatStallsTimesOutButAStreamWaits() throws Exception {
        try (var server = new ScriptedServer((s, out) -> {
            ScriptedServer.write(out, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc");
            s.holdOpen();
        })) {
            Response response = transport.send(get(server.uri("/x"), Duration.ofMillis(300)));
            assertThatThrownBy(() -> text(response)).isInstanceOf(IOException.class).hasMessageContaining("timed out");
        }
        try (var server = new ScriptedServer((s, out) -> {
            ScriptedServer.write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
            Thread.sleep(700);
            ScriptedServer.write(out, "4\r\nlate\r\n0\r\n\r\n");
        })) {
            Response response = transport.send(get(server.uri("/events"), Duration.ofMillis(200)).streaming());
            assertThat(text(response)).isEqualTo("late");
        }
    }

    @Test
    void aRefusedConnectionIsAnError() throws Exception {
        int port;
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        assertThatThrownBy(() -> transport.send(get(URI.create("http://127.0.0.1:" + port + "/x"), Duration.ofSeconds(2))))
                .isInstanceOf(ConnectException.class);
    }

    @Test
    void sendsTheRequestLineHostHeadersAndBody() throws Exception {
        try (var server = new ScriptedServer((s, out) -> ScriptedServer.write(out, "HTTP/1.1 204 No Content\r\n\r\n"))) {
            var headers = new LinkedHashMap<String, String>();
            headers.put("Authorization", "Bearer tok");
            headers.put("Content-Type", "application/json");
            byte[] body = "{\"a\":\"é\"}".getBytes(StandardCharsets.UTF_8);
            var request = new Request("POST", server.uri("/sessions/a%20b?directory=%2Fx&q=1"), headers, Optional.of(body),
                    Duration.ofSeconds(5), BodyTimeout.APPLIES);
            assertThat(text(transport.send(request))).isEmpty();
            assertThat(server.request.get(5, TimeUnit.SECONDS)).isEqualTo("POST /sessions/a%20b?directory=%2Fx&q=1 HTTP/1.1\r\n"
                    + "Host: 127.0.0.1:" + server.port() + "\r\n"
                    + "Authorization: Bearer tok\r\n"
                    + "Content-Type: application/json\r\n"
                    + "Content-Length: 10\r\n"
                    + "Connection: close\r\n\r\n"
                    + new String(body, StandardCharsets.ISO_8859_1));
        }
    }

    @Test
    void aRequestWithoutBodyHasNoContentLengthAndAnEmptyOneHasZero() throws Exception {
        try (var server = new ScriptedServer((s, out) -> ScriptedServer.write(out, "HTTP/1.1 204 No Content\r\n\r\n"))) {
            text(transport.send(get(server.uri(""), Duration.ofSeconds(5))));
            assertThat(server.request.get(5, TimeUnit.SECONDS)).isEqualTo("GET / HTTP/1.1\r\nHost: 127.0.0.1:" + server.port()
                    + "\r\nConnection: close\r\n\r\n");
        }
        var empty = new Request("POST", URI.create("http://localhost/abort"), Map.of(), Optional.of(new byte[0]), Duration.ofSeconds(1), BodyTimeout.APPLIES);
        assertThat(new String(SocketTransport.head(empty), StandardCharsets.ISO_8859_1))
                .isEqualTo("POST /abort HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    }

    @Test
    void anIpv6HostIsBracketed() throws Exception {
        assertThat(SocketTransport.hostField(URI.create("http://[::1]:4096/x"))).isEqualTo("[::1]:4096");
        InetAddress v6;
        ScriptedServer server;
        try {
            v6 = InetAddress.getByName("::1");
            server = new ScriptedServer(v6, (s, out) -> ScriptedServer.write(out, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nv6"));
        } catch (IOException e) {
            assumeTrue(false, "no IPv6 loopback here: " + e);
            return;
        }
        try (server) {
            assertThat(text(send(server))).isEqualTo("v6");
            assertThat(server.request.get(5, TimeUnit.SECONDS)).contains("\r\nHost: [0:0:0:0:0:0:0:1]:" + server.port() + "\r\n");
        }
    }

    @Test
    void headerValuesCannotInjectFields() {
        var request = new Request("GET", URI.create("http://localhost/"), Map.of("X-A", "a\r\nX-B: b"), Optional.empty(), Duration.ofSeconds(1),
                BodyTimeout.APPLIES);
        assertThatThrownBy(() -> SocketTransport.head(request)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void closingAStreamFromAnotherThreadUnblocksItsReader() throws Exception {
        try (var server = new ScriptedServer((s, out) -> {
            ScriptedServer.write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nfirst\r\n");
            s.holdOpen();
        })) {
            Response response = transport.send(get(server.uri("/events"), Duration.ofSeconds(5)).streaming());
            InputStream body = response.body();
            var outcome = new CompletableFuture<Throwable>();
            Thread reader = Thread.ofPlatform().start(() -> {
                try {
                    byte[] first = body.readNBytes(5);
                    assertThat(new String(first, StandardCharsets.UTF_8)).isEqualTo("first");
                    body.read();  // blocks: nothing more is coming
                    outcome.complete(null);
                } catch (Throwable t) {
                    outcome.complete(t);
                }
            });
            Thread.sleep(200);
            assertThat(reader.isAlive()).isTrue();
            body.close();
            assertThat(outcome.get(2, TimeUnit.SECONDS)).isInstanceOf(IOException.class);
        }
    }

    @Test
    void anInterruptEndsAVirtualThreadBlockedOnTheBody() throws Exception {
        try (var server = new ScriptedServer((s, out) -> {
            ScriptedServer.write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
            s.holdOpen();
        })) {
            var outcome = new CompletableFuture<String>();
            Thread reader = Thread.ofVirtual().start(() -> {
                try (Response response = transport.send(get(server.uri("/events"), Duration.ofSeconds(5)).streaming())) {
                    response.body().read();
                    outcome.complete("read returned");
                } catch (Exception e) {
                    outcome.complete(e.getClass().getSimpleName() + (Thread.currentThread().isInterrupted() ? " interrupted" : ""));
                }
            });
            Thread.sleep(300);
            reader.interrupt();
            assertThat(outcome.get(2, TimeUnit.SECONDS)).endsWith("Exception interrupted");
        }
    }

    @Test
    void anInterruptWhileWaitingForTheHeadIsAnInterruptedException() throws Exception {
        try (var server = new ScriptedServer((s, out) -> s.holdOpen())) {
            var outcome = new CompletableFuture<Throwable>();
            Thread caller = Thread.ofVirtual().start(() -> {
                try {
                    transport.send(get(server.uri("/x"), Duration.ofSeconds(5)));
                    outcome.complete(null);
                } catch (Throwable t) {
                    outcome.complete(t);
                }
            });
            Thread.sleep(300);
            caller.interrupt();
            assertThat(outcome.get(2, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
        }
    }

    @Test
    void closingTheTransportAbortsOpenExchanges() throws Exception {
        try (var server = new ScriptedServer((s, out) -> {
            ScriptedServer.write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
            s.holdOpen();
        })) {
            Response response = transport.send(get(server.uri("/events"), Duration.ofSeconds(5)).streaming());
            transport.close();
            assertThatThrownBy(() -> response.body().read()).isInstanceOf(IOException.class);
            assertThatThrownBy(() -> transport.send(get(server.uri("/x"), Duration.ofSeconds(1)))).hasMessageContaining("closed");
        }
    }

    @Test
    void anHttpsServerGoesThroughTheJdkClient() {
        try (HttpTransport https = HttpTransport.forServer(URI.create("https://lathe.example:8443"), Duration.ofSeconds(1));
                HttpTransport http = HttpTransport.forServer(URI.create("http://127.0.0.1:4096"), Duration.ofSeconds(1))) {
            assertThat(https).isInstanceOf(JdkTransport.class);
            assertThat(http).isInstanceOf(SocketTransport.class);
        }
    }
}
