package dev.lathe.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.llm.Protocols;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Part;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.RecordedRequest;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** Failover to the {@code fallback} models over real HTTP, with history converted across providers and protocols. */
class FailoverTest {
    private static final String OVERLOADED = "{\"error\":{\"message\":\"The server is overloaded\",\"type\":\"server_error\"}}";

    @TempDir Path tmp;

    private static String provider(String id, String protocol, String baseUrl) {
        return "\"" + id + "\": {\"protocol\": \"" + protocol + "\", \"baseUrl\": \"" + baseUrl + "\", \"apiKey\": \"k\","
                + " \"models\": {\"m\": {\"context\": 100000, \"output\": 4000}}}";
    }

    private static String config(String primary, String... providers) {
        return "{\"model\": \"" + primary + "\", \"fallback\": [\"nowhere/m\", \"second/m\"],"
                + " \"retry\": {\"maxAttempts\": 2, \"maxTotalWaitSeconds\": 5, \"streamIdleTimeoutSeconds\": 30},"
                + " \"provider\": {" + String.join(", ", providers) + "}}";
    }

    private static List<Part> parts(List<MessageWithParts> history) {
        return history.stream().filter(m -> m.info() instanceof AssistantMessage).flatMap(m -> m.parts().stream()).toList();
    }

    @Test
    void aStreamThatStallsOverHttpIsAbandonedAfterTheIdleTimeoutAndRetried() throws Exception {
        try (var llm = FakeLlm.start()) {
            String config = "{\"model\": \"only/m\", \"retry\": {\"maxAttempts\": 3, \"streamIdleTimeoutSeconds\": 1},"
                    + " \"provider\": {" + provider("only", "openai-responses", llm.baseUrl()) + "}}";
            try (var h = new Harness(tmp, config, 10, Protocols.standard(HttpClient.newHttpClient()))) {
                llm.enqueue(Turn.of(Step.text("this answer never gets to its end")).stallAfter(3));
                llm.enqueue(Turn.of(Step.text("Second try made it.")));
                var s = h.session();

                h.promptAndWait(s.id(), "hi");

                assertThat(llm.requests()).hasSize(2);
                var history = h.api.messages(s.id());
                var done = (AssistantMessage) history.getLast().info();
                assertThat(done.error()).isEmpty();
                assertThat(parts(history)).anySatisfy(p -> assertThat(p).isInstanceOfSatisfying(Part.Retry.class,
                        r -> assertThat(r.error()).startsWith("stalled")));
                assertThat(parts(history)).filteredOn(Part.Text.class::isInstance).extracting(p -> ((Part.Text) p).text())
                        .contains("Second try made it.");
            }
        }
    }

    @Test
    void anOverloadedProviderHandsTheStepToTheFallbackWhichFinishesTheTask() throws Exception {
        try (var first = FakeLlm.start(); var second = FakeLlm.start()) {
            // "nowhere" has no key and no base URL: it is skipped, "second" takes over
            String config = config("first/m", provider("first", "openai-chat", first.baseUrl()), provider("second", "anthropic-messages", second.baseUrl()),
                    "\"nowhere\": {\"protocol\": \"openai-chat\"}");
            try (var h = new Harness(tmp, config, 10, Protocols.standard(HttpClient.newHttpClient()))) {
                Files.writeString(h.project.resolve("a.txt"), "alpha\n");
                // an id Anthropic would reject: it must reach the fallback rewritten, the same in the call and its result
                first.enqueue(Turn.of(Step.toolCall("call.7:x/y", "read", "{\"path\":\"a.txt\"}")).finish("tool_calls"));
                first.enqueue(Turn.httpError(503, OVERLOADED, Map.of("retry-after-ms", "10")));
                first.enqueue(Turn.httpError(503, OVERLOADED, Map.of("retry-after-ms", "10")));
                second.enqueue(Turn.of(Step.text("a.txt says alpha.")));
                var s = h.session();

                h.promptAndWait(s.id(), "what is in a.txt?");

                assertThat(first.requests()).hasSize(3);
                assertThat(second.requests()).hasSize(1);
                var history = h.api.messages(s.id());
                var done = (AssistantMessage) history.getLast().info();
                assertThat(done.error()).isEmpty();
                assertThat(done.finish()).contains("stop");
                assertThat(parts(history)).filteredOn(Part.ModelSwitch.class::isInstance).singleElement().satisfies(p -> {
                    var sw = (Part.ModelSwitch) p;
                    assertThat(sw.from()).isEqualTo("first/m");
                    assertThat(sw.to()).isEqualTo("second/m");
                    assertThat(sw.reason()).startsWith("overloaded");
                });
                assertThat(parts(history)).filteredOn(Part.Text.class::isInstance).extracting(p -> ((Part.Text) p).text()).contains("a.txt says alpha.");

                RecordedRequest handedOver = second.requests().getFirst();
                JsonNode messages = handedOver.json().path("messages");
                JsonNode toolUse = find(messages, "tool_use");
                JsonNode toolResult = find(messages, "tool_result");
                assertThat(toolUse.path("id").asString()).matches("[A-Za-z0-9_-]{1,64}").isEqualTo(toolResult.path("tool_use_id").asString());
                assertThat(toolResult.path("content").asString()).contains("alpha");
            }
        }
    }

