package dev.lathe.llm.anthropic;

import dev.lathe.llm.Content;
import dev.lathe.llm.LlmMessage;
import dev.lathe.llm.LlmRequest;
import dev.lathe.llm.ToolChoice;
import dev.lathe.llm.ToolSpec;
import dev.lathe.llm.WireJson;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@link LlmRequest} → Messages API JSON. Pure and deterministic. Cache breakpoints (at most four, the API's limit):
 * the last tool definition, each system block (A, then B), then the last message; a fourth goes on the
 * second-to-last message when the budget allows, so the next step reads its prefix from the cache.
 */
final class Encoder {
    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int MAX_BREAKPOINTS = 4;

    private Encoder() {}

    static byte[] encode(LlmRequest request) {
        return JSON.writeValueAsBytes(tree(request));
    }

    /**
     * Fields that stay the same for every step come first and {@code messages} last, so the body of step n, up to the
     * end of its messages and apart from the moving message breakpoints, is a byte prefix of step n+1's. Breakpoints
     * (at most four): after system block A (the cached prefix is tools, then system, so it covers tools + A), after
     * block B, and on the last two message boundaries (DESIGN §7).
     */
    static ObjectNode tree(LlmRequest request) {
        int budget = MAX_BREAKPOINTS;
        ObjectNode root = JSON.createObjectNode();
        root.put("model", request.model());
        root.put("max_tokens", request.maxOutputTokens());
        root.put("stream", true);
        if (request.reasoning().isPresent()) {
            // extended thinking: a token budget below max_tokens; the API rejects a temperature alongside it
            root.putObject("thinking").put("type", "enabled").put("budget_tokens", request.reasoning().get().budget(request.maxOutputTokens()));
        } else {
            request.temperature().ifPresent(t -> root.put("temperature", t));
        }
        if (!request.tools().isEmpty()) {
            ArrayNode tools = root.putArray("tools");
            for (ToolSpec t : request.tools()) {
                tools.addObject().put("name", t.name()).put("description", t.description()).set("input_schema", WireJson.schema(t.parametersSchema()));
            }
            root.putObject("tool_choice").put("type", request.toolChoice() == ToolChoice.NONE ? "none" : "auto");
        }
        if (!request.system().isEmpty()) {
            ArrayNode system = root.putArray("system");
            for (String block : request.system()) {
                ObjectNode b = system.addObject().put("type", "text").put("text", block);
                if (budget > 2) {
                    cache(b);
                    budget--;
                }
            }
        }
        ArrayNode messages = root.putArray("messages");
        for (LlmMessage m : request.messages()) {
            ArrayNode content = JSON.createArrayNode();
            for (Content c : m.content()) block(c, content);
            if (content.isEmpty()) continue;
            messages.addObject().put("role", m.role() == LlmMessage.Role.USER ? "user" : "assistant").set("content", content);
        }
        for (int i = messages.size() - 1; i >= 0 && budget > 0 && i >= messages.size() - 2; i--) {
            ArrayNode content = (ArrayNode) messages.get(i).path("content");
            ObjectNode last = (ObjectNode) content.get(content.size() - 1);
            if (last.path("type").asString().startsWith("thinking") || last.path("type").asString().equals("redacted_thinking")) continue; // cannot carry cache_control
            cache(last);
            budget--;
        }
        return root;
    }

    private static void block(Content c, ArrayNode out) {
        switch (c) {
            case Content.Text t -> { if (!t.text().isBlank()) out.addObject().put("type", "text").put("text", t.text()); }
            case Content.Image i -> {
                ObjectNode src = out.addObject().put("type", i.isPdf() ? "document" : "image").putObject("source");
                src.put("type", "base64").put("media_type", i.mime()).put("data", i.base64());
            }
            case Content.Reasoning r -> r.signature().ifPresent(sig -> {
                if (sig.startsWith(Decoder.REDACTED)) out.addObject().put("type", "redacted_thinking").put("data", sig.substring(Decoder.REDACTED.length()));
                else out.addObject().put("type", "thinking").put("thinking", r.text()).put("signature", sig);
            });
            case Content.ToolCall call -> out.addObject().put("type", "tool_use").put("id", call.callId()).put("name", call.name())
                    .set("input", WireJson.objectOrEmpty(call.argsJson()));
            case Content.ToolResult r -> {
                ObjectNode b = out.addObject().put("type", "tool_result").put("tool_use_id", r.callId());
                b.put("content", r.output().isEmpty() ? "(no output)" : r.output());
                if (r.isError()) b.put("is_error", true);
            }
        }
    }

    private static void cache(ObjectNode block) {
        block.putObject("cache_control").put("type", "ephemeral");
    }

}
