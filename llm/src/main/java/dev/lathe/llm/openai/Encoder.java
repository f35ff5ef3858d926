package dev.lathe.llm.openai;

import dev.lathe.llm.Content;
import dev.lathe.llm.LlmMessage;
import dev.lathe.llm.LlmRequest;
import dev.lathe.llm.ToolChoice;
import dev.lathe.llm.ToolSpec;
import dev.lathe.llm.WireJson;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** {@link LlmRequest} → Chat Completions JSON. Pure; field order is fixed so equal requests give equal bytes. */
final class Encoder {
    static final JsonMapper JSON = JsonMapper.builder().build();

    private Encoder() {}

    /** How the output limit is named: OpenAI's own API rejects {@code max_tokens} for reasoning models. */
    enum TokenLimitField { MAX_TOKENS, MAX_COMPLETION_TOKENS }

    static byte[] encode(LlmRequest request, TokenLimitField limitField) {
        return JSON.writeValueAsBytes(tree(request, limitField));
    }

    /**
     * Fields that stay the same for every step of a session come first and {@code messages} last, so the body of
     * step n, up to the end of its messages, is a byte prefix of step n+1's (DESIGN §7).
     */
    static ObjectNode tree(LlmRequest request, TokenLimitField limitField) {
        ObjectNode root = JSON.createObjectNode();
        root.put("model", request.model());
        root.put("stream", true);
        root.putObject("stream_options").put("include_usage", true);
        // compatible servers (vLLM, llama.cpp, Ollama, Groq, ...) know max_tokens; OpenAI's reasoning models only the new name
        root.put(limitField == TokenLimitField.MAX_TOKENS ? "max_tokens" : "max_completion_tokens", request.maxOutputTokens());
        request.temperature().ifPresent(t -> root.put("temperature", t));
        request.reasoning().ifPresent(r -> root.put("reasoning_effort", r.wire()));
        // only OpenAI itself takes the key; strict compatible servers reject unknown fields
        if (limitField == TokenLimitField.MAX_COMPLETION_TOKENS) request.cacheKey().ifPresent(k -> root.put("prompt_cache_key", k));
        if (!request.tools().isEmpty()) {
            ArrayNode tools = root.putArray("tools");
            for (ToolSpec t : request.tools()) {
                ObjectNode fn = tools.addObject().put("type", "function").putObject("function");
                fn.put("name", t.name()).put("description", t.description());
                JsonNode parameters = WireJson.schema(t.parametersSchema());
                // OpenAI itself gets strict schemas, so arguments always match them; compatible servers rarely know strict
                var strict = limitField == TokenLimitField.MAX_COMPLETION_TOKENS ? StrictSchema.of(parameters) : java.util.Optional.<ObjectNode>empty();
                fn.set("parameters", strict.isPresent() ? strict.get() : parameters);
                if (strict.isPresent()) fn.put("strict", true);
            }
            if (request.toolChoice() == ToolChoice.NONE) root.put("tool_choice", "none");
        }
        ArrayNode messages = root.putArray("messages");
        for (String block : request.system()) messages.addObject().put("role", "system").put("content", block);
        for (LlmMessage m : request.messages()) addMessage(messages, m);
        return root;
    }

    private static void addMessage(ArrayNode out, LlmMessage m) {
        switch (m.role()) {
            case USER -> {
                // tool results are messages of their own in this protocol, and must follow the assistant turn directly
                List<Content> rest = new ArrayList<>();
                for (Content c : m.content()) {
                    if (c instanceof Content.ToolResult r) {
                        out.addObject().put("role", "tool").put("tool_call_id", r.callId()).put("content", r.isError() ? "Error: " + r.output() : r.output());
                    } else {
                        rest.add(c);
                    }
                }
                if (!rest.isEmpty()) userMessage(out, rest);
            }
            case ASSISTANT -> assistantMessage(out, m.content());
        }
    }

    private static void userMessage(ArrayNode out, List<Content> content) {
        ObjectNode msg = out.addObject().put("role", "user");
        boolean onlyText = content.stream().allMatch(Content.Text.class::isInstance);
        if (onlyText) {
            msg.put("content", String.join("\n\n", content.stream().map(c -> ((Content.Text) c).text()).toList()));
            return;
        }
        ArrayNode parts = msg.putArray("content");
        for (Content c : content) {
            switch (c) {
                case Content.Text t -> parts.addObject().put("type", "text").put("text", t.text());
                case Content.Image i when i.isPdf() -> parts.addObject().put("type", "file").putObject("file")
                        .put("filename", "document.pdf").put("file_data", "data:application/pdf;base64," + i.base64());
                case Content.Image i -> parts.addObject().put("type", "image_url").putObject("image_url")
                        .put("url", "data:" + i.mime() + ";base64," + i.base64());
                case Content.Reasoning _, Content.ToolCall _, Content.ToolResult _ -> { }
            }
        }
    }

    private static void assistantMessage(ArrayNode out, List<Content> content) {
        var text = new StringBuilder();
        ArrayNode calls = JSON.createArrayNode();
        for (Content c : content) {
            switch (c) {
                case Content.Text t -> text.append(text.isEmpty() ? "" : "\n\n").append(t.text());
                case Content.ToolCall call -> {
                    ObjectNode fn = calls.addObject().put("id", call.callId()).put("type", "function").putObject("function");
                    fn.put("name", call.name()).put("arguments", call.argsJson().isBlank() ? "{}" : call.argsJson());
                }
                case Content.Reasoning _, Content.Image _, Content.ToolResult _ -> { }
            }
        }
        ObjectNode msg = out.addObject().put("role", "assistant");
        if (text.isEmpty()) msg.putNull("content"); else msg.put("content", text.toString());
        if (!calls.isEmpty()) msg.set("tool_calls", calls);
    }
}
