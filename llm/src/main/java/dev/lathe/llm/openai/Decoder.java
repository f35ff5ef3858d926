package dev.lathe.llm.openai;

import dev.lathe.llm.LlmError;
import dev.lathe.llm.LlmEvent;
import dev.lathe.llm.StopReason;
import dev.lathe.llm.TokenUsage;
import dev.lathe.llm.http.ErrorClassifier;
import dev.lathe.llm.StreamDecoder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Chat Completions stream → {@link LlmEvent}s. One instance per stream. Reasoning goes to block 0, text to block 1,
 * tool call {@code i} to block {@code 2 + i}. Tool calls are finished (complete arguments) when the choice reports
 * its finish reason or the stream ends; usage and {@code Finished} come last.
 */
final class Decoder implements StreamDecoder {
    private record Call(String id, String name, StringBuilder args) {}

    private final Map<Integer, Call> calls = new TreeMap<>();
    private boolean callsFinished;
    private Optional<String> finishReason = Optional.empty();
    private TokenUsage usage = TokenUsage.ZERO;
    private boolean sawUsage;
    private boolean done;
    private String responseId = "";

    /** Decodes one {@code data:} payload. */
    @Override
    public List<LlmEvent> decode(String data) {
        List<LlmEvent> out = new ArrayList<>();
        if (done) return out;
        if (data.strip().equals("[DONE]")) {
            out.addAll(finish());
            return out;
        }
        JsonNode chunk;
        try {
            chunk = Encoder.JSON.readTree(data);
        } catch (JacksonException e) {
            done = true;
            out.add(LlmEvent.Finished.failed(LlmError.unexpected("malformed stream chunk: " + e.getOriginalMessage())));
            return out;
        }
        if (chunk.has("error") || "error".equals(chunk.path("object").asString(""))) {
            done = true;
            out.add(LlmEvent.Finished.failed(error(chunk, 0)));
            return out;
        }
        if (chunk.path("id").isString()) responseId = chunk.path("id").asString();
        for (JsonNode choice : chunk.path("choices")) {
            JsonNode delta = choice.path("delta");
            String reasoning = firstText(delta, "reasoning_content", "reasoning") + reasoningDetails(delta.path("reasoning_details"));
            var text = new StringBuilder(delta.path("content").isString() ? delta.path("content").asString() : "");
            // Mistral sends content as typed blocks, thinking among them
            for (JsonNode block : delta.path("content")) {
                switch (block.path("type").asString("")) {
                    case "text" -> text.append(block.path("text").asString(""));
                    case "thinking" -> {
                        for (JsonNode t : block.path("thinking")) reasoning += t.path("text").asString("");
                    }
                    default -> { }
                }
            }
            if (!reasoning.isEmpty()) out.add(new LlmEvent.ReasoningDelta(0, reasoning, Optional.empty()));
            if (!text.isEmpty()) out.add(new LlmEvent.TextDelta(1, text.toString()));
            for (JsonNode tc : delta.path("tool_calls")) toolCallDelta(tc, out);
            String reason = choice.path("finish_reason").isString() ? choice.path("finish_reason").asString() : "";
            if (!reason.isEmpty()) {
                finishReason = Optional.of(reason);
                out.addAll(finishCalls());
            }
        }
        JsonNode u = chunk.path("usage");
        if (u.isObject()) {
            // Moonshot reports cached tokens at the top level of usage
            long cached = u.path("prompt_tokens_details").path("cached_tokens").asLong(u.path("cached_tokens").asLong(0));
            long prompt = u.path("prompt_tokens").asLong(0);
            usage = new TokenUsage(Math.max(0, prompt - cached), u.path("completion_tokens").asLong(0),
                    u.path("completion_tokens_details").path("reasoning_tokens").asLong(0), cached, 0);
            sawUsage = true;
        }
        return out;
    }

    /** The stream closed; a close after a finish reason counts as complete (some servers omit {@code [DONE]}). */
    @Override
    public List<LlmEvent> end() {
        if (done) return List.of();
        if (finishReason.isEmpty()) {
            done = true;
            return List.of(LlmEvent.Finished.failed(new LlmError.Transport("the stream ended before the response was complete")));
        }
        return finish();
    }

