package dev.lathe.llm.anthropic;

import dev.lathe.llm.LlmError;
import dev.lathe.llm.LlmEvent;
import dev.lathe.llm.StopReason;
import dev.lathe.llm.TokenUsage;
import dev.lathe.llm.http.ErrorClassifier;
import dev.lathe.llm.StreamDecoder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Messages API stream → {@link LlmEvent}s, one instance per stream. Block indexes are the API's own. Usage arrives in
 * {@code message_start} and is updated by {@code message_delta}; it is reported once, before {@code Finished}.
 * Provider-hosted tool blocks (web search, code execution, ...) are not client tool calls and are skipped.
 */
final class Decoder implements StreamDecoder {
    private record ToolBlock(String id, String name, StringBuilder args) {}

    /** Marks a reasoning signature that is the data of a {@code redacted_thinking} block. */
    static final String REDACTED = "redacted:";

    private final Map<Integer, ToolBlock> tools = new HashMap<>();
    private long input;
    private long output;
    private long cacheRead;
    private long cacheWrite;
    private Optional<String> stopReason = Optional.empty();
    private boolean sawToolCall;
    private boolean sawUsage;
    private boolean done;

    @Override
    public List<LlmEvent> decode(String data) {
        List<LlmEvent> out = new ArrayList<>();
        if (done) return out;
        JsonNode e;
        try {
            e = Encoder.JSON.readTree(data);
        } catch (JacksonException ex) {
            done = true;
            out.add(LlmEvent.Finished.failed(LlmError.unexpected("malformed stream event: " + ex.getOriginalMessage())));
            return out;
        }
        int index = e.path("index").asInt(0);
        switch (e.path("type").asString("")) {
            case "message_start" -> {
                // a second message_start means the provider restarted the message: unfinished blocks are abandoned
                tools.clear();
                usage(e.path("message").path("usage"));
                // some providers send complete blocks inside message_start
                JsonNode content = e.path("message").path("content");
                for (int i = 0; i < content.size(); i++) {
                    blockStart(i, content.get(i), out);
                    blockStop(i, out);
                }
            }
            case "content_block_start" -> blockStart(index, e.path("content_block"), out);
            case "content_block_delta" -> {
                JsonNode d = e.path("delta");
                switch (d.path("type").asString("")) {
                    case "text_delta" -> out.add(new LlmEvent.TextDelta(index, d.path("text").asString("")));
                    case "thinking_delta" -> out.add(new LlmEvent.ReasoningDelta(index, d.path("thinking").asString(""), Optional.empty()));
                    case "signature_delta" -> out.add(new LlmEvent.ReasoningDelta(index, "", Optional.of(d.path("signature").asString(""))));
                    case "input_json_delta" -> {
                        ToolBlock tool = tools.get(index);
                        String part = d.path("partial_json").asString("");
                        if (tool != null && !part.isEmpty()) {
                            tool.args().append(part);
                            out.add(new LlmEvent.ToolCallArgsDelta(index, part));
                        }
                    }
                    default -> { }
                }
            }
            case "content_block_stop" -> blockStop(index, out);
            case "message_delta" -> {
                String reason = e.path("delta").path("stop_reason").asString("");
                if (!reason.isEmpty()) stopReason = Optional.of(reason);
                usage(e.path("usage"));
            }
            case "message_stop" -> out.addAll(finish());
            case "error" -> {
                done = true;
                out.add(LlmEvent.Finished.failed(error(e, 0)));
            }
            default -> { }
        }
        return out;
    }

