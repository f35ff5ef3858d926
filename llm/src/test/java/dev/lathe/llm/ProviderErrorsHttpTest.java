package dev.lathe.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.lathe.llm.http.DeferredTrust;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.SelfSignedHttps;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Errors that explain (issue 25), over real HTTP on loopback: each names the provider, the host, the HTTP status and
 * the provider's request id; a certificate nobody trusts is its own kind and says so; an answer that is not a stream
 * says "unexpected response from the provider" with a short excerpt, never the key.
 */
class ProviderErrorsHttpTest {
    /** Built as the server builds its client: TLS checked by the JDK's default trust store. */
    private static final Protocols PROTOCOLS = Protocols.standard(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .sslContext(DeferredTrust.context()).build());
    private static final String KEY = "sk-secret-key-0123456789";

    private static LlmEvent.Finished run(String baseUrl, String protocol) {
        var provider = new Provider("acme", protocol, URI.create(baseUrl), Optional.of(new ApiKey(KEY)), Map.of(), Map.of());
        var request = new LlmRequest("m", List.of("system"), List.of(), List.of(LlmMessage.user(List.of(new Content.Text("hi")))), 1000,
                ToolChoice.AUTO, Optional.empty(), Optional.empty());
        List<LlmEvent> events = new ArrayList<>();
        var finished = PROTOCOLS.find(protocol).orElseThrow().stream(provider, request, events::add, new Cancellation());
        assertThat(events.getLast()).isEqualTo(finished);
        return finished;
    }

    private static int port(FakeLlm llm) { return URI.create(llm.baseUrl()).getPort(); }

