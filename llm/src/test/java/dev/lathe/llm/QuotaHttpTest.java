package dev.lathe.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The rate-limit headers of a real answer on loopback reach the stream as one QuotaReported, just before its end. */
class QuotaHttpTest {
    private static final Protocols PROTOCOLS = Protocols.standard(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build());
    private static final Map<String, String> OPENAI = Map.of("x-ratelimit-limit-requests", "500", "x-ratelimit-remaining-requests", "100",
            "x-ratelimit-reset-requests", "6m0s");

    private static List<LlmEvent> run(FakeLlm llm, String protocol) {
        List<LlmEvent> events = new ArrayList<>();
        var provider = new Provider("fake", protocol, URI.create(llm.baseUrl()), Optional.of(new ApiKey("sk-q")), Map.of(), Map.of());
        var request = new LlmRequest("m", List.of("system"), List.of(), List.of(LlmMessage.user(List.of(new Content.Text("hi")))), 100,
                ToolChoice.AUTO, Optional.empty(), Optional.empty());
        PROTOCOLS.find(protocol).orElseThrow().stream(provider, request, events::add, new Cancellation());
        return events;
    }

    @ParameterizedTest
    @ValueSource(strings = {"anthropic-messages", "openai-chat", "openai-responses"})
    void aStreamedAnswersHeadersAreReportedOnceBeforeItsEnd(String protocol) {
        boolean anthropic = protocol.startsWith("anthropic");
        try (var llm = FakeLlm.start()) {
            llm.responseHeaders(anthropic ? Map.of("anthropic-ratelimit-tokens-limit", "100000", "anthropic-ratelimit-tokens-remaining", "18000",
                    "anthropic-ratelimit-tokens-reset", Instant.now().plusSeconds(300).toString()) : OPENAI);
            llm.enqueue(Turn.of(Step.text("Hello.")));
            List<LlmEvent> events = run(llm, protocol);
            assertThat(events.getLast()).isInstanceOf(LlmEvent.Finished.class);
            assertThat(events.get(events.size() - 2)).isInstanceOfSatisfying(LlmEvent.QuotaReported.class, q -> {
                QuotaWindow w = q.windows().getFirst();
                assertThat(q.windows()).hasSize(1);
                assertThat(w.name()).isEqualTo(anthropic ? "tokens" : "requests");
                assertThat(w.used()).isEqualTo(anthropic ? 82_000 : 400);
                assertThat(w.limit()).isEqualTo(anthropic ? 100_000 : 500);
            });
            assertThat(events).filteredOn(LlmEvent.QuotaReported.class::isInstance).hasSize(1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"anthropic-messages", "openai-chat"})
    void aRefusedAnswerWithoutAStreamStillReportsItsWindows(String protocol) {
        try (var llm = FakeLlm.start()) {
            llm.responseHeaders(OPENAI);
            llm.enqueue(Turn.httpError(429, "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\"}}", Map.of()));
            List<LlmEvent> events = run(llm, protocol);
            assertThat(((LlmEvent.Finished) events.getLast()).wasRefused()).isTrue();
            assertThat(events).filteredOn(LlmEvent.QuotaReported.class::isInstance).singleElement()
                    .satisfies(q -> assertThat(((LlmEvent.QuotaReported) q).windows()).extracting(QuotaWindow::used).containsExactly(400L));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"anthropic-messages", "openai-chat"})
    void anAnswerWithoutLimitsOrWithUnreadableOnesReportsNothing(String protocol) {
        try (var llm = FakeLlm.start()) {
            llm.enqueue(Turn.of(Step.text("a")));
            assertThat(run(llm, protocol)).noneMatch(LlmEvent.QuotaReported.class::isInstance);
            llm.responseHeaders(Map.of("x-ratelimit-limit-tokens", "lots", "x-ratelimit-remaining-tokens", "1", "x-ratelimit-reset-tokens", "1s",
                    "anthropic-ratelimit-requests-limit", "5", "anthropic-ratelimit-requests-remaining", "9", "anthropic-ratelimit-requests-reset", "x"));
            llm.enqueue(Turn.of(Step.text("b")));
            assertThat(run(llm, protocol)).noneMatch(LlmEvent.QuotaReported.class::isInstance);
        }
    }
}