    @Test
    void anUnreachableProviderIsLeftAtOnceAndForeignReasoningIsNotSentOn() throws Exception {
        try (var second = FakeLlm.start()) {
            String config = config("first/m", provider("first", "anthropic-messages", "http://127.0.0.1:1/v1"),
                    provider("second", "anthropic-messages", second.baseUrl()));
            try (var h = new Harness(tmp, config, 10, Protocols.standard(HttpClient.newHttpClient()))) {
                second.enqueue(Turn.of(Step.text("hello from second")));
                var s = h.session();

                h.promptAndWait(s.id(), "hi");

                var history = h.api.messages(s.id());
                assertThat(((AssistantMessage) history.getLast().info()).error()).isEmpty();
                // no retry wait on a refused connection when a fallback exists
                assertThat(parts(history)).noneMatch(Part.Retry.class::isInstance);
                assertThat(parts(history)).filteredOn(Part.ModelSwitch.class::isInstance).singleElement()
                        .satisfies(p -> assertThat(((Part.ModelSwitch) p).reason()).startsWith("unreachable"));
            }
        }
    }

    @Test
    void switchingModelMidSessionDropsTheOtherProvidersSignedReasoning() throws Exception {
        try (var first = FakeLlm.start(); var second = FakeLlm.start()) {
            String config = config("first/m", provider("first", "anthropic-messages", first.baseUrl()), provider("second", "anthropic-messages", second.baseUrl()));
            try (var h = new Harness(tmp, config, 10, Protocols.standard(HttpClient.newHttpClient()))) {
                first.enqueue(Turn.of(Step.reasoning("thinking hard"), Step.text("one")));
                first.enqueue(Turn.of(Step.text("two")));
                second.enqueue(Turn.of(Step.text("three")));
                var s = h.session();

                h.promptAndWait(s.id(), "first question");
                h.promptAndWait(s.id(), "second question");
                // the same provider gets its signed thinking back
                assertThat(find(first.requests().get(1).json().path("messages"), "thinking").path("signature").asString()).isNotEmpty();

                h.api.prompt(s.id(), new PromptRequest(PromptRequest.text("third question").parts(), Optional.empty(), Optional.of("second/m")));
                h.awaitIdle(s.id());

                assertThat(second.requests()).hasSize(1);
                JsonNode messages = second.requests().getFirst().json().path("messages");
                assertThat(find(messages, "thinking").isMissingNode()).isTrue();
                assertThat(messages.toString()).contains("one").contains("two").contains("third question");
                var last = h.api.messages(s.id()).getLast();
                assertThat(last.parts()).filteredOn(Part.ModelSwitch.class::isInstance).singleElement()
                        .satisfies(p -> assertThat(((Part.ModelSwitch) p).reason()).isEqualTo("switched by the user"));
            }
        }
    }

    /** The first content block of the given type in any message, or a missing node. */
    private static JsonNode find(JsonNode messages, String type) {
        for (JsonNode m : messages) for (JsonNode block : m.path("content")) if (block.path("type").asString("").equals(type)) return block;
        return tools.jackson.databind.node.MissingNode.getInstance();
    }
}
