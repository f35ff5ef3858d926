package dev.lathe.llm.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.lathe.llm.ApiKey;
import dev.lathe.llm.Cancellation;
import dev.lathe.llm.Content;
import dev.lathe.llm.Fixtures;
import dev.lathe.llm.LlmError;
import dev.lathe.llm.LlmEvent;
import dev.lathe.llm.LlmMessage;
import dev.lathe.llm.LlmRequest;
import dev.lathe.llm.Protocols;
import dev.lathe.llm.Provider;
import dev.lathe.llm.StopReason;
import dev.lathe.llm.ToolChoice;
import dev.lathe.llm.ToolSpec;
import dev.lathe.llm.debug.MergedResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The protocol over real HTTP against a loopback server that answers with recorded Gemini responses. */
class GeminiHttpTest {
    private static final String KEY = "AIza-marker-123";
    private static final String THINKING = "gemini/charmbracelet-fantasy/TestGoogleThinking/gemini-2.5-pro/thinking-streaming.cassette.json";

    /** What the server saw of one request. */
    record Seen(String method, URI uri, Map<String, List<String>> headers, String body) {}

    /** The next answer: status, content type, body. */
    record Answer(int status, String contentType, String body) {}

    private final ConcurrentLinkedQueue<Seen> seen = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
    private HttpServer server;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                seen.add(new Seen(exchange.getRequestMethod(), exchange.getRequestURI(), Map.copyOf(exchange.getRequestHeaders()), body));
                Answer a = answers.remove();
                byte[] bytes = a.body().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", a.contentType());
                exchange.sendResponseHeaders(a.status(), bytes.length);
                exchange.getResponseBody().write(bytes);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() { server.stop(0); }

    private Provider provider() {
        String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/v1beta";
        return new Provider("google", Gemini.ID, URI.create(base), Optional.of(new ApiKey(KEY)), Map.of("x-extra", "1"), Map.of());
    }

    private static LlmRequest request() {
        return new LlmRequest("gemini-2.5-pro", List.of("You are a helpful assistant"),
                List.of(new ToolSpec("weather", "Get weather information for a location",
                        "{\"type\":\"object\",\"properties\":{\"location\":{\"type\":\"string\",\"description\":\"the city\"}},\"required\":[\"location\"]}")),
                List.of(LlmMessage.user(List.of(new Content.Text("What's the weather in Florence, Italy?")))), 4000, ToolChoice.AUTO,
                Optional.empty(), Optional.empty());
    }

    private List<LlmEvent> run() {
        var protocols = Protocols.standard(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build());
        List<LlmEvent> events = new ArrayList<>();
        protocols.find(Gemini.ID).orElseThrow().stream(provider(), request(), events::add, new Cancellation());
        return events;
    }

    @Test
    void streamsARecordedResponseAndSendsTheKeyOnlyInTheHeader() {
        JsonNode interaction = Fixtures.JSON.readTree(Fixtures.read(THINKING)).path("interactions").get(0);
        answers.add(new Answer(200, "text/event-stream", interaction.path("response").path("body").asString()));

        List<LlmEvent> events = run();

        MergedResponse m = MergedResponse.of(events);
        assertThat(m.reasoning()).startsWith("**Mapping the Inquiry**");
        assertThat(m.toolCalls()).hasSize(1);
        assertThat(m.toolCalls().getFirst().name()).isEqualTo("weather");
        assertThat(m.toolCalls().getFirst().argsJson()).isEqualTo("{\"location\":\"Florence, Italy\"}");
        assertThat(m.toolCalls().getFirst().signature()).get().asString().startsWith("CiIBvj72+9zt");
        assertThat(m.finished()).isEqualTo(LlmEvent.Finished.ok(StopReason.TOOL_CALLS));
        assertThat(events.stream().filter(LlmEvent.Finished.class::isInstance)).hasSize(1);

        Seen request = seen.remove();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.uri().getPath()).isEqualTo("/v1beta/models/gemini-2.5-pro:streamGenerateContent");
        assertThat(request.uri().getQuery()).isEqualTo("alt=sse");
        assertThat(request.uri().toString()).doesNotContain(KEY);
        assertThat(request.headers().get("X-goog-api-key")).containsExactly(KEY);
        assertThat(request.headers().get("X-extra")).containsExactly("1");
        // what we sent is what the recorded client sent, but for the system turn's role, which Gemini ignores
        JsonNode sent = Fixtures.JSON.readTree(request.body());
        JsonNode recorded = Fixtures.JSON.readTree(interaction.path("request").path("body").asString());
        assertThat(sent.path("contents")).isEqualTo(recorded.path("contents"));
        assertThat(sent.path("tools")).isEqualTo(recorded.path("tools"));
        assertThat(sent.path("systemInstruction").path("parts")).isEqualTo(recorded.path("systemInstruction").path("parts"));
    }

    @Test
    void aRateLimitAnswerBecomesRateLimitedWithTheBodysDelay() {
        answers.add(new Answer(429, "application/json", Fixtures.read("gemini/vercel-ai-google/google-429-retry-info.json")));

        List<LlmEvent> events = run();

        var last = (LlmEvent.Finished) events.getLast();
        assertThat(events).hasSize(1);
        assertThat(last.reason()).isEqualTo(StopReason.ERROR);
        assertThat(last.error()).get().isInstanceOfSatisfying(LlmError.RateLimited.class, e -> {
            assertThat(e.retryAfter()).contains(Duration.ofMillis(34_400));
            assertThat(e.message()).matches("google at 127\\.0\\.0\\.1:\\d+: HTTP 429: You exceeded your current quota, please check your plan\\.");
        });
    }

    @Test
    void aStreamCutBeforeItsFinishReasonIsATransportError() {
        String body = Fixtures.JSON.readTree(Fixtures.read(THINKING)).path("interactions").get(0).path("response").path("body").asString();
        answers.add(new Answer(200, "text/event-stream", body.substring(0, body.indexOf("\r\n\r\n") + 4)));

        MergedResponse m = MergedResponse.of(run());

        assertThat(m.reasoning()).startsWith("**Mapping the Inquiry**");
        assertThat(m.error()).get().isInstanceOf(LlmError.Transport.class);
    }
}
