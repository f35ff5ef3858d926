package dev.lathe.llm.bedrock;

import dev.lathe.llm.LlmError;
import dev.lathe.llm.LlmEvent;
import dev.lathe.llm.StopReason;
import dev.lathe.llm.StreamDecoder;
import dev.lathe.llm.TokenUsage;
import dev.lathe.llm.http.ErrorClassifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * ConverseStream events ({@code {"<eventType>": {...}}}, one per event-stream message) → {@link LlmEvent}s, one
 * instance per stream. Block indexes are the API's {@code contentBlockIndex}. The stream sends {@code messageStop}
 * and then {@code metadata} (usage); the response is complete once both arrived, in either order, or when the stream
 * ends after {@code messageStop}. Modelled exceptions arrive as events named {@code ...Exception}.
 */
final class Decoder implements StreamDecoder {
    private record ToolBlock(String id, String name, StringBuilder args) {}

    /**
     * Marks a reasoning signature that is the data of redacted reasoning. The same marker as the
     * {@code anthropic-messages} decoder's, so Claude's redacted thinking survives a switch between the two protocols.
     */
    static final String REDACTED = "redacted:";

    private final Map<Integer, ToolBlock> tools = new HashMap<>();
    private Optional<String> stopReason = Optional.empty();
    private Optional<TokenUsage> usage = Optional.empty();
    private boolean sawToolCall;
    private boolean done;

    @Override
    public List<LlmEvent> decode(String data) {
        if (done) return List.of();
        JsonNode e;
        try {
            e = Encoder.JSON.readTree(data);
        } catch (JacksonException ex) {
            return fail(LlmError.unexpected("malformed stream event: " + ex.getOriginalMessage()));
        }
        if (e == null || !e.isObject()) return fail(LlmError.unexpected("malformed stream event: not a JSON object"));
        List<LlmEvent> out = new ArrayList<>();
        for (var field : e.properties()) {
            out.addAll(event(field.getKey(), field.getValue()));
            if (done) break;
        }
        return out;
    }

    /** One named event. */
    List<LlmEvent> event(String type, JsonNode body) {
        List<LlmEvent> out = new ArrayList<>();
        int index = body.path("contentBlockIndex").asInt(0);
        switch (type) {
            // a second messageStart means the message was restarted: unfinished blocks are abandoned
            case "messageStart" -> tools.clear();
            case "contentBlockStart" -> {
                JsonNode toolUse = body.path("start").path("toolUse");
                if (toolUse.isObject()) {
                    var tool = new ToolBlock(toolUse.path("toolUseId").asString(""), toolUse.path("name").asString(""), new StringBuilder());
                    tools.put(index, tool);
                    sawToolCall = true;
                    out.add(new LlmEvent.ToolCallStarted(index, tool.id(), tool.name()));
                }
            }
            case "contentBlockDelta" -> delta(index, body.path("delta"), out);
            case "contentBlockStop" -> blockStop(index, out);
            case "messageStop" -> {
                stopReason = Optional.of(body.path("stopReason").asString("end_turn"));
                // the message is over, so calls whose stop never came are as complete as they will get
                for (Integer open : tools.keySet().stream().sorted().toList()) blockStop(open, out);
                if (usage.isPresent()) out.addAll(finish());
            }
            case "metadata" -> {
                usage = Optional.of(usage(body.path("usage")));
                if (stopReason.isPresent()) out.addAll(finish());
            }
            default -> {
                String lower = type.toLowerCase(Locale.ROOT);
                if (lower.endsWith("exception") || lower.endsWith("error")) out.addAll(fail(error(type, message(body), 0)));
            }
        }
        return out;
    }

    private void delta(int index, JsonNode d, List<LlmEvent> out) {
        if (d.has("text")) {
            String text = d.path("text").asString("");
            if (!text.isEmpty()) out.add(new LlmEvent.TextDelta(index, text));
        } else if (d.has("toolUse")) {
            ToolBlock tool = tools.get(index);
            String part = d.path("toolUse").path("input").asString("");
            if (tool != null && !part.isEmpty()) {
                tool.args().append(part);
                out.add(new LlmEvent.ToolCallArgsDelta(index, part));
            }
        } else if (d.has("reasoningContent")) {
            JsonNode r = d.path("reasoningContent");
            String text = r.path("text").asString("");
            if (r.has("signature")) out.add(new LlmEvent.ReasoningDelta(index, text, Optional.of(r.path("signature").asString(""))));
            // encrypted reasoning: no text, only the data to send back
            else if (r.has("redactedContent")) out.add(new LlmEvent.ReasoningDelta(index, "", Optional.of(REDACTED + r.path("redactedContent").asString(""))));
            else if (!text.isEmpty()) out.add(new LlmEvent.ReasoningDelta(index, text, Optional.empty()));
        }
    }

    private void blockStop(int index, List<LlmEvent> out) {
        ToolBlock tool = tools.remove(index);
        if (tool != null) {
            String args = tool.args().toString();
            out.add(new LlmEvent.ToolCallFinished(index, tool.id(), tool.name(), args.isBlank() ? "{}" : args));
        }
    }

    /** The connection closed: complete if {@code messageStop} came (metadata is only usage), failed otherwise. */
    @Override
    public List<LlmEvent> end() {
        if (done) return List.of();
        if (stopReason.isPresent()) return finish();
        return fail(new LlmError.Transport("the stream ended before the response was complete"));
    }

    @Override
    public boolean isDone() { return done; }