    @Override
    public boolean isDone() { return done; }

    @Override
    public Optional<TokenUsage> usageSoFar() { return sawUsage ? Optional.of(usage) : Optional.empty(); }

    /** A chunk with another id after a finish reason belongs to the next response. */
    @Override
    public boolean startsAnotherResponse(String data) {
        if (finishReason.isEmpty() || responseId.isEmpty() || !data.strip().startsWith("{")) return false;
        try {
            String id = Encoder.JSON.readTree(data).path("id").asString("");
            return !id.isEmpty() && !id.equals(responseId);
        } catch (JacksonException e) {
            return false;
        }
    }

    private void toolCallDelta(JsonNode tc, List<LlmEvent> out) {
        int index = tc.path("index").asInt(calls.size());
        Call call = calls.get(index);
        JsonNode fn = tc.path("function");
        if (call == null) {
            String id = tc.path("id").asString("");
            call = new Call(id.isEmpty() ? "call_" + index : id, fn.path("name").asString(""), new StringBuilder());
            calls.put(index, call);
            out.add(new LlmEvent.ToolCallStarted(2 + index, call.id(), call.name()));
        }
        String args = fn.path("arguments").isString() ? fn.path("arguments").asString() : "";
        if (!args.isEmpty()) {
            call.args().append(args);
            out.add(new LlmEvent.ToolCallArgsDelta(2 + index, args));
        }
    }

    private List<LlmEvent> finishCalls() {
        if (callsFinished) return List.of();
        callsFinished = true;
        List<LlmEvent> out = new ArrayList<>();
        calls.forEach((index, c) -> out.add(new LlmEvent.ToolCallFinished(2 + index, c.id(), c.name(),
                c.args().toString().isBlank() ? "{}" : c.args().toString())));
        return out;
    }

    private List<LlmEvent> finish() {
        done = true;
        List<LlmEvent> out = new ArrayList<>(finishCalls());
        if (sawUsage) out.add(new LlmEvent.UsageReported(usage));
        StopReason reason = !calls.isEmpty() ? StopReason.TOOL_CALLS : switch (finishReason.orElse("stop")) {
            case "length" -> StopReason.LENGTH;
            case "content_filter" -> StopReason.CONTENT_FILTER;
            case "tool_calls", "function_call" -> StopReason.TOOL_CALLS;
            default -> StopReason.STOP;
        };
        boolean cut = finishReason.filter("length"::equals).isPresent();
        out.add(!calls.isEmpty() && cut ? LlmEvent.Finished.toolCallsAtOutputLimit() : LlmEvent.Finished.ok(reason));
        return out;
    }

    /** OpenRouter's {@code reasoning_details}: visible text and summaries; encrypted entries carry no text. */
    private static String reasoningDetails(JsonNode details) {
        var sb = new StringBuilder();
        for (JsonNode d : details) {
            sb.append(d.path("text").isString() ? d.path("text").asString() : d.path("summary").isString() ? d.path("summary").asString() : "");
        }
        return sb.toString();
    }

    private static String firstText(JsonNode node, String... fields) {
        for (String f : fields) if (node.path(f).isString() && !node.path(f).asString().isEmpty()) return node.path(f).asString();
        return "";
    }

    /** An error object in a stream chunk or an HTTP error body. */
    static LlmError error(JsonNode body, int status) {
        JsonNode e = body.has("error") ? body.path("error") : body;
        String message = e.isString() ? e.asString() : e.path("message").asString("");
        String code = e.path("code").isString() ? e.path("code").asString() : e.path("code").isNumber() ? e.path("code").asString() : "";
        int effective = status > 0 ? status : e.path("code").isIntegralNumber() ? e.path("code").asInt() : 0;
        return ErrorClassifier.classify(new ErrorClassifier.Failure(effective, e.path("type").asString(""), code, message), Map.of());
    }
}