    @ParameterizedTest
    @ValueSource(strings = {"openai-chat", "anthropic-messages", "openai-responses"})
    void anHttpErrorNamesTheProviderTheHostTheStatusAndTheRequestId(String protocol) {
        try (var llm = FakeLlm.start()) {
            llm.enqueue(Turn.httpError(500, "{\"error\":{\"message\":\"boom " + KEY + "\",\"type\":\"server_error\"}}", Map.of("x-request-id", "req_hdr_42")));
            llm.enqueue(Turn.httpError(529, "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"},\"request_id\":\"req_body_7\"}",
                    Map.of()));

            String first = run(llm.baseUrl(), protocol).error().orElseThrow().message();
            assertThat(first).startsWith("acme at 127.0.0.1:" + port(llm) + ": HTTP 500 (request id req_hdr_42): ").doesNotContain(KEY).contains("[redacted]");
            var second = run(llm.baseUrl(), protocol).error().orElseThrow();
            assertThat(second).isInstanceOf(LlmError.Overloaded.class);
            assertThat(second.message()).isEqualTo("acme at 127.0.0.1:" + port(llm) + ": HTTP 529 (request id req_body_7): Overloaded");
        }
    }

    @Test
    void anHtmlPageWithStatus200IsAnUnexpectedResponseQuotedShortly() {
        try (var llm = FakeLlm.start()) {
            String page = "<html><body><h1>Sign in to the proxy</h1>" + "x".repeat(5000) + "</body></html>";
            llm.enqueue(Turn.httpError(200, page, Map.of("Content-Type", "text/html; charset=utf-8", "request-id", "req_page")));

            var error = run(llm.baseUrl(), "openai-chat").error().orElseThrow();
            assertThat(error).isInstanceOf(LlmError.Transport.class);
            assertThat(error.message()).startsWith("acme at 127.0.0.1:" + port(llm) + ": HTTP 200 (request id req_page): unexpected response from the provider: ")
                    .contains("text/html instead of text/event-stream", "<html><body><h1>Sign in to the proxy</h1>");
            assertThat(error.message().length()).as("an excerpt, not the page").isLessThan(500);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai-chat", "anthropic-messages", "openai-responses"})
    void anEventThatIsNotJsonIsAnUnexpectedResponseQuotingIt(String protocol) {
        try (var llm = FakeLlm.start()) {
            llm.enqueue(Turn.of(Step.text("some text before the garbage")).malformedAfter(2));

            var error = run(llm.baseUrl(), protocol).error().orElseThrow();
            assertThat(error.message()).startsWith("acme at 127.0.0.1:" + port(llm) + ": HTTP 200: unexpected response from the provider: ")
                    .contains("; received: {\"choices\": [{\"delta\": {\"content\": \"cut");
        }
    }

    @Test
    void linesThatAreNotServerSentEventsAreAnUnexpectedResponse() throws Exception {
        try (var server = Served.with(out -> write(out, "Welcome to nginx!\nThis is not a stream.\n"), "text/event-stream")) {
            var error = run(server.baseUrl(), "anthropic-messages").error().orElseThrow();
            assertThat(error.message()).contains("HTTP 200: unexpected response from the provider: no server-sent events in the answer, which began: "
                    + "Welcome to nginx! This is not a stream.");
        }
    }

    @ParameterizedTest
    @EnumSource(SelfSignedHttps.Flaw.class)
    void aCertificateNobodyTrustsIsItsOwnErrorNamingTheHost(SelfSignedHttps.Flaw flaw, @TempDir Path dir) {
        try (var https = SelfSignedHttps.start(flaw, dir)) {
            var error = run(https.baseUrl(), "openai-chat").error().orElseThrow();
            assertThat(error).isInstanceOf(LlmError.Untrusted.class);
            assertThat(LlmError.kind(error)).isEqualTo("untrusted_certificate");
            assertThat(RetryPolicy.isRetryable(error)).as("never retried").isFalse();
            assertThat(error.message()).startsWith("the TLS certificate of 127.0.0.1:" + https.port() + " (provider acme) is not trusted: ")
                    .contains("javax.net.ssl.trustStore").doesNotContain(KEY);
            assertThat(https.connections()).isEqualTo(1);
        }
    }

    @Test
    void aRefusedConnectionNamesTheProviderAndTheAddress() throws Exception {
        int closed;
        try (var s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        var error = run("http://127.0.0.1:" + closed + "/v1", "openai-chat").error().orElseThrow();
        assertThat(error).isInstanceOf(LlmError.Unreachable.class);
        assertThat(error.message()).startsWith("cannot reach acme at 127.0.0.1:" + closed + ": connection refused to http://127.0.0.1:" + closed);
    }

    @Test
    void aLineWithoutEndFailsTheStreamAtTheLimitInsteadOfFillingTheMemory() throws Exception {
        int size = dev.lathe.llm.sse.SseParser.MAX_EVENT_CHARS + 1024 * 1024;
        try (var server = Served.with(out -> {
            write(out, "data: ");
            byte[] chunk = "a".repeat(64 * 1024).getBytes(StandardCharsets.UTF_8);
            for (int sent = 0; sent < size; sent += chunk.length) out.write(chunk);
        }, "text/event-stream")) {
            var error = run(server.baseUrl(), "openai-chat").error().orElseThrow();
            assertThat(error.message()).contains("the stream was stopped: one line of the stream is longer than 32 MiB");
        }
    }

    /**
     * A 10 MB answer in 100 000 small deltas through real HTTP: linear in time (the decoders pass each delta on, no
     * copy of what came before), so well within seconds; quadratic re-copying would take minutes.
     */
    @ParameterizedTest
    @ValueSource(strings = {"openai-chat", "anthropic-messages", "openai-responses"})
    void aLongStreamedAnswerIsReadInLinearTime(String protocol) throws Exception {
        int deltas = 100_000;
        String delta = "0123456789".repeat(10);
        try (var server = Served.with(out -> {
            byte[] one = switch (protocol) {
                case "openai-chat" -> ("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + delta + "\"}}]}\n\n").getBytes(StandardCharsets.UTF_8);
                case "anthropic-messages" -> ("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\""
                        + delta + "\"}}\n\n").getBytes(StandardCharsets.UTF_8);
                default -> ("event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"output_index\":0,\"content_index\":0,\"delta\":\""
                        + delta + "\"}\n\n").getBytes(StandardCharsets.UTF_8);
            };
            write(out, switch (protocol) {
                case "anthropic-messages" -> "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":1}}}\n\n"
                        + "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n";
                case "openai-responses" -> "event: response.output_item.added\ndata: {\"type\":\"response.output_item.added\",\"output_index\":0,"
                        + "\"item\":{\"type\":\"message\",\"id\":\"m1\"}}\n\n";
                default -> "";
            });
            for (int i = 0; i < deltas; i++) out.write(one);
        }, "text/event-stream")) {
            var provider = new Provider("acme", protocol, URI.create(server.baseUrl()), Optional.empty(), Map.of(), Map.of());
            var request = new LlmRequest("m", List.of("system"), List.of(), List.of(LlmMessage.user(List.of(new Content.Text("hi")))), 1000,
                    ToolChoice.AUTO, Optional.empty(), Optional.empty());
            long[] chars = {0};
            long started = System.nanoTime();
            PROTOCOLS.find(protocol).orElseThrow().stream(provider, request, e -> {
                if (e instanceof LlmEvent.TextDelta t) chars[0] += t.text().length();
            }, new Cancellation());
            long ms = (System.nanoTime() - started) / 1_000_000;
            System.out.println("[long answer] " + protocol + ": " + chars[0] / 1_000_000 + " MB of text in " + deltas + " deltas read in " + ms + " ms");
            assertThat(chars[0]).isEqualTo((long) deltas * delta.length());
            assertThat(ms).as("linear: a few seconds even on a loaded 2-core machine").isLessThan(20_000);
        }
    }

    private static void write(OutputStream out, String text) throws java.io.IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
    }

    @FunctionalInterface
    private interface Body {
        void write(OutputStream out) throws java.io.IOException;
    }

    /** A loopback server answering every POST with 200, {@code contentType} and what {@code body} writes, then closing. */
    private record Served(HttpServer server) implements AutoCloseable {
        static Served with(Body body, String contentType) throws java.io.IOException {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", exchange -> {
                try (exchange) {
                    exchange.getRequestBody().readAllBytes();
                    exchange.getResponseHeaders().set("Content-Type", contentType);
                    exchange.sendResponseHeaders(200, 0);
                    var out = new java.io.BufferedOutputStream(exchange.getResponseBody(), 64 * 1024);
                    body.write(out);
                    out.flush();
                } catch (java.io.IOException e) {
                    // the client stopped reading (the size limit): nothing more to send
                }
            });
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.start();
            return new Served(server);
        }

        String baseUrl() { return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1"; }

        @Override
        public void close() { server.stop(0); }
    }

}
