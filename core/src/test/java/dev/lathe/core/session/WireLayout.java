package dev.lathe.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.testkit.RecordedRequest;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Where the blocks of DESIGN §7's layout sit in a recorded request body, per wire protocol. */
final class WireLayout {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private WireLayout() {}

    /**
     * The body as sent, with the conversation ({@code messages}, or {@code input}) as its last field. Anthropic's
     * breakpoints on the last two messages move forward each step by design (they mark where the next cache entry
     * ends, not content), so they are taken out; everything else is compared as sent.
     */
    static String comparable(RecordedRequest request, String protocol) {
        List<String> keys = request.json().propertyNames().stream().toList();
        assertThat(keys.getLast()).isEqualTo(conversation(protocol));
        if (!protocol.equals("anthropic-messages")) return request.body();
        ObjectNode tree = (ObjectNode) request.json();
        for (JsonNode m : tree.path("messages")) for (JsonNode block : m.path("content")) ((ObjectNode) block).remove("cache_control");
        return JSON.writeValueAsString(tree);
    }

    static String conversation(String protocol) {
        return protocol.equals("openai-responses") ? "input" : "messages";
    }

    /** System block A: Anthropic's first system block, otherwise the first message. */
    static JsonNode blockA(JsonNode body, String protocol) {
        return protocol.equals("anthropic-messages") ? body.path("system").path(0) : body.path(conversation(protocol)).path(0);
    }
}
