package dev.lathe.llm.bedrock;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.lathe.llm.ApiKey;
import dev.lathe.llm.Cancellation;
import dev.lathe.llm.Content;
import dev.lathe.llm.LlmError;
import dev.lathe.llm.LlmEvent;
import dev.lathe.llm.LlmMessage;
import dev.lathe.llm.LlmRequest;
import dev.lathe.llm.Protocols;
import dev.lathe.llm.Provider;
import dev.lathe.llm.StopReason;
import dev.lathe.llm.TokenUsage;
import dev.lathe.llm.ToolChoice;
import dev.lathe.llm.ToolSpec;
import dev.lathe.llm.debug.MergedResponse;
import dev.lathe.llm.eventstream.EventStreamWriter;
import dev.lathe.llm.http.EventStreamTransport;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The protocol over real HTTP against a JDK server on 127.0.0.1 that answers with real binary event-stream frames. */
class BedrockHttpTest {
    static final String MODEL = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
    static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    static final String TOKEN = "FwoGZXIvYXdzEXAMPLESESSIONTOKEN";
    static final Instant NOW = Instant.parse("2025-01-02T03:04:05Z");
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static final Pattern AUTHORIZATION = Pattern.compile(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250102/us-west-2/bedrock/aws4_request, SignedHeaders=host;x-amz-date;x-amz-security-token, Signature=([0-9a-f]{64})");

    @TempDir Path home;

    private record Received(String method, String rawPath, Map<String, String> headers, byte[] body) {}

    @FunctionalInterface
    private interface Reply {
        void send(HttpExchange exchange) throws IOException, InterruptedException;
    }

    private HttpServer server;
    private final LinkedBlockingQueue<Reply> replies = new LinkedBlockingQueue<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), headers, exchange.getRequestBody().readAllBytes()));
            Reply reply = replies.poll();
            try (exchange) {
                if (reply == null) exchange.sendResponseHeaders(500, -1);
                else reply.send(exchange);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException ignored) {
                // the client went away (cancellation)
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.stop(0);
    }

    private URI baseUrl() { return URI.create("http://127.0.0.1:" + server.getAddress().getPort()); }

    private BedrockConverse protocol(String... env) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i + 1 < env.length; i += 2) map.put(env[i], env[i + 1]);
        return new BedrockConverse(new EventStreamTransport(HTTP), map, home, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private BedrockConverse signing() {
        return protocol("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY", SECRET, "AWS_SESSION_TOKEN", TOKEN, "AWS_REGION", "us-west-2");
    }

    private Provider provider(Optional<ApiKey> key) {
        return new Provider("amazon-bedrock", BedrockConverse.ID, baseUrl(), key, Map.of("x-extra", "1"), Map.of());
    }

    private static LlmRequest request() {
        return new LlmRequest(MODEL, List.of("system A", "system B"), List.of(new ToolSpec("read", "Read a file", "{\"type\":\"object\"}")),
                List.of(LlmMessage.user(List.of(new Content.Text("hi")))), 1000, ToolChoice.AUTO, Optional.empty(), Optional.empty());
    }

    private List<LlmEvent> run(BedrockConverse protocol, Provider provider, Cancellation cancel) {
        List<LlmEvent> events = new ArrayList<>();
        LlmEvent.Finished finished = protocol.stream(provider, request(), events::add, cancel);
        assertThat(events.getLast()).isEqualTo(finished);
        assertThat(events.stream().filter(LlmEvent.Finished.class::isInstance)).hasSize(1);
        return events;
    }

    private LlmError error(BedrockConverse protocol, Provider provider) {
        var last = (LlmEvent.Finished) run(protocol, provider, new Cancellation()).getLast();
        assertThat(last.reason()).isEqualTo(StopReason.ERROR);
        return last.error().orElseThrow();
    }

    /** A 200 event-stream answer; each frame is written in two pieces so reads must reassemble them. */
    private static Reply frames(boolean stallAfter, CountDownLatch release, byte[]... frames) {
        return exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/vnd.amazon.eventstream");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            for (byte[] f : frames) {
                out.write(f, 0, f.length / 2);
                out.flush();
                Thread.sleep(2);
                out.write(f, f.length / 2, f.length - f.length / 2);
                out.flush();
            }
            if (stallAfter) release.await(10, TimeUnit.SECONDS);
        };
    }

    private static Reply httpError(int status, String body, Map<String, String> headers) {
        return exchange -> {
            headers.forEach(exchange.getResponseHeaders()::add);
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        };
    }

    private static byte[] event(String type, String json) { return EventStreamWriter.event(type, json); }

    private static byte[] text(String text) {
        return event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"" + text + "\"}}");
    }

    @Test
    void streamsASignedConverseRequest() throws Exception {
        replies.add(frames(false, release, event("messageStart", "{\"role\":\"assistant\"}"), text("Looking"), text(" at it."),
                event("contentBlockStop", "{\"contentBlockIndex\":0}"),
                event("contentBlockStart", "{\"contentBlockIndex\":1,\"start\":{\"toolUse\":{\"toolUseId\":\"tooluse_abc\",\"name\":\"read\"}}}"),
                event("contentBlockDelta", "{\"contentBlockIndex\":1,\"delta\":{\"toolUse\":{\"input\":\"{\\\"path\\\":\"}}}"),
                event("contentBlockDelta", "{\"contentBlockIndex\":1,\"delta\":{\"toolUse\":{\"input\":\"\\\"a.txt\\\"}\"}}}"),
                event("contentBlockStop", "{\"contentBlockIndex\":1}"), event("messageStop", "{\"stopReason\":\"tool_use\"}"),
                event("metadata", "{\"usage\":{\"inputTokens\":20,\"outputTokens\":9,\"totalTokens\":1529,\"cacheReadInputTokens\":1000,\"cacheWriteInputTokens\":500},\"metrics\":{\"latencyMs\":300}}")));

        MergedResponse m = MergedResponse.of(run(signing(), provider(Optional.empty()), new Cancellation()));

        assertThat(m.text()).isEqualTo("Looking at it.");
        assertThat(m.toolCalls()).containsExactly(new LlmEvent.ToolCallFinished(1, "tooluse_abc", "read", "{\"path\":\"a.txt\"}"));
        assertThat(m.usage()).contains(new TokenUsage(20, 9, 0, 1000, 500));
        assertThat(m.finished()).isEqualTo(LlmEvent.Finished.ok(StopReason.TOOL_CALLS));

        Received r = received.getFirst();
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.rawPath()).isEqualTo("/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/converse-stream");
        assertThat(r.headers()).containsEntry("x-amz-date", "20250102T030405Z").containsEntry("x-amz-security-token", TOKEN)
                .containsEntry("content-type", "application/json").containsEntry("accept", "application/vnd.amazon.eventstream").containsEntry("x-extra", "1");
        assertThat(Encoder.JSON.readTree(r.body())).isEqualTo(Encoder.tree(request()));
        Matcher auth = AUTHORIZATION.matcher(r.headers().get("authorization"));
        assertThat(auth.matches()).as(r.headers().get("authorization")).isTrue();
        // what the server received (Host as the client sent it, the raw path, the body) is what was signed
        var signed = new TreeMap<String, String>(Map.of("host", r.headers().get("host"), "x-amz-date", "20250102T030405Z", "x-amz-security-token", TOKEN));
        assertThat(signed.get("host")).isEqualTo("127.0.0.1:" + server.getAddress().getPort());
        String canonical = SigV4Signer.canonicalRequest("POST", r.rawPath(), null, signed, SigV4Signer.hex(SigV4Signer.sha256(r.body())));
        assertThat(canonical).contains("\n/model/us.anthropic.claude-sonnet-4-5-20250929-v1%253A0/converse-stream\n");
        String sts = SigV4Signer.stringToSign("20250102T030405Z", "20250102/us-west-2/bedrock/aws4_request", canonical);
        assertThat(SigV4Signer.hex(SigV4Signer.hmac(SigV4Signer.signingKey(SECRET, "20250102", "us-west-2", "bedrock"), sts))).isEqualTo(auth.group(1));
    }

    @Test
    void aThrottlingExceptionMidStreamIsRateLimited() {
        replies.add(frames(false, release, event("messageStart", "{\"role\":\"assistant\"}"), text("part"),
                EventStreamWriter.exception("throttlingException", "{\"message\":\"Too many tokens, please wait before trying again.\"}")));
        List<LlmEvent> events = run(signing(), provider(Optional.empty()), new Cancellation());
        assertThat(events).containsExactly(new LlmEvent.TextDelta(0, "part"),
                LlmEvent.Finished.failed(new LlmError.RateLimited(Optional.empty(),
                        "amazon-bedrock at 127.0.0.1:" + server.getAddress().getPort() + ": HTTP 200: Too many tokens, please wait before trying again.")));
    }

    @Test
    void httpErrorBodiesAreTypedByTheErrorTypeHeader() {
        replies.add(httpError(400, "{\"message\":\"Input is too long for requested model.\"}",
                Map.of("x-amzn-errortype", "ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/")));
        replies.add(httpError(400, "{\"message\":\"Malformed input request: #: extraneous key [foo] is not permitted, please reformat your input and try again.\"}",
                Map.of("x-amzn-errortype", "ValidationException")));
        replies.add(httpError(429, "{\"message\":\"Too many requests, please wait before trying again.\"}", Map.of("x-amzn-errortype", "ThrottlingException",
                "retry-after", "2")));
        replies.add(httpError(503, "{\"message\":\"Bedrock is unable to process your request.\"}", Map.of("x-amzn-errortype", "ServiceUnavailableException")));

        assertThat(error(signing(), provider(Optional.empty()))).isEqualTo(new LlmError.ContextOverflow(
                "amazon-bedrock at 127.0.0.1:" + server.getAddress().getPort() + ": HTTP 400: Input is too long for requested model."));
        assertThat(error(signing(), provider(Optional.empty()))).isInstanceOfSatisfying(LlmError.InvalidRequest.class,
                e -> assertThat(e.status()).isEqualTo(400));
        assertThat(error(signing(), provider(Optional.empty()))).isEqualTo(new LlmError.RateLimited(Optional.of(Duration.ofSeconds(2)),
                "amazon-bedrock at 127.0.0.1:" + server.getAddress().getPort() + ": HTTP 429: Too many requests, please wait before trying again."));
        assertThat(error(signing(), provider(Optional.empty()))).isInstanceOf(LlmError.Overloaded.class);
    }

    @Test
    void aBedrockApiKeyIsSentAsABearerTokenAndNeverShownInErrors() {
        replies.add(httpError(403, "{\"message\":\"Authentication failed for token bedrock-api-key-SECRETVALUE\"}", Map.of("x-amzn-errortype", "AccessDeniedException")));
        replies.add(httpError(403, "{\"message\":\"denied\"}", Map.of()));

        LlmError e = error(protocol("AWS_BEARER_TOKEN_BEDROCK", "bedrock-api-key-SECRETVALUE", "AWS_ACCESS_KEY_ID", "AKID", "AWS_SECRET_ACCESS_KEY", SECRET),
                provider(Optional.empty()));
        assertThat(e).isInstanceOf(LlmError.Unauthorized.class);
        assertThat(e.message()).doesNotContain("SECRETVALUE").contains("[redacted]");
        assertThat(received.getFirst().headers()).containsEntry("authorization", "Bearer bedrock-api-key-SECRETVALUE").doesNotContainKey("x-amz-date");

        assertThat(error(protocol(), provider(Optional.of(new ApiKey("provider-key-1234"))))).isInstanceOf(LlmError.Unauthorized.class);
        assertThat(received.get(1).headers()).containsEntry("authorization", "Bearer provider-key-1234");
    }

    @Test
    void aSignatureErrorThatEchoesTheTokenDoesNotLeakIt() {
        replies.add(httpError(403, "{\"message\":\"Signature expired: 20250102T030405Z is now earlier than 20250102T031000Z. token " + TOKEN + "\"}",
                Map.of("x-amzn-errortype", "InvalidSignatureException")));
        LlmError e = error(signing(), provider(Optional.empty()));
        assertThat(e).isInstanceOf(LlmError.Unauthorized.class);
        assertThat(e.message()).startsWith("amazon-bedrock at 127.0.0.1:" + server.getAddress().getPort() + ": HTTP 403: Signature expired").doesNotContain(TOKEN, SECRET);
    }

    @Test
    void aCorruptedFrameIsAMalformedStream() {
        byte[] bad = text("garbage");
        bad[bad.length - 6] ^= 0x20;
        replies.add(frames(false, release, event("messageStart", "{\"role\":\"assistant\"}"), text("before "), bad, text("after")));
        List<LlmEvent> events = run(signing(), provider(Optional.empty()), new Cancellation());
        assertThat(events.getFirst()).isEqualTo(new LlmEvent.TextDelta(0, "before "));
        assertThat(((LlmEvent.Finished) events.getLast()).error()).get().isInstanceOfSatisfying(LlmError.Transport.class,
                e -> assertThat(e.message()).contains("malformed event stream", "checksum"));
    }

    @Test
    void aStreamCutInsideAFrameIsATransportError() {
        byte[] frame = text("cut");
        replies.add(exchange -> {
            exchange.sendResponseHeaders(200, 0);
            exchange.getResponseBody().write(frame, 0, frame.length - 5);
        });
        assertThat(error(signing(), provider(Optional.empty()))).isInstanceOf(LlmError.Transport.class);
    }

    @Test
    void theResponseEndsAtMetadataEvenIfTheConnectionStaysOpen() throws Exception {
        replies.add(frames(true, release, text("done"), event("messageStop", "{\"stopReason\":\"end_turn\"}"),
                event("metadata", "{\"usage\":{\"inputTokens\":1,\"outputTokens\":2,\"totalTokens\":3}}")));
        var done = CompletableFuture.supplyAsync(() -> run(signing(), provider(Optional.empty()), new Cancellation()));
        MergedResponse m = MergedResponse.of(done.get(5, TimeUnit.SECONDS));
        assertThat(m.finished()).isEqualTo(LlmEvent.Finished.ok(StopReason.STOP));
        assertThat(m.usage()).contains(new TokenUsage(1, 2, 0, 0, 0));
    }

    @Test
    void cancellingAStalledStreamReturnsPromptly() throws Exception {
        replies.add(frames(true, release, event("messageStart", "{\"role\":\"assistant\"}"), text("never finishes")));
        var cancel = new Cancellation();
        var done = CompletableFuture.supplyAsync(() -> run(signing(), provider(Optional.empty()), cancel));
        for (int i = 0; i < 100 && received.isEmpty(); i++) Thread.sleep(20);
        Thread.sleep(200);
        cancel.cancel();
        List<LlmEvent> events = done.get(2, TimeUnit.SECONDS);
        assertThat(((LlmEvent.Finished) events.getLast()).error()).get().isInstanceOfSatisfying(LlmError.Transport.class,
                e -> assertThat(e.message()).isEqualTo("cancelled"));
    }

    @Test
    void withoutCredentialsNothingIsSent() {
        LlmError e = error(protocol("AWS_REGION", "us-west-2"), provider(Optional.empty()));
        assertThat(e).isInstanceOfSatisfying(LlmError.Unauthorized.class, u -> assertThat(u.message()).contains("AWS_ACCESS_KEY_ID"));
        assertThat(received).isEmpty();
    }

    @Test
    void aRefusedConnectionIsUnreachableAndNamesNoSecret() {
        var provider = new Provider("x", BedrockConverse.ID, URI.create("http://127.0.0.1:1"), Optional.empty(), Map.of(), Map.of());
        List<LlmEvent> events = new ArrayList<>();
        var finished = signing().stream(provider, request(), events::add, new Cancellation());
        assertThat(finished.error()).get().isInstanceOf(LlmError.Unreachable.class);
        assertThat(finished.toString()).doesNotContain(SECRET, TOKEN);
        assertThat(events).containsExactly(finished);
    }

    @Test
    void theSigningRegionIsTheEndpointsElseTheConfiguredOne() {
        assertThat(signing().region(URI.create("https://bedrock-runtime.eu-central-1.amazonaws.com"))).isEqualTo("eu-central-1");
        assertThat(signing().region(URI.create("https://bedrock-runtime-fips.us-gov-west-1.amazonaws.com"))).isEqualTo("us-gov-west-1");
        assertThat(signing().region(URI.create("https://bedrock.proxy.internal"))).isEqualTo("us-west-2");
        assertThat(protocol().region(URI.create("https://bedrock.proxy.internal"))).isEqualTo("us-east-1");
    }

    @Test
    void theStandardRegistryHasTheProtocol() {
        assertThat(Protocols.standard(HTTP).find(BedrockConverse.ID)).get().isInstanceOf(BedrockConverse.class);
    }
}
