package dev.lathe.testkit;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** A scripted turn as the Anthropic Messages API streams it (SSE with {@code event:} names) or answers it as JSON. */
final class AnthropicStream {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private AnthropicStream() {}

    static List<String> events(Turn turn, String model, int seq) {
        List<String> out = new ArrayList<>();
        ObjectNode message = JSON.createObjectNode().put("id", "msg_fake_" + seq).put("type", "message").put("role", "assistant").put("model", model);
        message.putArray("content");
        message.putNull("stop_reason");
        message.putNull("stop_sequence");
        message.set("usage", JSON.createObjectNode().put("input_tokens", turn.usage().input())
                .put("cache_creation_input_tokens", turn.usage().cacheWrite()).put("cache_read_input_tokens", turn.usage().cacheRead())
                .put("output_tokens", 1));
        out.add(frame("message_start", JSON.createObjectNode().put("type", "message_start").set("message", message)));
        out.add(frame("ping", JSON.createObjectNode().put("type", "ping")));
        int index = 0;
        for (Step step : turn.steps()) {
            switch (step) {
                case Step.Text t -> {
                    out.add(start(index, JSON.createObjectNode().put("type", "text").put("text", "")));
                    for (String c : t.deltas()) out.add(delta(index, JSON.createObjectNode().put("type", "text_delta").put("text", c)));
                }
                case Step.Reasoning r -> {
                    out.add(start(index, JSON.createObjectNode().put("type", "thinking").put("thinking", "").put("signature", "")));
                    for (String c : Chunks.of(r.text(), 12)) out.add(delta(index, JSON.createObjectNode().put("type", "thinking_delta").put("thinking", c)));
                    out.add(delta(index, JSON.createObjectNode().put("type", "signature_delta").put("signature", r.signature())));
                }
                case Step.ToolCall c -> {
                    ObjectNode block = JSON.createObjectNode().put("type", "tool_use").put("id", c.id()).put("name", c.name());
                    block.putObject("input");
                    out.add(start(index, block));
                    // the real API opens every tool input with an empty fragment
                    out.add(delta(index, JSON.createObjectNode().put("type", "input_json_delta").put("partial_json", "")));
                    for (String f : Chunks.of(c.argsJson(), 7)) {
                        out.add(delta(index, JSON.createObjectNode().put("type", "input_json_delta").put("partial_json", f)));
                    }
                }
            }
            out.add(frame("content_block_stop", JSON.createObjectNode().put("type", "content_block_stop").put("index", index)));
            index++;
        }
        ObjectNode messageDelta = JSON.createObjectNode().put("type", "message_delta");
        messageDelta.set("delta", JSON.createObjectNode().put("stop_reason", stopReason(turn)).putNull("stop_sequence"));
        messageDelta.set("usage", JSON.createObjectNode().put("output_tokens", turn.usage().output()));
        out.add(frame("message_delta", messageDelta));
        out.add(frame("message_stop", JSON.createObjectNode().put("type", "message_stop")));
        return out;
    }

    static String body(Turn turn, String model, int seq) {
        ObjectNode message = JSON.createObjectNode().put("id", "msg_fake_" + seq).put("type", "message").put("role", "assistant").put("model", model);
        ArrayNode content = message.putArray("content");
        for (Step step : turn.steps()) {
            switch (step) {
                case Step.Text t -> content.addObject().put("type", "text").put("text", t.text());
                case Step.Reasoning r -> content.addObject().put("type", "thinking").put("thinking", r.text()).put("signature", r.signature());
                case Step.ToolCall c -> content.addObject().put("type", "tool_use").put("id", c.id()).put("name", c.name())
                        .set("input", JSON.readTree(c.argsJson()));
            }
        }
        message.put("stop_reason", stopReason(turn)).putNull("stop_sequence");
        message.set("usage", JSON.createObjectNode().put("input_tokens", turn.usage().input()).put("output_tokens", turn.usage().output())
                .put("cache_creation_input_tokens", turn.usage().cacheWrite()).put("cache_read_input_tokens", turn.usage().cacheRead()));
        return JSON.writeValueAsString(message);
    }

    static String error(String type, String message) {
        ObjectNode body = JSON.createObjectNode().put("type", "error");
        body.set("error", JSON.createObjectNode().put("type", type).put("message", message));
        return JSON.writeValueAsString(body);
    }

    private static String stopReason(Turn turn) {
        return turn.finish().orElse(turn.hasToolCalls() ? "tool_use" : "end_turn");
    }

    private static String start(int index, ObjectNode block) {
        return frame("content_block_start", JSON.createObjectNode().put("type", "content_block_start").put("index", index).set("content_block", block));
    }

    private static String delta(int index, ObjectNode delta) {
        return frame("content_block_delta", JSON.createObjectNode().put("type", "content_block_delta").put("index", index).set("delta", delta));
    }

    private static String frame(String event, ObjectNode data) {
        return "event: " + event + "\ndata: " + JSON.writeValueAsString(data) + "\n\n";
    }
}
