package dev.lathe.llm.debug;

import dev.lathe.llm.LlmError;
import dev.lathe.llm.LlmEvent;
import dev.lathe.llm.TokenUsage;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The JSON lines {@code lathe debug decode} prints: one per normalised event, or one per merged response. */
public final class DebugJson {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private DebugJson() {}

    public static String event(LlmEvent event) {
        ObjectNode o = JSON.createObjectNode();
        switch (event) {
            case LlmEvent.TextDelta d -> o.put("type", "text").put("block", d.block()).put("text", d.text());
            case LlmEvent.ReasoningDelta d -> {
                o.put("type", "reasoning").put("block", d.block()).put("text", d.text());
                d.signature().ifPresent(s -> o.put("signature", s));
            }
            case LlmEvent.ToolCallStarted s -> o.put("type", "tool-call-start").put("block", s.block()).put("id", s.callId()).put("name", s.name());
            case LlmEvent.ToolCallArgsDelta d -> o.put("type", "tool-call-delta").put("block", d.block()).put("arguments", d.json());
            case LlmEvent.ToolCallFinished f -> {
                o.put("type", "tool-call").put("block", f.block()).put("id", f.callId()).put("name", f.name()).set("arguments", arguments(f.argsJson()));
                f.signature().ifPresent(s -> o.put("signature", s));
            }
            case LlmEvent.HostedToolUsed h -> o.put("type", "hosted-tool").put("block", h.block()).put("id", h.callId()).put("name", h.name());
            case LlmEvent.UsageReported u -> o.put("type", "usage").set("usage", usage(u.usage()));
            case LlmEvent.QuotaReported q -> {
                ArrayNode windows = o.put("type", "quota").putArray("quota");
                q.windows().forEach(w -> windows.addObject().put("name", w.name()).put("used", w.used()).put("limit", w.limit())
                        .put("resetsAt", w.resetsAt().toString()));
            }
            case LlmEvent.Finished f -> {
                o.put("type", "finish").put("finish", f.reason().wire());
                f.error().ifPresent(e -> o.set("error", error(e)));
            }
        }
        return JSON.writeValueAsString(o);
    }

    /** {@code {text, reasoning, toolCalls: [{id, name, arguments}], usage, finish, error}} of DESIGN §18. */
    public static String merged(MergedResponse m) {
        ObjectNode o = JSON.createObjectNode();
        o.put("text", m.text());
        o.put("reasoning", m.reasoning());
        ArrayNode calls = o.putArray("toolCalls");
        for (LlmEvent.ToolCallFinished c : m.toolCalls()) {
            calls.addObject().put("id", c.callId()).put("name", c.name()).set("arguments", arguments(c.argsJson()));
        }
        if (!m.hostedTools().isEmpty()) {
            ArrayNode hosted = o.putArray("hostedTools");
            m.hostedTools().forEach(h -> hosted.addObject().put("id", h.callId()).put("name", h.name()));
        }
        if (m.usage().isPresent()) o.set("usage", usage(m.usage().get())); else o.putNull("usage");
        o.put("finish", m.finish().wire());
        if (m.error().isPresent()) o.set("error", error(m.error().get())); else o.putNull("error");
        return JSON.writeValueAsString(o);
    }

    /** Parsed JSON when the model wrote valid JSON, otherwise the text as a string. */
    private static JsonNode arguments(String argsJson) {
        try {
            return JSON.readTree(argsJson.isBlank() ? "{}" : argsJson);
        } catch (JacksonException e) {
            return JSON.getNodeFactory().stringNode(argsJson);
        }
    }

    private static ObjectNode usage(TokenUsage u) {
        return JSON.createObjectNode().put("input", u.input()).put("output", u.output()).put("reasoning", u.reasoning())
                .put("cacheRead", u.cacheRead()).put("cacheWrite", u.cacheWrite());
    }

    private static ObjectNode error(LlmError e) {
        return JSON.createObjectNode().put("kind", LlmError.kind(e)).put("message", e.message());
    }
}
