package dev.lathe.llm.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.llm.Cancellation;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The blocking transport over real loopback sockets: framings, kept connections and a server that closed one,
 * cancellation, and answers built to exhaust a client (a head that never ends, an endless error body), and requests
 * built to inject header fields.
 */
class BlockingHttpTest {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10))
            .sslContext(DeferredTrust.context()).build();
    private static final RequestBody BODY = RequestBody.of("{\"model\":\"m\"}".getBytes(StandardCharsets.UTF_8));

    record Result(StreamOutcome outcome, List<String> payloads) {}

    static Result post(StreamTransport transport, String url, Map<String, String> headers, Cancellation cancel) {
        List<String> payloads = new CopyOnWriteArrayList<>();
        var outcome = transport.exchange(URI.create(url), headers, BODY, cancel, p -> payloads.add(p) && !p.equals("[DONE]"));
        return new Result(outcome, List.copyOf(payloads));
    }

    static Result post(StreamTransport transport, String url) { return post(transport, url, Map.of("Authorization", "Bearer k"), new Cancellation()); }

    @Test
    void chunkedAndSizedStreamsArriveWholeAndTheConnectionIsKeptBetweenThem() throws Exception {
        try (var server = new RawHttpServer((srv, s, i) -> {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            for (int n = 0; srv.read(in) != null; n++) RawHttpServer.write(out, n % 2 == 0 ? RawHttpServer.chunkedEvents("a", "b", "[DONE]")
                    : RawHttpServer.sizedEvents("c", "[DONE]"));
        })) {
            var transport = new SseTransport(CLIENT);
            for (int n = 0; n < 4; n++) {
                var r = post(transport, server.url("/v1/chat?x=1"));
                assertThat(r.outcome()).isInstanceOf(StreamOutcome.Ended.class);
                assertThat(r.payloads()).isEqualTo(n % 2 == 0 ? List.of("a", "b", "[DONE]") : List.of("c", "[DONE]"));
            }
            assertThat(((StreamOutcome.Ended) post(transport, server.url("/v1/chat")).outcome()).headers()).containsEntry("x-request-id", "r1");
            assertThat(server.connections.get()).as("one kept connection for all").isEqualTo(1);
            var first = server.requests.getFirst();
            assertThat(first.line()).isEqualTo("POST /v1/chat?x=1 HTTP/1.1");
            assertThat(first.header("Host")).isEqualTo("127.0.0.1:" + server.port());
            assertThat(first.header("Content-Length")).isEqualTo(String.valueOf(BODY.length()));
            assertThat(first.header("Content-Type")).isEqualTo("application/json");
            assertThat(first.header("Accept")).isEqualTo("text/event-stream");
            assertThat(first.header("Authorization")).isEqualTo("Bearer k");
            assertThat(first.body()).isEqualTo(BODY.bytes());
        }
    }

    @Test
    void aConnectionIdleLongerThanThePoolsLimitIsClosedNotReused() throws Exception {
        try (var server = new RawHttpServer((srv, s, i) -> {
            while (srv.read(s.getInputStream()) != null) RawHttpServer.write(s.getOutputStream(), RawHttpServer.sizedEvents("[DONE]"));
        })) {
            var http = new BlockingHttp(() -> BlockingHttp.settingsOf(DeferredTrust.context(), Duration.ofSeconds(10), null),
                    new ConnectionPool(Duration.ofMillis(50).toNanos()));
            for (int n = 0; n < 2; n++) {
                var response = http.exchange().post(URI.create(server.url("/v1")), List.of(), BODY, Duration.ofSeconds(10));
                try (var in = response.body()) {
                    in.readAllBytes();
                }
                assertThat(http.idleConnections()).isEqualTo(1);
                Thread.sleep(150);
            }
            assertThat(server.connections.get()).isEqualTo(2);
        }
    }

    @Test
    void bytesAfterABodyOrABodyFramedTwoWaysCostTheConnectionNotTheNextAnswer() throws Exception {
        try (var server = new RawHttpServer((srv, s, i) -> {
            var in = s.getInputStream();
            for (int n = 0; srv.read(in) != null; n++) {
                RawHttpServer.write(s.getOutputStream(), i == 0 ? RawHttpServer.sizedEvents("x", "[DONE]") + "HTTP/1.1 200 OK\r\nX-Smuggled: 1\r\n\r\n"
                        : i == 1 ? RawHttpServer.chunkedEvents("y", "[DONE]").replace("Transfer-Encoding", "Content-Length: 5\r\nTransfer-Encoding")
                                : RawHttpServer.sizedEvents("z", "[DONE]"));
            }
        })) {
            var transport = new SseTransport(CLIENT);
            assertThat(post(transport, server.url("/v1")).payloads()).containsExactly("x", "[DONE]");
            assertThat(post(transport, server.url("/v1")).payloads()).containsExactly("y", "[DONE]");
            var third = post(transport, server.url("/v1"));
            assertThat(third.payloads()).containsExactly("z", "[DONE]");
            assertThat(((StreamOutcome.Ended) third.outcome()).headers()).doesNotContainKey("x-smuggled");
            assertThat(server.connections.get()).isEqualTo(3);
        }
    }

    @Test
    void aCloseDelimitedBodyIsReadToTheEndAndItsConnectionIsNotKept() throws Exception {
        try (var server = new RawHttpServer((srv, s, i) -> {
            srv.read(s.getInputStream());
            RawHttpServer.write(s.getOutputStream(), "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\ndata: a\n\ndata: b\n\n");
        })) {
            var transport = new SseTransport(CLIENT);
            for (int n = 0; n < 2; n++) {
                var r = post(transport, server.url("/v1"));
                assertThat(r.outcome()).isInstanceOf(StreamOutcome.Ended.class);
                assertThat(r.payloads()).containsExactly("a", "b");
            }
            assertThat(server.connections.get()).isEqualTo(2);
        }
    }

    @Test
    void aKeptConnectionTheServerClosedIsRetriedOnceOnAFreshOne() throws Exception {
        try (var server = new RawHttpServer((srv, s, i) -> {
            srv.read(s.getInputStream());
            // answers with a length (so the client keeps the connection), then closes it anyway
            RawHttpServer.write(s.getOutputStream(), RawHttpServer.sizedEvents("one", "[DONE]"));
        })) {
            var transport = new SseTransport(CLIENT);
            assertThat(post(transport, server.url("/v1")).payloads()).containsExactly("one", "[DONE]");
            Thread.sleep(100);
            var second = post(transport, server.url("/v1"));
            assertThat(second.outcome()).isInstanceOf(StreamOutcome.Ended.class);
            assertThat(second.payloads()).containsExactly("one", "[DONE]");
            assertThat(server.connections.get()).isEqualTo(2);
        }
    }

    @Test
    void aKeptConnectionThatBrokeAfterPartOfTheAnswerIsNotRetried() throws Exception {
        try (var server = new RawHttpServer((srv, s, i) -> {
            var in = s.getInputStream();
            srv.read(in);
            RawHttpServer.write(s.getOutputStream(), RawHttpServer.sizedEvents("one", "[DONE]"));
            if (srv.read(in) != null) RawHttpServer.write(s.getOutputStream(), "HTTP/1.1 200 OK\r\nContent-Ty");
        })) {
            var transport = new SseTransport(CLIENT);
            post(transport, server.url("/v1"));
            var second = post(transport, server.url("/v1"));
            assertThat(second.outcome()).isInstanceOf(StreamOutcome.Broken.class);
            assertThat(((StreamOutcome.Broken) second.outcome()).message()).contains("closed the connection");
            assertThat(server.requests).hasSize(2);
            assertThat(server.connections.get()).isEqualTo(1);
        }
    }

    @Test
    void cancellingMidStreamClosesTheSocketAtOnce() throws Exception {
        var closed = new CountDownLatch(1);
        try (var server = new RawHttpServer((srv, s, i) -> {
            srv.read(s.getInputStream());
            RawHttpServer.write(s.getOutputStream(), "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "9\r\ndata: a\n\n\r\n");
            // the stream stalls here; the client's close shows as the end of input
            if (s.getInputStream().read() < 0) closed.countDown();
        })) {
            var cancel = new Cancellation();
            List<String> payloads = new CopyOnWriteArrayList<>();
            long start = System.nanoTime();
            var outcome = new SseTransport(CLIENT).exchange(URI.create(server.url("/v1")), Map.of(), BODY, cancel, p -> {
                payloads.add(p);
                Thread.ofVirtual().start(() -> {
                    sleep(200);
                    cancel.cancel();
                });
                return true;
            });
            assertThat(outcome).isInstanceOf(StreamOutcome.Cancelled.class);
            assertThat(payloads).containsExactly("a");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            assertThat(closed.await(5, TimeUnit.SECONDS)).as("the server saw the connection closed").isTrue();
        }
    }

    @Test
    void cancellingWhileWaitingForTheHeadReturnsCancelled() throws Exception {
        try (var server = new RawHttpServer((srv, s, i) -> {
            srv.read(s.getInputStream());
            s.getInputStream().read();
        })) {
            var cancel = new Cancellation();
            Thread.ofVirtual().start(() -> {
                sleep(200);
                cancel.cancel();
            });
            assertThat(post(new SseTransport(CLIENT), server.url("/v1"), Map.of(), cancel).outcome()).isInstanceOf(StreamOutcome.Cancelled.class);
        }
    }

    @Test
    void aHeaderLineOrStatusLineThatNeverEndsIsCutOffAtTheHeadLimit() throws Exception {
        for (String start : new String[] {"HTTP/1.1 200 OK\r\nX-Huge: ", "HTTP/1.1 200 "}) {
            long[] written = {0};
            try (var server = new RawHttpServer((srv, s, i) -> {
                srv.read(s.getInputStream());
                OutputStream out = s.getOutputStream();
                RawHttpServer.write(out, start);
                byte[] filler = "a".repeat(4096).getBytes(StandardCharsets.ISO_8859_1);
                // endless: only the client's close stops it
                while (written[0] < 64L * 1024 * 1024) {
                    out.write(filler);
                    written[0] += filler.length;
                }
            })) {
                var r = post(new SseTransport(CLIENT), server.url("/v1"));
                assertThat(r.outcome()).isInstanceOf(StreamOutcome.Broken.class);
                assertThat(((StreamOutcome.Broken) r.outcome()).message()).contains("the response head is larger than 65536 bytes");
            }
            assertThat(written[0]).as("the client stopped reading").isLessThan(16L * 1024 * 1024);
        }
    }

    @Test
    void aHeadTrickledByteByByteStillEndsAtTheRequestsDeadline() throws Exception {
        try (var server = new RawHttpServer((srv, s, i) -> {
            srv.read(s.getInputStream());
            // each byte well within any per-read timeout; only a deadline for the whole head stops it
            for (int n = 0; n < 1000; n++) {
                RawHttpServer.write(s.getOutputStream(), "X-Slow: 1\r\n".substring(0, 1));
                Thread.sleep(20);
            }
        })) {
            var http = new BlockingHttp(() -> BlockingHttp.settingsOf(DeferredTrust.context(), Duration.ofSeconds(10), null), new ConnectionPool());
            long start = System.nanoTime();
            assertThatThrownBy(() -> http.exchange().post(URI.create(server.url("/v1")), List.of(), BODY, Duration.ofMillis(400)))
                    .isInstanceOf(HttpTimeoutException.class).hasMessage("request timed out");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void anEndlessErrorBodyIsQuotedFromItsFirst64KiB() throws Exception {
        try (var server = new RawHttpServer((srv, s, i) -> {
            srv.read(s.getInputStream());
            OutputStream out = s.getOutputStream();
            RawHttpServer.write(out, "HTTP/1.1 500 Oops\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
            String chunk = "1000\r\n" + "x".repeat(4096) + "\r\n";
            for (int n = 0; n < 100_000; n++) RawHttpServer.write(out, chunk);
        })) {
            var r = post(new SseTransport(CLIENT), server.url("/v1"));
            var failure = (StreamOutcome.HttpFailure) r.outcome();
            assertThat(failure.status()).isEqualTo(500);
            assertThat(failure.body()).hasSize(64 * 1024);
            assertThat(failure.headers()).containsEntry("content-type", "application/json");
        }
    }

    @Test
    void aHeaderValueOrNameWithALineBreakIsRefusedBeforeAnythingIsSent() throws Exception {
        try (var server = new RawHttpServer((srv, s, i) -> srv.read(s.getInputStream()))) {
            var transport = new SseTransport(CLIENT);
            assertThatThrownBy(() -> post(transport, server.url("/v1"), Map.of("X-Key", "k\r\nX-Evil: 1"), new Cancellation()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("X-Key");
            assertThatThrownBy(() -> post(transport, server.url("/v1"), Map.of("X-Evil: 1\r\nX-Key", "k"), new Cancellation()))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> post(transport, server.url("/v1"), Map.of("Host", "other"), new Cancellation()))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> URI.create(server.url("/v1\r\nX-Evil: 1"))).isInstanceOf(IllegalArgumentException.class);
            Thread.sleep(100);
            assertThat(server.connections.get()).isZero();
        }
    }

    @Test
    void anEncodedLineBreakInTheBaseUrlStaysEncodedInTheRequestLine() throws Exception {
        try (var server = new RawHttpServer((srv, s, i) -> {
            srv.read(s.getInputStream());
            RawHttpServer.write(s.getOutputStream(), RawHttpServer.sizedEvents("[DONE]"));
        })) {
            post(new SseTransport(CLIENT), server.url("/v1%0d%0aX-Evil:%201/chat"));
            var request = server.requests.getFirst();
            assertThat(request.line()).isEqualTo("POST /v1%0d%0aX-Evil:%201/chat HTTP/1.1");
            assertThat(request.header("X-Evil")).isNull();
        }
    }

    @Test
    void aRefusedLocalConnectionSaysWhichServerIsNotRunning() throws Exception {
        int port;
        try (var probe = new java.net.ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        var r = post(new SseTransport(CLIENT), "http://127.0.0.1:" + port + "/v1");
        var unreachable = (StreamOutcome.Unreachable) r.outcome();
        assertThat(unreachable.message()).isEqualTo("connection refused to http://127.0.0.1:" + port + "/v1: is the server at http://127.0.0.1:" + port
                + " running?");
        assertThat(unreachable.refusedLocalServer()).isPresent();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
