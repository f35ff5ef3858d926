package dev.lathe.llm.responses;

import dev.lathe.llm.LlmError;
import dev.lathe.llm.LlmEvent;
import dev.lathe.llm.StopReason;
import dev.lathe.llm.StreamDecoder;
import dev.lathe.llm.TokenUsage;
import dev.lathe.llm.http.ErrorClassifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Responses API stream → {@link LlmEvent}s. One instance per stream. Output item {@code i} is content block {@code i}.
 * Items are keyed by {@code output_index}, never by item id: some servers (GitHub Copilot) change ids between events.
 *
 * <p>Client tool calls are {@code function_call} items, and {@code custom_tool_call} items naming a custom tool the
 * request declared (their free-form input arrives as {@code {"input": "..."}}); every other tool item (web search,
 * code interpreter, xAI's search tools, ...) ran on the provider's side and is only reported. A reasoning item's
 * {@code encrypted_content} is its signature, to be sent back so the model can continue its reasoning.
 */
final class Decoder implements StreamDecoder {
    /** The wrapper some models emit for parallel calls; its {@code tool_uses} are the real calls. */
    private static final Set<String> PARALLEL_WRAPPERS = Set.of("multi_tool_use.parallel", "parallel");

    /** What is known of one output item while it streams. */
    private static final class Item {
        final String type;
        final String callId;
        final String name;
        final StringBuilder args = new StringBuilder();
        boolean streamedText;

        Item(String type, String callId, String name) {
            this.type = type;
            this.callId = callId;
            this.name = name;
        }
    }

    private final Map<Integer, Item> items = new HashMap<>();
    private final Set<String> declaredCustomTools = new HashSet<>();
    private boolean toolsKnown;
    private boolean sawClientCall;
    private boolean started;
    private boolean done;
    private TokenUsage usage;

    @Override
    public List<LlmEvent> decode(String data) {
        List<LlmEvent> out = new ArrayList<>();
        if (done || data.isBlank() || data.strip().equals("[DONE]")) return out;
        JsonNode event;
        try {
            event = Encoder.JSON.readTree(data);
        } catch (JacksonException e) {
            return fail(LlmError.unexpected("malformed stream event: " + e.getOriginalMessage()));
        }
        started = true;
        int index = event.path("output_index").asInt(0);
        switch (event.path("type").asString("")) {
            case "response.created", "response.in_progress" -> learnTools(event.path("response"));
            case "response.output_item.added" -> itemAdded(index, event.path("item"), out);
            case "response.output_text.delta", "response.refusal.delta" -> {
                textSeen(index);
                text(out, index, event.path("delta").asString(""));
            }
            case "response.reasoning_summary_part.added" -> {
                textSeen(index);
                // summaries come in parts; keep them apart as paragraphs
                if (event.path("summary_index").asInt(0) > 0) out.add(new LlmEvent.ReasoningDelta(index, "\n\n", Optional.empty()));
            }
            case "response.reasoning_summary_text.delta", "response.reasoning_text.delta" -> {
                textSeen(index);
                String delta = event.path("delta").asString("");
                if (!delta.isEmpty()) out.add(new LlmEvent.ReasoningDelta(index, delta, Optional.empty()));
            }
            case "response.function_call_arguments.delta" -> {
                Item item = items.get(index);
                String delta = event.path("delta").asString("");
                if (item != null && item.type.equals("function_call") && !delta.isEmpty()) {
                    item.args.append(delta);
                    out.add(new LlmEvent.ToolCallArgsDelta(index, delta));
                }
            }
            case "response.custom_tool_call_input.delta" -> {
                Item item = items.get(index);
                if (item != null) item.args.append(event.path("delta").asString(""));
            }
            case "response.output_item.done" -> itemDone(index, event.path("item"), out);
            case "response.completed" -> out.addAll(finish(event.path("response"), sawClientCall ? StopReason.TOOL_CALLS : StopReason.STOP));
            case "response.incomplete" -> {
                String reason = event.path("response").path("incomplete_details").path("reason").asString("");
                out.addAll(finish(event.path("response"), reason.equals("content_filter") ? StopReason.CONTENT_FILTER : StopReason.LENGTH));
            }
            case "response.failed" -> {
                JsonNode error = event.path("response").path("error");
                out.addAll(fail(error.isObject() ? error(error, 0) : new LlmError.Transport("the response failed")));
            }
            case "error" -> out.addAll(fail(error(event, 0)));
            default -> { }
        }
        return out;
    }

    @Override
    public List<LlmEvent> end() {
        if (done) return List.of();
        return fail(new LlmError.Transport("the stream ended before the response was complete"));
    }

    @Override
    public boolean isDone() { return done; }

    /** {@code response.created} can only open a response. */
    @Override
    public boolean startsAnotherResponse(String data) {
        return started && data.contains("\"response.created\"");
    }

    private void learnTools(JsonNode response) {
        if (!response.path("tools").isArray()) return;
        toolsKnown = true;
        for (JsonNode t : response.path("tools")) {
            if (t.path("type").asString("").equals("custom")) declaredCustomTools.add(t.path("name").asString(""));
        }
    }

    private void itemAdded(int index, JsonNode item, List<LlmEvent> out) {
        String type = item.path("type").asString("");
        Item state = new Item(type, item.path("call_id").asString(item.path("id").asString("call_" + index)),
                item.path("name").asString(""));
        items.put(index, state);
        switch (type) {
            case "message", "reasoning" -> { }
            case "function_call" -> {
                if (!PARALLEL_WRAPPERS.contains(state.name)) out.add(new LlmEvent.ToolCallStarted(index, state.callId, state.name));
            }
            case "custom_tool_call" -> {
                if (isClientCustomTool(state.name)) out.add(new LlmEvent.ToolCallStarted(index, state.callId, state.name));
                else out.add(new LlmEvent.HostedToolUsed(index, state.callId, state.name));
            }
            // outputs of hosted tools (shell_call_output, tool_search_output, ...) belong to the call before them
            default -> {
                if (!type.endsWith("_output")) out.add(new LlmEvent.HostedToolUsed(index, item.path("id").asString(state.callId), type));
            }
        }
    }

    private void itemDone(int index, JsonNode item, List<LlmEvent> out) {
        Item state = items.get(index);
        if (state == null) {
            itemAdded(index, item, out);
            state = items.get(index);
        }
        switch (state.type) {
            case "message" -> {
                // servers that send no deltas (and replayed bodies) have the text only here
                if (state.streamedText) return;
                for (JsonNode c : item.path("content")) {
                    String t = c.path("type").asString("");
                    if (t.equals("output_text")) text(out, index, c.path("text").asString(""));
                    else if (t.equals("refusal")) text(out, index, c.path("refusal").asString(""));
                }
            }
            case "reasoning" -> {
                if (!state.streamedText) {
                    var text = new StringBuilder();
                    for (JsonNode s : item.path("summary")) text.append(text.isEmpty() ? "" : "\n\n").append(s.path("text").asString(""));
                    for (JsonNode c : item.path("content")) text.append(c.path("text").asString(""));
                    if (!text.isEmpty()) out.add(new LlmEvent.ReasoningDelta(index, text.toString(), Optional.empty()));
                }
                String encrypted = item.path("encrypted_content").asString("");
                if (!encrypted.isEmpty()) out.add(new LlmEvent.ReasoningDelta(index, "", Optional.of(encrypted)));
            }
            case "function_call" -> {
                String args = item.path("arguments").asString("");
                if (args.isEmpty()) args = state.args.toString();
                if (PARALLEL_WRAPPERS.contains(state.name)) {
                    unwrapParallel(index, state.callId, args, out);
                } else {
                    sawClientCall = true;
                    out.add(new LlmEvent.ToolCallFinished(index, state.callId, state.name, args.isBlank() ? "{}" : args));
                }
            }
            case "custom_tool_call" -> {
                if (!isClientCustomTool(state.name)) return;
                String input = item.path("input").isString() && !item.path("input").asString().isEmpty() ? item.path("input").asString() : state.args.toString();
                sawClientCall = true;
                var args = Encoder.JSON.createObjectNode().put("input", input);
                out.add(new LlmEvent.ToolCallFinished(index, state.callId, state.name, args.toString()));
            }
            default -> { }
        }
    }

    /** {@code {"tool_uses": [{"recipient_name": "functions.x", "parameters": {...}}]}} → one call each. */
    private void unwrapParallel(int index, String callId, String args, List<LlmEvent> out) {
        JsonNode uses;
        try {
            uses = Encoder.JSON.readTree(args).path("tool_uses");
        } catch (JacksonException e) {
            uses = Encoder.JSON.createArrayNode();
        }
        int n = 0;
        for (JsonNode use : uses) {
            String name = use.path("recipient_name").asString("");
            name = name.startsWith("functions.") ? name.substring("functions.".length()) : name;
            String id = callId + "_" + n++;
            out.add(new LlmEvent.ToolCallStarted(index, id, name));
            out.add(new LlmEvent.ToolCallFinished(index, id, name, use.path("parameters").isObject() ? use.path("parameters").toString() : "{}"));
            sawClientCall = true;
        }
    }

    private boolean isClientCustomTool(String name) {
        return !toolsKnown || declaredCustomTools.contains(name);
    }

    private void textSeen(int index) {
        Item item = items.get(index);
        if (item != null) item.streamedText = true;
    }

    private static void text(List<LlmEvent> out, int index, String delta) {
        if (!delta.isEmpty()) out.add(new LlmEvent.TextDelta(index, delta));
    }

    private List<LlmEvent> finish(JsonNode response, StopReason reason) {
        done = true;
        List<LlmEvent> out = new ArrayList<>();
        JsonNode u = response.path("usage");
        if (u.isObject()) {
            long cached = u.path("input_tokens_details").path("cached_tokens").asLong(0);
            usage = new TokenUsage(Math.max(0, u.path("input_tokens").asLong(0) - cached), u.path("output_tokens").asLong(0),
                    u.path("output_tokens_details").path("reasoning_tokens").asLong(0), cached, 0);
            out.add(new LlmEvent.UsageReported(usage));
        }
        out.add(LlmEvent.Finished.ok(reason));
        return out;
    }

    private List<LlmEvent> fail(LlmError error) {
        done = true;
        return new ArrayList<>(List.of(LlmEvent.Finished.failed(error)));
    }

    /**
     * An error event, documented flat ({@code {"type":"error","code":..,"message":..}}) but recorded nested
     * ({@code {"type":"error","error":{...}}}), a {@code response.failed} error, or an HTTP error body.
     */
    static LlmError error(JsonNode body, int status) {
        JsonNode e = body.path("error").isObject() ? body.path("error") : body;
        String message = e.path("message").asString("");
        String code = e.path("code").isNumber() || e.path("code").isString() ? e.path("code").asString() : "";
        String type = e.path("type").asString("");
        if (type.equals("error")) type = "";
        int effective = status > 0 ? status : statusOf(code, type);
        return ErrorClassifier.classify(new ErrorClassifier.Failure(effective, type, code, message), Map.of());
    }

    /** Errors inside a stream carry no HTTP status; their codes say what it would have been. */
    private static int statusOf(String code, String type) {
        String c = (code + " " + type).toLowerCase(java.util.Locale.ROOT);
        if (c.contains("rate_limit")) return 429;
        if (c.contains("server_is_overloaded") || c.contains("overloaded") || c.contains("slow_down")) return 503;
        if (c.contains("server_error") || c.contains("internal")) return 500;
        if (c.contains("invalid") || c.contains("context_length")) return 400;
        return 0;
    }
}
