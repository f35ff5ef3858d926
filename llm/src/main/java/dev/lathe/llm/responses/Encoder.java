package dev.lathe.llm.responses;

import dev.lathe.llm.Content;
import dev.lathe.llm.LlmMessage;
import dev.lathe.llm.LlmRequest;
import dev.lathe.llm.StreamedBody;
import dev.lathe.llm.StreamedBody.RequestHead;
import dev.lathe.llm.ToolChoice;
import dev.lathe.llm.ToolSpec;
import dev.lathe.llm.WireJson;
import dev.lathe.llm.openai.OpenAiHosts;
import dev.lathe.llm.openai.StrictSchema;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@link LlmRequest} → Responses API JSON. Pure; field order is fixed so equal requests give equal bytes, and
 * {@code input} is last so step n's body up to the end of its input is a byte prefix of step n+1's (DESIGN §7).
 * System blocks are the first input items, one each, so they stay separate blocks. Written as a stream
 * ({@link StreamedBody}): the head once per value, each message once into the items it becomes, and a step's body begun
 * with the previous step's bytes (issue 55).
 */
final class Encoder {
    static final JsonMapper JSON = JsonMapper.builder().build();
    /** The heads, each message as the items it becomes (decision 370), and each history's last body (decision 436). */
    static final StreamedBody.OfRequests<Dialect> BODIES = new StreamedBody.OfRequests<>(Encoder::writeHead, Encoder::items);

    private Encoder() {}

    /**
     * What the server at the base URL accepts beyond the common subset: OpenAI itself (and Azure) take strict tool
     * schemas and {@code prompt_cache_key}; compatible servers (xAI, LM Studio) may reject unknown fields.
     */
    record Dialect(boolean openAi, boolean chatGpt) {
        Dialect(boolean openAi) { this(openAi, false); }

        static Dialect of(URI baseUrl) {
            boolean chatGpt = OpenAiHosts.isChatGptBackend(baseUrl);
            return new Dialect(OpenAiHosts.isOpenAi(baseUrl) || chatGpt, chatGpt);
        }
    }

    /** The body as a tree, for tests that look at its parts. */
    static ObjectNode tree(LlmRequest request, Dialect dialect) {
        return (ObjectNode) JSON.readTree(BODIES.body(request, dialect).bytes());
    }

