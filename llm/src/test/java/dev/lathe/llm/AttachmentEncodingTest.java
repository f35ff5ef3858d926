package dev.lathe.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Images and PDFs a tool attached go out in each protocol's own shape, after the tool results, on the real wire. */
class AttachmentEncodingTest {
    private static final Protocols PROTOCOLS = Protocols.standard(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build());

    @ParameterizedTest
    @ValueSource(strings = {"openai-chat", "anthropic-messages", "openai-responses"})
    void imagesAndDocumentsFollowTheToolResults(String protocol) {
        try (var llm = FakeLlm.start()) {
            llm.enqueue(Turn.of(Step.text("ok")));
            var provider = new Provider("fake", protocol, URI.create(llm.baseUrl()), Optional.empty(), Map.of(), Map.of());
            var request = new LlmRequest("m", List.of("sys"), List.of(), List.of(
                    LlmMessage.user(List.of(new Content.Text("look"))),
                    LlmMessage.assistant(List.of(new Content.ToolCall("c1", "read", "{\"path\":\"a.png\"}"))),
                    LlmMessage.user(List.of(new Content.ToolResult("c1", "read", "attached", false),
                            new Content.Image("image/png", "iVBORw0KGgo="), new Content.Image("application/pdf", "JVBERi0xLjQ=")))),
                    100, ToolChoice.AUTO, Optional.empty(), Optional.empty());

            PROTOCOLS.find(protocol).orElseThrow().stream(provider, request, e -> { }, new Cancellation());

            String body = llm.requests().getFirst().body();
            switch (protocol) {
                case "anthropic-messages" -> assertThat(body).contains("\"type\":\"image\"").contains("\"type\":\"document\"")
                        .contains("\"media_type\":\"application/pdf\"");
                case "openai-chat" -> assertThat(body).contains("\"type\":\"image_url\"").contains("\"type\":\"file\"")
                        .contains("data:application/pdf;base64,JVBERi0xLjQ=");
                default -> assertThat(body).contains("\"type\":\"input_image\"").contains("\"type\":\"input_file\"");
            }
            assertThat(body.indexOf("attached")).isLessThan(body.indexOf("iVBORw0KGgo="));
        }
    }
}
