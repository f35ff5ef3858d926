package dev.lathe.mcp.stateless;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the {@code server/discover} probe makes of each answer a server can give (a loopback server answering one fixed response). */
class ProbeTest {

    @Test void aResultListingTheRevisionIsStateless() throws IOException {
        Era era = probe(200, "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"resultType\":\"complete\",\"supportedVersions\":[\"2025-11-25\",\"2026-07-28\"],"
                + "\"capabilities\":{\"tools\":{\"listChanged\":true}},\"_meta\":{\"io.modelcontextprotocol/serverInfo\":{\"name\":\"s\",\"version\":\"2\"}}}}");
        assertThat(era).isInstanceOfSatisfying(Era.Stateless.class, s -> {
            assertThat(s.discovery().toolsListChanged()).isTrue();
            assertThat(s.discovery().serverName()).contains("s 2");
        });
    }

    @Test void aVersionListWithoutItFallsBack() throws IOException {
        assertThat(probe(200, "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"supportedVersions\":[\"2027-01-01\"],\"capabilities\":{}}}"))
                .isInstanceOfSatisfying(Era.Session.class, s -> assertThat(s.reason()).contains("2027-01-01"));
    }

    @Test void methodNotFoundFallsBack() throws IOException {
        assertThat(probe(404, "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32601,\"message\":\"Method not found\"}}"))
                .isInstanceOfSatisfying(Era.Session.class, s -> assertThat(s.reason()).contains("404").contains("-32601"));
        assertThat(probe(200, "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32601,\"message\":\"Method not found\"}}"))
                .isInstanceOf(Era.Session.class);
    }

    @Test void aLegacyServersRefusalFallsBack() throws IOException {
        assertThat(probe(400, "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32000,\"message\":\"Bad Request: No valid session ID provided\"}}"))
                .isInstanceOf(Era.Session.class);
        assertThat(probe(400, "")).isInstanceOf(Era.Session.class);
        assertThat(probe(405, "")).isInstanceOf(Era.Session.class);
    }

    @Test void aStreamThatNeverBringsTheAnswerFallsBackAfterTheTimeout() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        var release = new java.util.concurrent.CountDownLatch(1);
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/mcp", ex -> {
            ex.getRequestBody().readAllBytes();
            ex.getResponseHeaders().set("Content-Type", "text/event-stream");
            ex.sendResponseHeaders(200, 0);
            ex.getResponseBody().write(": open\n\n".getBytes(StandardCharsets.UTF_8));
            ex.getResponseBody().flush();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.close();
        });
        server.start();
        long start = System.nanoTime();
        try (var channel = new HttpChannel(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/mcp"), Map.of(),
                Optional.empty(), Duration.ofSeconds(1))) {
            assertThat(Probe.discover(channel)).isInstanceOfSatisfying(Era.Session.class,
                    s -> assertThat(s.reason()).contains("no answer within"));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        } finally {
            release.countDown();
            server.stop(0);
        }
    }

    @Test void nobodyListeningFallsBackWithoutThrowing() throws IOException {
        HttpServer gone = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        int port = gone.getAddress().getPort();
        gone.stop(0);
        try (var channel = new HttpChannel(URI.create("http://127.0.0.1:" + port + "/mcp"), Map.of(), Optional.empty(), Duration.ofSeconds(2))) {
            assertThat(Probe.discover(channel)).isInstanceOf(Era.Session.class);
        }
    }

    /**
     * A redirect is reported, not followed: the configured headers would go along to wherever it points, and a server on
     * loopback could otherwise send Lathe off the machine in local-only mode (decision 120). The target here is a
     * second loopback server that must not be reached.
     */
    @Test void aRedirectIsNotFollowed() throws IOException {
        var reached = new java.util.concurrent.atomic.AtomicInteger();
        HttpServer target = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        target.createContext("/", ex -> {
            reached.incrementAndGet();
            try (ex) {
                ex.getRequestBody().readAllBytes();
                byte[] bytes = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"supportedVersions\":[\"2026-07-28\"],\"capabilities\":{}}}"
                        .getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().set("Content-Type", "application/json");
                ex.sendResponseHeaders(200, bytes.length);
                ex.getResponseBody().write(bytes);
            }
        });
        HttpServer bouncing = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        bouncing.createContext("/mcp", ex -> {
            try (ex) {
                ex.getRequestBody().readAllBytes();
                ex.getResponseHeaders().set("Location", "http://127.0.0.1:" + target.getAddress().getPort() + "/elsewhere");
                ex.sendResponseHeaders(307, -1);
            }
        });
        target.start();
        bouncing.start();
        try (var channel = new HttpChannel(URI.create("http://127.0.0.1:" + bouncing.getAddress().getPort() + "/mcp"), Map.of("X-Key", "k"),
                Optional.empty(), Duration.ofSeconds(5))) {
            assertThat(Probe.discover(channel)).isInstanceOfSatisfying(Era.Redirected.class,
                    r -> assertThat(r.reason()).contains("redirected (HTTP 307)").contains("/elsewhere"));
            assertThat(reached.get()).isZero();
        } finally {
            bouncing.stop(0);
            target.stop(0);
        }
    }

    private static Era probe(int status, String body) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/mcp", ex -> {
            try (ex) {
                ex.getRequestBody().readAllBytes();
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().set("Content-Type", "application/json");
                ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
                if (bytes.length > 0) ex.getResponseBody().write(bytes);
            }
        });
        server.start();
        try (var channel = new HttpChannel(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/mcp"), Map.of(),
                Optional.empty(), Duration.ofSeconds(5))) {
            return Probe.discover(channel);
        } finally {
            server.stop(0);
        }
    }
}
