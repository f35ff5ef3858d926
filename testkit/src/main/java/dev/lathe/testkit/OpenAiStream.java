package dev.lathe.testkit;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** A scripted turn as OpenAI Chat Completions streams it ({@code data:} chunks, then {@code [DONE]}) or answers it as JSON. */
final class OpenAiStream {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private OpenAiStream() {}

    static List<String> events(Turn turn, String model, int seq, boolean includeUsage) {
        List<String> out = new ArrayList<>();
        String id = "chatcmpl-fake" + seq;
        out.add(chunk(id, model, JSON.createObjectNode().put("role", "assistant").put("content", ""), null));
        int toolIndex = 0;
        for (Step step : turn.steps()) {
            switch (step) {
                case Step.Text t -> {
                    for (String c : t.deltas()) out.add(chunk(id, model, JSON.createObjectNode().put("content", c), null));
                }
                case Step.Reasoning r -> {
                    for (String c : Chunks.of(r.text(), 12)) out.add(chunk(id, model, JSON.createObjectNode().put("reasoning_content", c), null));
                }
                case Step.ToolCall c -> {
                    ObjectNode first = JSON.createObjectNode();
                    ObjectNode call = first.putArray("tool_calls").addObject().put("index", toolIndex).put("id", c.id()).put("type", "function");
                    call.set("function", JSON.createObjectNode().put("name", c.name()).put("arguments", ""));
                    out.add(chunk(id, model, first, null));
                    for (String f : Chunks.of(c.argsJson(), 7)) {
                        ObjectNode more = JSON.createObjectNode();
                        more.putArray("tool_calls").addObject().put("index", toolIndex).set("function", JSON.createObjectNode().put("arguments", f));
                        out.add(chunk(id, model, more, null));
                    }
                    toolIndex++;
                }
            }
        }
        out.add(chunk(id, model, JSON.createObjectNode(), finishReason(turn)));
        if (includeUsage) {
            ObjectNode last = base(id, model);
            last.putArray("choices");
            last.set("usage", usage(turn));
            out.add(data(last));
        }
        out.add("data: [DONE]\n\n");
        return out;
    }

    static String body(Turn turn, String model, int seq) {
        ObjectNode body = base("chatcmpl-fake" + seq, model).put("object", "chat.completion");
        ObjectNode choice = body.putArray("choices").addObject().put("index", 0);
        ObjectNode message = choice.putObject("message").put("role", "assistant");
        var text = new StringBuilder();
        ArrayNode calls = JSON.createArrayNode();
        for (Step step : turn.steps()) {
            switch (step) {
                case Step.Text t -> text.append(t.text());
                case Step.Reasoning r -> message.put("reasoning_content", r.text());
                case Step.ToolCall c -> calls.addObject().put("id", c.id()).put("type", "function")
                        .set("function", JSON.createObjectNode().put("name", c.name()).put("arguments", c.argsJson()));
            }
        }
        message.put("content", text.toString());
        if (!calls.isEmpty()) message.set("tool_calls", calls);
        choice.put("finish_reason", finishReason(turn));
        body.set("usage", usage(turn));
        return JSON.writeValueAsString(body);
    }

    static String error(String type, String code, String message) {
        ObjectNode body = JSON.createObjectNode();
        body.set("error", JSON.createObjectNode().put("message", message).put("type", type).putNull("param").put("code", code));
        return JSON.writeValueAsString(body);
    }

    private static String finishReason(Turn turn) {
        return turn.finish().orElse(turn.hasToolCalls() ? "tool_calls" : "stop");
    }

    private static ObjectNode usage(Turn turn) {
        Turn.Usage u = turn.usage();
        int prompt = u.input() + u.cacheRead();
        ObjectNode usage = JSON.createObjectNode().put("prompt_tokens", prompt).put("completion_tokens", u.output())
                .put("total_tokens", prompt + u.output());
        usage.set("prompt_tokens_details", JSON.createObjectNode().put("cached_tokens", u.cacheRead()));
        return usage;
    }

    private static ObjectNode base(String id, String model) {
        return JSON.createObjectNode().put("id", id).put("object", "chat.completion.chunk").put("created", 1_700_000_000).put("model", model);
    }

    private static String chunk(String id, String model, ObjectNode delta, String finishReason) {
        ObjectNode chunk = base(id, model);
        ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
        choice.set("delta", delta);
        if (finishReason == null) choice.putNull("finish_reason"); else choice.put("finish_reason", finishReason);
        return data(chunk);
    }

    private static String data(ObjectNode node) {
        return "data: " + JSON.writeValueAsString(node) + "\n\n";
    }
}
