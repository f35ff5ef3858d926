package dev.lathe.testkit;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A scripted turn as the OpenAI Responses API streams it ({@code event:} + {@code data:} with {@code type} and
 * {@code sequence_number}, items added, deltas, items done, {@code response.completed}) or answers it as JSON.
 * Reasoning steps become reasoning items whose summary is the text and whose {@code encrypted_content} is the signature.
 */
final class ResponsesStream {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ResponsesStream() {}

    static List<String> events(Turn turn, String model, int seq) {
        var out = new Events();
        ObjectNode created = response(turn, model, seq, "in_progress");
        created.putArray("output");
        created.putNull("usage");
        out.add("response.created", JSON.createObjectNode().set("response", created));
        int index = 0;
        for (Step step : turn.steps()) {
            ObjectNode done = item(step, seq, index);
            ObjectNode added = done.deepCopy().put("status", "in_progress");
            switch (step) {
                case Step.Text t -> {
                    added.putArray("content");
                    out.add("response.output_item.added", at(index).set("item", added));
                    for (String c : t.deltas()) out.add("response.output_text.delta", at(index).put("item_id", done.path("id").asString()).put("delta", c));
                }
                case Step.Reasoning r -> {
                    added.putArray("summary");
                    added.remove("encrypted_content");
                    out.add("response.output_item.added", at(index).set("item", added));
                    out.add("response.reasoning_summary_part.added", at(index).put("summary_index", 0));
                    for (String c : Chunks.of(r.text(), 12)) out.add("response.reasoning_summary_text.delta", at(index).put("summary_index", 0).put("delta", c));
                }
                case Step.ToolCall c -> {
                    added.put("arguments", "");
                    out.add("response.output_item.added", at(index).set("item", added));
                    for (String f : Chunks.of(c.argsJson(), 7)) out.add("response.function_call_arguments.delta", at(index).put("delta", f));
                }
            }
            out.add("response.output_item.done", at(index).set("item", done));
            index++;
        }
        out.add(terminal(turn), JSON.createObjectNode().set("response", body(turn, model, seq)));
        return out.list;
    }

    static ObjectNode body(Turn turn, String model, int seq) {
        boolean incomplete = turn.finish().filter(f -> !f.equals("completed")).isPresent();
        ObjectNode response = response(turn, model, seq, incomplete ? "incomplete" : "completed");
        if (incomplete) response.putObject("incomplete_details").put("reason", turn.finish().get());
        ArrayNode output = response.putArray("output");
        int index = 0;
        for (Step step : turn.steps()) output.add(item(step, seq, index++));
        ObjectNode usage = response.putObject("usage").put("input_tokens", turn.usage().input() + turn.usage().cacheRead());
        usage.putObject("input_tokens_details").put("cached_tokens", turn.usage().cacheRead());
        usage.put("output_tokens", turn.usage().output());
        usage.putObject("output_tokens_details").put("reasoning_tokens", 0);
        return response;
    }

    static String error(String code, String message) {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("error").put("message", message).put("type", "server_error").put("code", code).putNull("param");
        return JSON.writeValueAsString(body);
    }

    /** {@code finish} names the incomplete reason ({@code max_output_tokens}, {@code content_filter}). */
    private static String terminal(Turn turn) {
        return turn.finish().filter(f -> !f.equals("completed")).isPresent() ? "response.incomplete" : "response.completed";
    }

    private static ObjectNode response(Turn turn, String model, int seq, String status) {
        return JSON.createObjectNode().put("id", "resp_fake_" + seq).put("object", "response").put("status", status).put("model", model);
    }

    private static ObjectNode item(Step step, int seq, int index) {
        String suffix = seq + "_" + index;
        return switch (step) {
            case Step.Text t -> {
                ObjectNode item = JSON.createObjectNode().put("id", "msg_" + suffix).put("type", "message").put("status", "completed").put("role", "assistant");
                item.putArray("content").addObject().put("type", "output_text").put("text", t.text()).putArray("annotations");
                yield item;
            }
            case Step.Reasoning r -> {
                ObjectNode item = JSON.createObjectNode().put("id", "rs_" + suffix).put("type", "reasoning");
                item.putArray("summary").addObject().put("type", "summary_text").put("text", r.text());
                yield item.put("encrypted_content", r.signature());
            }
            case Step.ToolCall c -> JSON.createObjectNode().put("id", "fc_" + suffix).put("type", "function_call").put("status", "completed")
                    .put("call_id", c.id()).put("name", c.name()).put("arguments", c.argsJson());
        };
    }

    private static ObjectNode at(int index) { return JSON.createObjectNode().put("output_index", index); }

    /** Numbers events in order and frames them as the API does, {@code event:} naming the type. */
    private static final class Events {
        final List<String> list = new ArrayList<>();

        void add(String type, ObjectNode data) {
            ObjectNode event = JSON.createObjectNode().put("type", type).put("sequence_number", list.size());
            event.setAll(data);
            list.add("event: " + type + "\ndata: " + JSON.writeValueAsString(event) + "\n\n");
        }
    }
}