    private void blockStart(int index, JsonNode block, List<LlmEvent> out) {
        switch (block.path("type").asString("")) {
            case "tool_use" -> {
                var tool = new ToolBlock(block.path("id").asString(""), block.path("name").asString(""), new StringBuilder());
                // a block that arrives complete carries its input here instead of as deltas
                JsonNode input = block.path("input");
                if (input.isObject() && !input.isEmpty()) tool.args().append(input.toString());
                tools.put(index, tool);
                sawToolCall = true;
                out.add(new LlmEvent.ToolCallStarted(index, tool.id(), tool.name()));
            }
            case "text" -> {
                if (!block.path("text").asString("").isEmpty()) out.add(new LlmEvent.TextDelta(index, block.path("text").asString()));
            }
            case "thinking" -> {
                String thinking = block.path("thinking").asString("");
                String signature = block.path("signature").asString("");
                if (!thinking.isEmpty() || !signature.isEmpty()) {
                    out.add(new LlmEvent.ReasoningDelta(index, thinking, signature.isEmpty() ? Optional.empty() : Optional.of(signature)));
                }
            }
            // encrypted thinking: no text, only the data to send back
            case "redacted_thinking" -> out.add(new LlmEvent.ReasoningDelta(index, "", Optional.of(REDACTED + block.path("data").asString(""))));
            case "server_tool_use", "mcp_tool_use" -> out.add(new LlmEvent.HostedToolUsed(index, block.path("id").asString(""), block.path("name").asString("")));
            default -> { }
        }
    }

    private void blockStop(int index, List<LlmEvent> out) {
        ToolBlock tool = tools.remove(index);
        if (tool != null) {
            String args = tool.args().toString();
            out.add(new LlmEvent.ToolCallFinished(index, tool.id(), tool.name(), args.isBlank() ? "{}" : args));
        }
    }

    /** The stream closed without {@code message_stop}: the response is incomplete. */
    @Override
    public List<LlmEvent> end() {
        if (done) return List.of();
        done = true;
        return List.of(LlmEvent.Finished.failed(new LlmError.Transport("the stream ended before the response was complete")));
    }

    @Override
    public boolean isDone() { return done; }

    @Override
    public Optional<TokenUsage> usageSoFar() {
        return sawUsage ? Optional.of(new TokenUsage(input, output, 0, cacheRead, cacheWrite)) : Optional.empty();
    }

    private void usage(JsonNode u) {
        if (!u.isObject()) return;
        sawUsage = true;
        if (u.has("input_tokens")) input = u.path("input_tokens").asLong();
        if (u.has("output_tokens")) output = u.path("output_tokens").asLong();
        if (u.has("cache_read_input_tokens")) cacheRead = u.path("cache_read_input_tokens").asLong();
        if (u.has("cache_creation_input_tokens")) cacheWrite = u.path("cache_creation_input_tokens").asLong();
    }

    private List<LlmEvent> finish() {
        done = true;
        List<LlmEvent> out = new ArrayList<>();
        out.add(new LlmEvent.UsageReported(new TokenUsage(input, output, 0, cacheRead, cacheWrite)));
        StopReason reason = sawToolCall ? StopReason.TOOL_CALLS : switch (stopReason.orElse("end_turn")) {
            case "tool_use" -> StopReason.TOOL_CALLS;
            case "max_tokens", "model_context_window_exceeded" -> StopReason.LENGTH;
            case "refusal" -> StopReason.CONTENT_FILTER;
            default -> StopReason.STOP;
        };
        boolean cut = stopReason.filter(r -> r.equals("max_tokens") || r.equals("model_context_window_exceeded")).isPresent();
        out.add(sawToolCall && cut ? LlmEvent.Finished.toolCallsAtOutputLimit() : LlmEvent.Finished.ok(reason));
        return out;
    }

    /** The error envelope {@code {"type":"error","error":{"type","message"}}} of an HTTP body or a stream event. */
    static LlmError error(JsonNode body, int status) {
        JsonNode e = body.path("error");
        String type = e.path("type").asString("");
        String code = e.path("details").path("error_code").asString("");
        int effective = status > 0 ? status : switch (type) {
            case "overloaded_error" -> 529;
            case "rate_limit_error" -> 429;
            case "invalid_request_error" -> 400;
            case "authentication_error" -> 401;
            case "permission_error" -> 403;
            case "request_too_large" -> 413;
            default -> 500;
        };
        return ErrorClassifier.classify(new ErrorClassifier.Failure(effective, type, code, e.path("message").asString("")), Map.of());
    }
}