    private static void writeHead(RequestHead<Dialect> head, JsonGenerator g) {
        LlmRequest request = head.request();
        Dialect dialect = head.dialect();
        g.writeStartObject();
        g.writeStringProperty("model", request.model());
        g.writeBooleanProperty("stream", true);
        // stateless: the whole history goes with every request, so nothing needs to be kept on the provider's side
        g.writeBooleanProperty("store", false);
        // the ChatGPT backend (a ChatGPT Plus/Pro sign-in) takes the system prompt only as instructions, which it requires,
        // and refuses an output cap (decision 121); the instructions are the same bytes each step, so the prefix still holds
        if (dialect.chatGpt()) g.writeStringProperty("instructions", String.join("\n\n", request.system()));
        else g.writeNumberProperty("max_output_tokens", request.maxOutputTokens());
        boolean reasoning = request.reasoning().isPresent() || isReasoningModel(request.model());
        if (reasoning) {
            g.writeName("reasoning");
            g.writeStartObject();
            if (request.reasoning().isPresent()) g.writeStringProperty("effort", request.reasoning().get().wire());
            g.writeStringProperty("summary", "auto");
            g.writeEndObject();
            // without storage, the model's reasoning survives between steps only as this encrypted form
            g.writeName("include");
            g.writeStartArray();
            g.writeString("reasoning.encrypted_content");
            g.writeEndArray();
        } else if (request.temperature().isPresent()) {
            // reasoning models reject temperature
            g.writeNumberProperty("temperature", request.temperature().get());
        }
        if (dialect.openAi() && request.cacheKey().isPresent()) g.writeStringProperty("prompt_cache_key", request.cacheKey().get());
        if (!request.tools().isEmpty()) {
            g.writeName("tools");
            g.writeStartArray();
            for (ToolSpec t : request.tools()) {
                g.writeStartObject();
                g.writeStringProperty("type", "function");
                g.writeStringProperty("name", t.name());
                g.writeStringProperty("description", t.description());
                JsonNode parameters = WireJson.schema(t.parametersSchema());
                Optional<ObjectNode> strict = dialect.openAi() ? StrictSchema.of(parameters) : Optional.empty();
                g.writeName("parameters");
                g.writeTree(strict.isPresent() ? strict.get() : parameters);
                g.writeBooleanProperty("strict", strict.isPresent());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeStringProperty("tool_choice", request.toolChoice() == ToolChoice.NONE ? "none" : "auto");
        }
        StreamedBody.systemMessages("input", dialect.chatGpt() ? List.of() : request.system(), g);
    }

    /** The input items {@code m} becomes. */
    private static void items(LlmMessage m, JsonGenerator g) {
        switch (m.role()) {
            case USER -> userItems(m, g);
            case ASSISTANT -> assistantItems(m, g);
        }
    }

    /** Tool results are items of their own and come first: they answer the calls just before them. */
    private static void userItems(LlmMessage m, JsonGenerator g) {
        boolean parts = false;
        for (Content c : m.content()) {
            if (c instanceof Content.ToolResult r) {
                StreamedBody.toolOutput(r, "type", "function_call_output", "call_id", "output", g);
            } else {
                parts |= c instanceof Content.Text || c instanceof Content.Image;
            }
        }
        if (!parts) return;
        g.writeStartObject();
        g.writeStringProperty("role", "user");
        g.writeName("content");
        g.writeStartArray();
        for (Content c : m.content()) {
            switch (c) {
                case Content.Text t -> {
                    g.writeStartObject();
                    g.writeStringProperty("type", "input_text");
                    g.writeStringProperty("text", t.text());
                    g.writeEndObject();
                }
                case Content.Image i when i.isPdf() -> {
                    g.writeStartObject();
                    g.writeStringProperty("type", "input_file");
                    g.writeStringProperty("filename", "document.pdf");
                    g.writeStringProperty("file_data", "data:application/pdf;base64," + i.base64());
                    g.writeEndObject();
                }
                case Content.Image i -> {
                    g.writeStartObject();
                    g.writeStringProperty("type", "input_image");
                    g.writeStringProperty("image_url", "data:" + i.mime() + ";base64," + i.base64());
                    g.writeEndObject();
                }
                case Content.Reasoning _, Content.ToolCall _, Content.ToolResult _ -> { }
            }
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /** In content order: reasoning items (only with their encrypted form), text as assistant messages, calls. */
    private static void assistantItems(LlmMessage m, JsonGenerator g) {
        for (Content c : m.content()) {
            switch (c) {
                case Content.Reasoning r -> {
                    if (r.signature().isEmpty()) continue;
                    g.writeStartObject();
                    g.writeStringProperty("type", "reasoning");
                    g.writeName("summary");
                    g.writeStartArray();
                    if (!r.text().isBlank()) {
                        g.writeStartObject();
                        g.writeStringProperty("type", "summary_text");
                        g.writeStringProperty("text", r.text());
                        g.writeEndObject();
                    }
                    g.writeEndArray();
                    g.writeStringProperty("encrypted_content", r.signature().get());
                    g.writeEndObject();
                }
                case Content.Text t -> {
                    g.writeStartObject();
                    g.writeStringProperty("role", "assistant");
                    g.writeName("content");
                    g.writeStartArray();
                    g.writeStartObject();
                    g.writeStringProperty("type", "output_text");
                    g.writeStringProperty("text", t.text());
                    g.writeEndObject();
                    g.writeEndArray();
                    g.writeEndObject();
                }
                case Content.ToolCall call -> {
                    g.writeStartObject();
                    g.writeStringProperty("type", "function_call");
                    g.writeStringProperty("call_id", call.callId());
                    g.writeStringProperty("name", call.name());
                    g.writeStringProperty("arguments", call.argsJson().isBlank() ? "{}" : call.argsJson());
                    g.writeEndObject();
                }
                case Content.Image _, Content.ToolResult _ -> { }
            }
        }
    }

    /** OpenAI's reasoning families (o-series, gpt-5, codex); others get reasoning only when the user asks for an effort. */
    static boolean isReasoningModel(String model) {
        String id = model.toLowerCase(Locale.ROOT);
        int slash = id.lastIndexOf('/');
        if (slash >= 0) id = id.substring(slash + 1);
        return id.matches("o[1-9].*") || (id.startsWith("gpt-5") && !id.startsWith("gpt-5-chat")) || id.contains("codex");
    }
}
