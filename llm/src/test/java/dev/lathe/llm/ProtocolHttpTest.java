package dev.lathe.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import dev.lathe.llm.debug.MergedResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every SSE protocol over real HTTP on loopback against the FakeLlm: streams, errors, cancellation. */
class ProtocolHttpTest {
    private static final Protocols PROTOCOLS = Protocols.standard(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build());

    private static Provider provider(FakeLlm llm, String protocol) {
        return new Provider("fake", protocol, URI.create(llm.baseUrl()), Optional.of(new ApiKey("sk-marker-123")), Map.of("x-extra", "1"),
                Map.of());
    }

    private static LlmRequest request() {
        return new LlmRequest("m", List.of("system A", "system B"), List.of(new ToolSpec("read", "Read a file", "{\"type\":\"object\"}")),
                List.of(LlmMessage.user(List.of(new Content.Text("hi")))), 1000, ToolChoice.AUTO, Optional.empty(), Optional.of("key"));
    }

    private static List<LlmEvent> run(FakeLlm llm, String protocol, Cancellation cancel) {
        List<LlmEvent> events = new ArrayList<>();
        PROTOCOLS.find(protocol).orElseThrow().stream(provider(llm, protocol), request(), events::add, cancel);
        return events;
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai-chat", "anthropic-messages", "openai-responses"})
    void streamsTextAndParallelToolCallsAndSendsTheKey(String protocol) {
        try (var llm = FakeLlm.start()) {
            llm.enqueue(Turn.of(Step.text("Looking at both."), Step.toolCall("c1", "read", "{\"path\":\"a\"}"),
                    Step.toolCall("c2", "read", "{\"path\":\"b\"}")).usage(50, 7, 10, 0));
            MergedResponse m = MergedResponse.of(run(llm, protocol, new Cancellation()));

            assertThat(m.text()).isEqualTo("Looking at both.");
            assertThat(m.toolCalls()).extracting(LlmEvent.ToolCallFinished::callId).containsExactly("c1", "c2");
            assertThat(m.toolCalls()).extracting(LlmEvent.ToolCallFinished::argsJson).containsExactly("{\"path\":\"a\"}", "{\"path\":\"b\"}");
            assertThat(m.finished()).isEqualTo(LlmEvent.Finished.ok(StopReason.TOOL_CALLS));
            assertThat(m.usage().get().input()).isEqualTo(50);
            assertThat(m.usage().get().cacheRead()).isEqualTo(10);
            var headers = llm.requests().getFirst().headers();
            assertThat(headers.toString()).contains("sk-marker-123");
            assertThat(headers.get("x-extra")).isEqualTo("1");
            assertThat(llm.requests().getFirst().system()).isEqualTo("system A\nsystem B");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai-chat", "anthropic-messages", "openai-responses"})
    void httpErrorsBecomeTypedErrorsWithRetryAfter(String protocol) {
        boolean anthropic = protocol.startsWith("anthropic");
        try (var llm = FakeLlm.start()) {
            llm.enqueue(Turn.httpError(429, anthropic ? "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"slow down\"}}"
                    : "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"tokens\",\"code\":\"rate_limit_exceeded\"}}", Map.of("retry-after", "2")));
            llm.enqueue(Turn.httpError(anthropic ? 529 : 503, anthropic ? "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"
                    : "{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}", Map.of()));
            llm.enqueue(Turn.httpError(400, anthropic ? "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"prompt is too long: 209353 tokens > 199999 maximum\"}}"
                    : "{\"error\":{\"message\":\"This model's maximum context length is 8192 tokens.\",\"type\":\"invalid_request_error\",\"code\":\"context_length_exceeded\"}}", Map.of()));
            llm.enqueue(Turn.httpError(401, "{\"error\":{\"message\":\"invalid x-api-key\",\"type\":\"authentication_error\"}}", Map.of()));
            llm.enqueue(Turn.httpError(429, "{\"error\":{\"message\":\"You exceeded your current quota\",\"type\":\"insufficient_quota\",\"code\":\"insufficient_quota\"}}", Map.of()));

            assertThat(error(llm, protocol)).isEqualTo(new LlmError.RateLimited(Optional.of(Duration.ofSeconds(2)),
                    "fake at 127.0.0.1:" + java.net.URI.create(llm.baseUrl()).getPort() + ": HTTP 429: " + (anthropic ? "slow down" : "Rate limit reached")));
            assertThat(error(llm, protocol)).isInstanceOf(LlmError.Overloaded.class);
            assertThat(error(llm, protocol)).isInstanceOf(LlmError.ContextOverflow.class);
            assertThat(error(llm, protocol)).isInstanceOf(LlmError.Unauthorized.class);
            assertThat(error(llm, protocol)).isInstanceOf(LlmError.InvalidRequest.class);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai-chat", "anthropic-messages", "openai-responses"})
    void aKeyTheProviderEchoesBackIsRedactedFromTheError(String protocol) {
        try (var llm = FakeLlm.start()) {
            llm.enqueue(Turn.httpError(401, "{\"error\":{\"code\":401,\"message\":\"Incorrect API key provided: sk-marker-123.\",\"type\":\"invalid_request_error\"}}", Map.of()));
            LlmError e = error(llm, protocol);
            assertThat(e).isInstanceOf(LlmError.Unauthorized.class);
            assertThat(e.message()).doesNotContain("sk-marker-123").contains("Incorrect API key provided: [redacted]");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai-chat", "anthropic-messages", "openai-responses"})
    void aTruncatedStreamIsATransportError(String protocol) {
        try (var llm = FakeLlm.start()) {
            llm.enqueue(Turn.of(Step.text("this answer is cut off halfway through")).truncateAfter(3));
            assertThat(error(llm, protocol)).isInstanceOf(LlmError.Transport.class);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai-chat", "anthropic-messages", "openai-responses"})
    void cancellingAStalledStreamReturnsPromptly(String protocol) throws Exception {
        try (var llm = FakeLlm.start()) {
            llm.enqueue(Turn.of(Step.text("never finishes")).stallAfter(2));
            var cancel = new Cancellation();
            var done = CompletableFuture.supplyAsync(() -> run(llm, protocol, cancel));
            assertThat(llm.awaitRequests(1, Duration.ofSeconds(5))).isTrue();
            Thread.sleep(200);
            cancel.cancel();
            List<LlmEvent> events = done.get(2, TimeUnit.SECONDS);
            assertThat(events.getLast()).isInstanceOfSatisfying(LlmEvent.Finished.class,
                    f -> assertThat(f.error()).containsInstanceOf(LlmError.Transport.class));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai-chat", "anthropic-messages", "openai-responses"})
    void aRefusedConnectionIsAnUnreachableErrorNamingNoKey(String protocol) {
        var provider = new Provider("x", protocol, URI.create("http://127.0.0.1:1/v1"), Optional.of(new ApiKey("sk-marker-123")), Map.of(), Map.of());
        List<LlmEvent> events = new ArrayList<>();
        var finished = PROTOCOLS.find(protocol).orElseThrow().stream(provider, request(), events::add, new Cancellation());
        assertThat(finished.error()).containsInstanceOf(LlmError.Unreachable.class);
        assertThat(finished.toString()).doesNotContain("sk-marker-123");
        assertThat(events).containsExactly(finished);
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai-chat", "anthropic-messages", "openai-responses"})
    void aRefusedLocalServerIsNamedWithAHintAndMarkedNotToBeWaitedFor(String protocol) throws Exception {
        int port;
        try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();  // free now, and nothing listens once it is closed
        }
        var provider = new Provider("x", protocol, URI.create("http://127.0.0.1:" + port + "/v1"), Optional.empty(), Map.of(), Map.of());
        var finished = PROTOCOLS.find(protocol).orElseThrow().stream(provider, request(), _ -> { }, new Cancellation());
        assertThat(finished.error()).get().isInstanceOfSatisfying(LlmError.Unreachable.class, u -> {
            assertThat(u.message()).contains("connection refused to http://127.0.0.1:" + port + "/v1")
                    .contains("is the server at http://127.0.0.1:" + port + " running?");
            assertThat(u.refusedLocalServer()).isPresent();
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai-chat", "anthropic-messages", "openai-responses"})
    void serverErrorsAreRetryable(String protocol) {
        try (var llm = FakeLlm.start()) {
            llm.enqueue(Turn.httpError(500, "{\"error\":{\"message\":\"internal error\",\"type\":\"server_error\"}}", Map.of()));
            llm.enqueue(Turn.httpError(503, "upstream connect error", Map.of("retry-after", "2")));
            assertThat(error(llm, protocol)).isInstanceOfSatisfying(LlmError.Transport.class, e -> assertThat(e.message()).contains("500"));
            assertThat(error(llm, protocol)).isInstanceOfSatisfying(LlmError.Overloaded.class,
                    e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(2)));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai-chat", "anthropic-messages", "openai-responses"})
    void malformedEventDataEndsTheStreamWithATransportError(String protocol) {
        try (var llm = FakeLlm.start()) {
            llm.enqueue(Turn.of(Step.text("some text before the garbage")).malformedAfter(2));
            List<LlmEvent> events = run(llm, protocol, new Cancellation());
            var last = (LlmEvent.Finished) events.getLast();
            assertThat(last.error()).get().isInstanceOfSatisfying(LlmError.Transport.class, e -> assertThat(e.message()).contains("malformed"));
            assertThat(events.stream().filter(LlmEvent.Finished.class::isInstance)).hasSize(1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai-chat", "anthropic-messages", "openai-responses"})
    void aConnectionResetMidStreamIsATransportError(String protocol) throws Exception {
        String firstEvent = switch (protocol) {
            case "anthropic-messages" -> "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":5}}}\n\n";
            case "openai-responses" -> "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"output_index\":0,\"delta\":\"par\"}\n\n";
            default -> "data: {\"id\":\"x\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"par\"}}]}\n\n";
        };
        try (var server = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            var served = CompletableFuture.runAsync(() -> resetAfter(server, firstEvent));
            var provider = new Provider("x", protocol, URI.create("http://127.0.0.1:" + server.getLocalPort() + "/v1"), Optional.empty(), Map.of(), Map.of());
            List<LlmEvent> events = new ArrayList<>();
            var finished = PROTOCOLS.find(protocol).orElseThrow().stream(provider, request(), events::add, new Cancellation());
            served.get(5, TimeUnit.SECONDS);
            assertThat(finished.error()).get().isInstanceOf(LlmError.Transport.class);
            assertThat(events.getLast()).isEqualTo(finished);
        }
    }

    /** Answers one request with a chunked SSE response, sends one event, then resets the TCP connection (RST). */
    private static void resetAfter(java.net.ServerSocket server, String event) {
        try (var socket = server.accept()) {
            var in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
            int length = 0;
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) length = Integer.parseInt(line.substring(15).strip());
            }
            in.skip(length);
            var out = socket.getOutputStream();
            byte[] data = event.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + Integer.toHexString(data.length) + "\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            out.write(data);
            out.write("\r\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            out.flush();
            Thread.sleep(100);
            socket.setSoLinger(true, 0); // close with RST, not FIN
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static LlmError error(FakeLlm llm, String protocol) {
        List<LlmEvent> events = run(llm, protocol, new Cancellation());
        var last = (LlmEvent.Finished) events.getLast();
        assertThat(last.reason()).isEqualTo(StopReason.ERROR);
        return last.error().orElseThrow();
    }
}
