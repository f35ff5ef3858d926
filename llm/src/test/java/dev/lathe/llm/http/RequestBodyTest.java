package dev.lathe.llm.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A body written into chunks is the bytes written, and the transport posts exactly those bytes with a
 * {@code Content-Length} (a request body sent in HTTP chunks instead would change what a provider receives).
 */
class RequestBodyTest {
    private static final int CHUNK = RequestBody.CHUNK;

    @Test
    void theChunksHoldTheBytesWrittenAtEverySizeAroundAChunksEdge() {
        var random = new Random(55);
        for (int size : new int[] {0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK, 3 * CHUNK + 5}) {
            byte[] bytes = new byte[size];
            random.nextBytes(bytes);
            var writer = new RequestBody.Writer();
            var expected = new ByteArrayOutputStream();
            // writes of every size, single bytes among them, as a JSON generator's flushes and raw values come
            int at = 0;
            while (at < size) {
                int n = Math.min(size - at, random.nextInt(3) == 0 ? 1 : random.nextInt(CHUNK + 100));
                if (n == 1) writer.write(bytes[at]);
                else writer.write(bytes, at, n);
                expected.write(bytes, at, n);
                at += n;
            }
            RequestBody body = writer.body();
            assertThat(body.length()).as("length of %d bytes", size).isEqualTo(size);
            assertThat(body.bytes()).as("bytes of %d", size).isEqualTo(expected.toByteArray());
            assertThat(RequestBody.of(bytes).bytes()).isEqualTo(bytes);
        }
    }

    /**
     * A body begun with another's first bytes holds exactly those, then what is written after them, at every length
     * around a chunk's edge; the body it began with is unchanged (its chunks are shared, never written again).
     */
    @Test
    void aBodyBegunWithAnothersPrefixHoldsThePrefixThenWhatFollowsAndLeavesTheOtherAsItWas() {
        var random = new Random(66);
        byte[] first = new byte[3 * CHUNK + 17];
        random.nextBytes(first);
        RequestBody before = RequestBody.of(first);
        for (long length : new long[] {0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK, first.length}) {
            byte[] after = new byte[random.nextInt(2 * CHUNK)];
            random.nextBytes(after);
            var writer = new RequestBody.Writer(before, length);
            assertThat(writer.length()).isEqualTo(length);
            writer.write(after, 0, after.length);
            var expected = new ByteArrayOutputStream();
            expected.write(first, 0, (int) length);
            expected.write(after, 0, after.length);
            assertThat(writer.body().bytes()).as("prefix of %d", length).isEqualTo(expected.toByteArray());
            assertThat(before.bytes()).isEqualTo(first);
        }
        assertThatThrownBy(() -> new RequestBody.Writer(before, first.length + 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aPostSendsTheBytesWithTheirLengthAndAgainWhenPostedTwice() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        List<byte[]> received = new ArrayList<>();
        List<String> lengths = new ArrayList<>();
        List<String> encodings = new ArrayList<>();
        server.createContext("/", exchange -> {
            synchronized (received) {
                received.add(exchange.getRequestBody().readAllBytes());
                lengths.add(exchange.getRequestHeaders().getFirst("Content-Length"));
                encodings.add(String.valueOf(exchange.getRequestHeaders().getFirst("Transfer-Encoding")));
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        var http = new BlockingHttp(() -> BlockingHttp.settingsOf(DeferredTrust.context(), Duration.ofSeconds(10), null), new ConnectionPool());
        try {
            byte[] bytes = new byte[5 * CHUNK + 123];
            new Random(7).nextBytes(bytes);
            var writer = new RequestBody.Writer();
            writer.write(bytes, 0, bytes.length);
            RequestBody body = writer.body();
            URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/messages");
            for (int i = 0; i < 2; i++) {
                assertThat(post(http, uri, body)).isEqualTo(204);
            }
            assertThat(post(http, uri, RequestBody.of(new byte[0]))).isEqualTo(204);
            synchronized (received) {
                assertThat(received).hasSize(3);
                assertThat(received.get(0)).isEqualTo(bytes);
                assertThat(received.get(1)).as("the same body posted again").isEqualTo(bytes);
                assertThat(received.get(2)).isEmpty();
                assertThat(lengths).containsExactly(String.valueOf(bytes.length), String.valueOf(bytes.length), "0");
                assertThat(encodings).containsOnly("null");
            }
        } finally {
            server.stop(0);
        }
    }

    private static int post(BlockingHttp http, URI uri, RequestBody body) throws java.io.IOException {
        var response = http.exchange().post(uri, List.of(), body, Duration.ofSeconds(10));
        try (var in = response.body()) {
            in.readAllBytes();
        }
        return response.head().status();
    }
}
