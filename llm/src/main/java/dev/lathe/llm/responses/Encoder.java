package dev.lathe.llm.responses;

import dev.lathe.llm.Content;
import dev.lathe.llm.LlmMessage;
import dev.lathe.llm.LlmRequest;
import dev.lathe.llm.ToolChoice;
import dev.lathe.llm.ToolSpec;
import dev.lathe.llm.WireJson;
import dev.lathe.llm.openai.OpenAiHosts;
import dev.lathe.llm.openai.StrictSchema;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@link LlmRequest} → Responses API JSON. Pure; field order is fixed so equal requests give equal bytes, and
 * {@code input} is last so step n's body up to the end of its input is a byte prefix of step n+1's (DESIGN §7).
 * System blocks are the first input items, one each, so they stay separate blocks.
 */
final class Encoder {
    static final JsonMapper JSON = JsonMapper.builder().build();

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

    static byte[] encode(LlmRequest request, Dialect dialect) {
        return JSON.writeValueAsBytes(tree(request, dialect));
    }

    static ObjectNode tree(LlmRequest request, Dialect dialect) {
        ObjectNode root = JSON.createObjectNode();
        root.put("model", request.model());
        root.put("stream", true);
        // stateless: the whole history goes with every request, so nothing needs to be kept on the provider's side
        root.put("store", false);
        // the ChatGPT backend (a ChatGPT Plus/Pro sign-in) takes the system prompt only as instructions, which it requires,
        // and refuses an output cap (decision 121); the instructions are the same bytes each step, so the prefix still holds
        if (dialect.chatGpt()) root.put("instructions", String.join("\n\n", request.system()));
        else root.put("max_output_tokens", request.maxOutputTokens());
        boolean reasoning = request.reasoning().isPresent() || isReasoningModel(request.model());
        if (reasoning) {
            ObjectNode r = root.putObject("reasoning");
            request.reasoning().ifPresent(e -> r.put("effort", e.wire()));
            r.put("summary", "auto");
            // without storage, the model's reasoning survives between steps only as this encrypted form
            root.putArray("include").add("reasoning.encrypted_content");
        } else {
            // reasoning models reject temperature
            request.temperature().ifPresent(t -> root.put("temperature", t));
        }
        if (dialect.openAi()) request.cacheKey().ifPresent(k -> root.put("prompt_cache_key", k));
        if (!request.tools().isEmpty()) {
            ArrayNode tools = root.putArray("tools");
            for (ToolSpec t : request.tools()) {
                ObjectNode fn = tools.addObject().put("type", "function").put("name", t.name()).put("description", t.description());
                JsonNode parameters = WireJson.schema(t.parametersSchema());
                Optional<ObjectNode> strict = dialect.openAi() ? StrictSchema.of(parameters) : Optional.empty();
                fn.set("parameters", strict.isPresent() ? strict.get() : parameters);
                fn.put("strict", strict.isPresent());
            }
            root.put("tool_choice", request.toolChoice() == ToolChoice.NONE ? "none" : "auto");
        }
        ArrayNode input = root.putArray("input");
        if (!dialect.chatGpt()) for (String block : request.system()) input.addObject().put("role", "system").put("content", block);
        for (LlmMessage m : request.messages()) {
            switch (m.role()) {
                case USER -> userItems(input, m);
                case ASSISTANT -> assistantItems(input, m);
            }
        }
        return root;
    }

    /** Tool results are items of their own and come first: they answer the calls just before them. */
    private static void userItems(ArrayNode input, LlmMessage m) {
        ArrayNode parts = JSON.createArrayNode();
        for (Content c : m.content()) {
            switch (c) {
                case Content.ToolResult r -> input.addObject().put("type", "function_call_output").put("call_id", r.callId())
                        .put("output", r.isError() ? "Error: " + r.output() : r.output());
                case Content.Text t -> parts.addObject().put("type", "input_text").put("text", t.text());
                case Content.Image i when i.isPdf() -> parts.addObject().put("type", "input_file").put("filename", "document.pdf")
                        .put("file_data", "data:application/pdf;base64," + i.base64());
                case Content.Image i -> parts.addObject().put("type", "input_image").put("image_url", "data:" + i.mime() + ";base64," + i.base64());
                case Content.Reasoning _, Content.ToolCall _ -> { }
            }
        }
        if (!parts.isEmpty()) input.addObject().put("role", "user").set("content", parts);
    }

    /** In content order: reasoning items (only with their encrypted form), text as assistant messages, calls. */
    private static void assistantItems(ArrayNode input, LlmMessage m) {
        for (Content c : m.content()) {
            switch (c) {
                case Content.Reasoning r -> {
                    if (r.signature().isEmpty()) continue;
                    ObjectNode item = input.addObject().put("type", "reasoning");
                    ArrayNode summary = item.putArray("summary");
                    if (!r.text().isBlank()) summary.addObject().put("type", "summary_text").put("text", r.text());
                    item.put("encrypted_content", r.signature().get());
                }
                case Content.Text t -> {
                    ObjectNode msg = input.addObject().put("role", "assistant");
                    msg.putArray("content").addObject().put("type", "output_text").put("text", t.text());
                }
                case Content.ToolCall call -> input.addObject().put("type", "function_call").put("call_id", call.callId())
                        .put("name", call.name()).put("arguments", call.argsJson().isBlank() ? "{}" : call.argsJson());
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
