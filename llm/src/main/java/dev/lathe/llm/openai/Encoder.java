package dev.lathe.llm.openai;

import dev.lathe.llm.Content;
import dev.lathe.llm.LlmMessage;
import dev.lathe.llm.LlmRequest;
import dev.lathe.llm.StreamedBody;
import dev.lathe.llm.StreamedBody.RequestHead;
import dev.lathe.llm.ToolChoice;
import dev.lathe.llm.ToolSpec;
import dev.lathe.llm.WireJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@link LlmRequest} → Chat Completions JSON. Pure; field order is fixed so equal requests give equal bytes. Fields that
 * stay the same for every step of a session come first and {@code messages} last, so the body of step n, up to the end
 * of its messages, is a byte prefix of step n+1's (DESIGN §7). Written as a stream ({@link StreamedBody}): the head once per value, each message once into the messages it becomes, and a
 * step's body begun with the previous step's bytes (issue 55).
 */
final class Encoder {
    static final JsonMapper JSON = JsonMapper.builder().build();
    /** The heads, each message as the items it becomes (decision 370), and each history's last body (decision 436). */
    static final StreamedBody.OfRequests<TokenLimitField> BODIES = new StreamedBody.OfRequests<>(Encoder::writeHead, Encoder::message);

    private Encoder() {}

    /** How the output limit is named: OpenAI's own API rejects {@code max_tokens} for reasoning models. */
    enum TokenLimitField { MAX_TOKENS, MAX_COMPLETION_TOKENS }

    /** The body as a tree, for tests that look at its parts. */
    static ObjectNode tree(LlmRequest request, TokenLimitField limitField) {
        return (ObjectNode) JSON.readTree(BODIES.body(request, limitField).bytes());
    }

    private static void writeHead(RequestHead<TokenLimitField> head, JsonGenerator g) {
        LlmRequest request = head.request();
        boolean openAi = head.dialect() == TokenLimitField.MAX_COMPLETION_TOKENS;
        g.writeStartObject();
        g.writeStringProperty("model", request.model());
        g.writeBooleanProperty("stream", true);
        g.writeName("stream_options");
        g.writeStartObject();
        g.writeBooleanProperty("include_usage", true);
        g.writeEndObject();
        // compatible servers (vLLM, llama.cpp, Ollama, Groq, ...) know max_tokens; OpenAI's reasoning models only the new name
        g.writeNumberProperty(openAi ? "max_completion_tokens" : "max_tokens", request.maxOutputTokens());
        if (request.temperature().isPresent()) g.writeNumberProperty("temperature", request.temperature().get());
        if (request.reasoning().isPresent()) g.writeStringProperty("reasoning_effort", request.reasoning().get().wire());
        // only OpenAI itself takes the key; strict compatible servers reject unknown fields
        if (openAi && request.cacheKey().isPresent()) g.writeStringProperty("prompt_cache_key", request.cacheKey().get());
        if (!request.tools().isEmpty()) {
            g.writeName("tools");
            g.writeStartArray();
            for (ToolSpec t : request.tools()) {
                g.writeStartObject();
                g.writeStringProperty("type", "function");
                g.writeName("function");
                g.writeStartObject();
                g.writeStringProperty("name", t.name());
                g.writeStringProperty("description", t.description());
                JsonNode parameters = WireJson.schema(t.parametersSchema());
                // OpenAI itself gets strict schemas, so arguments always match them; compatible servers rarely know strict
                Optional<ObjectNode> strict = openAi ? StrictSchema.of(parameters) : Optional.empty();
                g.writeName("parameters");
                g.writeTree(strict.isPresent() ? strict.get() : parameters);
                if (strict.isPresent()) g.writeBooleanProperty("strict", true);
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndArray();
            if (request.toolChoice() == ToolChoice.NONE) g.writeStringProperty("tool_choice", "none");
        }
        StreamedBody.systemMessages("messages", request.system(), g);
    }

    /** The messages {@code m} becomes: tool results are messages of their own in this protocol. */
    private static void message(LlmMessage m, JsonGenerator g) {
        switch (m.role()) {
            case USER -> {
                // they must follow the assistant turn directly, so they come before the user's other content
                List<Content> rest = new ArrayList<>();
                for (Content c : m.content()) {
                    if (c instanceof Content.ToolResult r) {
                        StreamedBody.toolOutput(r, "role", "tool", "tool_call_id", "content", g);
                    } else {
                        rest.add(c);
                    }
                }
                if (!rest.isEmpty()) userMessage(rest, g);
            }
            case ASSISTANT -> assistantMessage(m.content(), g);
        }
    }

    private static void userMessage(List<Content> content, JsonGenerator g) {
        g.writeStartObject();
        g.writeStringProperty("role", "user");
        if (content.stream().allMatch(Content.Text.class::isInstance)) {
            g.writeStringProperty("content", String.join("\n\n", content.stream().map(c -> ((Content.Text) c).text()).toList()));
            g.writeEndObject();
            return;
        }
        g.writeName("content");
        g.writeStartArray();
        for (Content c : content) {
            switch (c) {
                case Content.Text t -> {
                    g.writeStartObject();
                    g.writeStringProperty("type", "text");
                    g.writeStringProperty("text", t.text());
                    g.writeEndObject();
                }
                case Content.Image i -> {
                    g.writeStartObject();
                    g.writeStringProperty("type", i.isPdf() ? "file" : "image_url");
                    g.writeName(i.isPdf() ? "file" : "image_url");
                    g.writeStartObject();
                    if (i.isPdf()) {
                        g.writeStringProperty("filename", "document.pdf");
                        g.writeStringProperty("file_data", "data:application/pdf;base64," + i.base64());
                    } else {
                        g.writeStringProperty("url", "data:" + i.mime() + ";base64," + i.base64());
                    }
                    g.writeEndObject();
                    g.writeEndObject();
                }
                case Content.Reasoning _, Content.ToolCall _, Content.ToolResult _ -> { }
            }
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void assistantMessage(List<Content> content, JsonGenerator g) {
        var text = new StringBuilder();
        List<Content.ToolCall> calls = new ArrayList<>();
        for (Content c : content) {
            switch (c) {
                case Content.Text t -> text.append(text.isEmpty() ? "" : "\n\n").append(t.text());
                case Content.ToolCall call -> calls.add(call);
                case Content.Reasoning _, Content.Image _, Content.ToolResult _ -> { }
            }
        }
        g.writeStartObject();
        g.writeStringProperty("role", "assistant");
        if (text.isEmpty()) g.writeNullProperty("content"); else g.writeStringProperty("content", text.toString());
        if (!calls.isEmpty()) {
            g.writeName("tool_calls");
            g.writeStartArray();
            for (Content.ToolCall call : calls) {
                g.writeStartObject();
                g.writeStringProperty("id", call.callId());
                g.writeStringProperty("type", "function");
                g.writeName("function");
                g.writeStartObject();
                g.writeStringProperty("name", call.name());
                g.writeStringProperty("arguments", call.argsJson().isBlank() ? "{}" : call.argsJson());
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        g.writeEndObject();
    }
}