    @Override
    public Optional<TokenUsage> usageSoFar() { return usage; }

    /** A recording that holds several responses: {@code messageStart} can only open one. */
    @Override
    public boolean startsAnotherResponse(String data) { return data.stripLeading().startsWith("{\"messageStart\""); }

    private List<LlmEvent> finish() {
        done = true;
        List<LlmEvent> out = new ArrayList<>();
        usage.ifPresent(u -> out.add(new LlmEvent.UsageReported(u)));
        StopReason reason = sawToolCall ? StopReason.TOOL_CALLS : switch (stopReason.orElse("end_turn")) {
            case "tool_use" -> StopReason.TOOL_CALLS;
            case "max_tokens", "model_context_window_exceeded" -> StopReason.LENGTH;
            case "content_filtered", "guardrail_intervened" -> StopReason.CONTENT_FILTER;
            default -> StopReason.STOP;
        };
        boolean cut = stopReason.filter(r -> r.equals("max_tokens") || r.equals("model_context_window_exceeded")).isPresent();
        out.add(sawToolCall && cut ? LlmEvent.Finished.toolCallsAtOutputLimit() : LlmEvent.Finished.ok(reason));
        return out;
    }

    private List<LlmEvent> fail(LlmError error) {
        done = true;
        return List.of(LlmEvent.Finished.failed(error));
    }

    /**
     * Claude and Nova report {@code inputTokens} without the cache reads and writes ({@code totalTokens} then counts
     * all four); a model that counts the cache inside {@code inputTokens} gives {@code totalTokens = input + output},
     * which tells the two apart, and its cached part is taken out so {@link TokenUsage#input()} is uncached input.
     */
    static TokenUsage usage(JsonNode u) {
        long input = u.path("inputTokens").asLong(0);
        long output = u.path("outputTokens").asLong(0);
        long read = u.has("cacheReadInputTokens") ? u.path("cacheReadInputTokens").asLong(0) : u.path("cacheReadInputTokenCount").asLong(0);
        long write = u.has("cacheWriteInputTokens") ? u.path("cacheWriteInputTokens").asLong(0) : u.path("cacheWriteInputTokenCount").asLong(0);
        long cached = read + write;
        if (cached > 0 && u.has("totalTokens") && u.path("totalTokens").asLong() == input + output && input >= cached) input -= cached;
        return new TokenUsage(input, output, 0, read, write);
    }

    static String message(JsonNode body) {
        String m = body.path("message").asString("");
        return m.isEmpty() ? body.path("Message").asString("") : m;
    }

    /**
     * A Bedrock error by its type ({@code ThrottlingException}, {@code throttlingException}, with or without a
     * {@code namespace#} prefix or {@code :uri} suffix as in {@code x-amzn-errortype}), its message and the HTTP
     * status (0 inside a stream). Authorisation failures drop what AWS appends after the first sentence about the
     * canonical request, which can echo the session token.
     */
    static LlmError error(String type, String message, int status) {
        String t = type;
        if (t.contains("#")) t = t.substring(t.lastIndexOf('#') + 1);
        if (t.contains(":")) t = t.substring(0, t.indexOf(':'));
        t = t.strip().toLowerCase(Locale.ROOT);
        String text = message.isBlank() ? (type.isBlank() ? "HTTP " + status : type) : message.strip();
        return switch (t) {
            case "throttlingexception", "toomanyrequestsexception" -> new LlmError.RateLimited(Optional.empty(), text);
            case "serviceunavailableexception", "modelnotreadyexception" -> new LlmError.Overloaded(Optional.empty(), text);
            case "validationexception" -> {
                String lower = text.toLowerCase(Locale.ROOT);
                if (lower.contains("too long") || lower.contains("too many tokens")) yield new LlmError.ContextOverflow(text);
                yield ErrorClassifier.classify(new ErrorClassifier.Failure(status / 100 == 4 ? status : 400, "", "", text), Map.of());
            }
            case "internalserverexception", "modelstreamerrorexception", "modeltimeoutexception", "modelerrorexception" ->
                    new LlmError.Transport("provider error " + (status > 0 ? "HTTP " + status + " " : "") + type.strip() + ": " + text);
            case "accessdeniedexception", "unrecognizedclientexception", "invalidsignatureexception", "expiredtokenexception",
                    "incompletesignatureexception", "missingauthenticationtokenexception" -> new LlmError.Unauthorized(withoutEcho(text));
            case "servicequotaexceededexception" -> new LlmError.InvalidRequest(status > 0 ? status : 400, "quota: " + text);
            case "resourcenotfoundexception" -> new LlmError.InvalidRequest(status > 0 ? status : 404, text);
            default -> {
                int effective = status > 0 ? status : 500;
                LlmError e = ErrorClassifier.classify(new ErrorClassifier.Failure(effective, t, "", text), Map.of());
                yield e instanceof LlmError.Unauthorized ? new LlmError.Unauthorized(withoutEcho(text)) : e;
            }
        };
    }

    /** AWS signature errors go on to print the canonical request and string to sign; only the first sentence is kept. */
    private static String withoutEcho(String text) {
        int cut = text.indexOf("\n");
        for (String marker : new String[] {"The Canonical String", "The String-to-Sign"}) {
            int at = text.indexOf(marker);
            if (at >= 0 && (cut < 0 || at < cut)) cut = at;
        }
        return (cut >= 0 ? text.substring(0, cut) : text).strip();
    }
}
