package dev.lathe.llm.bedrock;

import dev.lathe.llm.Content;
import dev.lathe.llm.LlmMessage;
import dev.lathe.llm.LlmRequest;
import dev.lathe.llm.ToolChoice;
import dev.lathe.llm.ToolSpec;
import dev.lathe.llm.WireJson;
import java.util.Locale;
import java.util.Optional;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@link LlmRequest} → Converse API JSON. Pure and deterministic. The model id is not in the body (it is in the URL).
 *
 * <p>Model families differ in what Converse lets them take: cache points and the tool-result {@code status} field only
 * for Anthropic Claude and Amazon Nova (other models reject them), extended thinking only for Claude (through
 * {@code additionalModelRequestFields}). The family is read from the model id, which may carry a cross-region
 * prefix ({@code us.anthropic.claude-...}) or be an inference-profile ARN naming the model.
 */
final class Encoder {
    static final JsonMapper JSON = JsonMapper.builder().build();
    /** Claude on Bedrock allows four cache points per request, like Anthropic's breakpoints. */
    private static final int MAX_CACHE_POINTS = 4;

    private Encoder() {}

    static byte[] encode(LlmRequest request) {
        return JSON.writeValueAsBytes(tree(request));
    }

    /**
     * Fields that stay the same for every step come first and {@code messages} last, so step n's body up to the end of
     * its messages, apart from the moving message cache points, is a byte prefix of step n+1's. Cache points follow the
     * Anthropic breakpoints: after system block A (Bedrock caches tools, then system, so this covers tools + A), after
     * block B, and after the last two messages.
     */
    static ObjectNode tree(LlmRequest request) {
        boolean caching = supportsCachePoints(request.model());
        int budget = caching ? MAX_CACHE_POINTS : 0;
        ObjectNode root = JSON.createObjectNode();
        ObjectNode inference = root.putObject("inferenceConfig").put("maxTokens", request.maxOutputTokens());
        if (request.reasoning().isPresent() && isClaude(request.model())) {
            // extended thinking: a token budget below maxTokens; Claude rejects a temperature alongside it
            root.putObject("additionalModelRequestFields").putObject("thinking").put("type", "enabled")
                    .put("budget_tokens", request.reasoning().get().budget(request.maxOutputTokens()));
        } else {
            request.temperature().ifPresent(t -> inference.put("temperature", t));
        }
        if (!request.tools().isEmpty()) {
            ObjectNode toolConfig = root.putObject("toolConfig");
            ArrayNode tools = toolConfig.putArray("tools");
            for (ToolSpec t : request.tools()) {
                ObjectNode spec = tools.addObject().putObject("toolSpec").put("name", t.name());
                if (!t.description().isBlank()) spec.put("description", t.description());
                spec.putObject("inputSchema").set("json", WireJson.schema(t.parametersSchema()));
            }
            // Converse has no "none": the tools stay (they are needed to read tool blocks in history, and keep the
            // cached prefix) and the choice is left out, so the model may still call one on a step-limit step
            if (request.toolChoice() == ToolChoice.AUTO) toolConfig.putObject("toolChoice").putObject("auto");
        }
        ArrayNode system = JSON.createArrayNode();
        for (String block : request.system()) {
            if (block.isBlank()) continue;
            system.addObject().put("text", block);
            if (budget > 2) {
                cachePoint(system);
                budget--;
            }
        }
        if (!system.isEmpty()) root.set("system", system);
        ArrayNode messages = root.putArray("messages");
        boolean statusField = supportsCachePoints(request.model());
        for (LlmMessage m : request.messages()) {
            ArrayNode content = JSON.createArrayNode();
            for (Content c : m.content()) block(c, content, statusField);
            if (content.isEmpty()) continue;
            String role = m.role() == LlmMessage.Role.USER ? "user" : "assistant";
            // Converse rejects two messages of one role in a row; a message emptied above can leave them adjacent
            if (!messages.isEmpty() && messages.get(messages.size() - 1).path("role").asString().equals(role)) {
                ((ArrayNode) messages.get(messages.size() - 1).path("content")).addAll(content);
            } else {
                messages.addObject().put("role", role).set("content", content);
            }
        }
        for (int i = messages.size() - 1; i >= 0 && budget > 0 && i >= messages.size() - 2; i--) {
            ArrayNode content = (ArrayNode) messages.get(i).path("content");
            if (content.get(content.size() - 1).has("reasoningContent")) continue; // a cache point may not follow reasoning
            cachePoint(content);
            budget--;
        }
        return root;
    }

    private static void block(Content c, ArrayNode out, boolean statusField) {
        switch (c) {
            case Content.Text t -> { if (!t.text().isBlank()) out.addObject().put("text", t.text()); }
            case Content.Image i when i.isPdf() -> {
                ObjectNode document = out.addObject().putObject("document").put("format", "pdf").put("name", "document");
                document.putObject("source").put("bytes", i.base64());
            }
            case Content.Image i -> {
                Optional<String> format = imageFormat(i.mime());
                if (format.isEmpty()) {
                    out.addObject().put("text", "[image omitted: " + i.mime() + " is not a format Bedrock accepts]");
                } else {
                    ObjectNode image = out.addObject().putObject("image").put("format", format.get());
                    image.putObject("source").put("bytes", i.base64());
                }
            }
            // only signed reasoning can go back; unsigned text (another provider's, or a model that signs nothing) is dropped
            case Content.Reasoning r -> r.signature().ifPresent(sig -> {
                ObjectNode reasoning = out.addObject().putObject("reasoningContent");
                if (sig.startsWith(Decoder.REDACTED)) reasoning.put("redactedContent", sig.substring(Decoder.REDACTED.length()));
                else reasoning.putObject("reasoningText").put("text", r.text()).put("signature", sig);
            });
            case Content.ToolCall call -> out.addObject().putObject("toolUse").put("toolUseId", call.callId()).put("name", call.name())
                    .set("input", WireJson.objectOrEmpty(call.argsJson()));
            case Content.ToolResult r -> {
                ObjectNode result = out.addObject().putObject("toolResult").put("toolUseId", r.callId());
                result.putArray("content").addObject().put("text", r.output().isEmpty() ? "(no output)" : r.output());
                if (statusField) result.put("status", r.isError() ? "error" : "success");
            }
        }
    }

    private static void cachePoint(ArrayNode blocks) {
        blocks.addObject().putObject("cachePoint").put("type", "default");
    }

    /** Claude and Nova take cache points (and the tool-result status); other Converse models reject both. */
    static boolean supportsCachePoints(String model) {
        String m = model.toLowerCase(Locale.ROOT);
        return m.contains("anthropic.claude") || m.contains("amazon.nova");
    }

    static boolean isClaude(String model) { return model.toLowerCase(Locale.ROOT).contains("anthropic.claude"); }

    static Optional<String> imageFormat(String mime) {
        return switch (mime.toLowerCase(Locale.ROOT)) {
            case "image/png" -> Optional.of("png");
            case "image/jpeg", "image/jpg" -> Optional.of("jpeg");
            case "image/gif" -> Optional.of("gif");
            case "image/webp" -> Optional.of("webp");
            default -> Optional.empty();
        };
    }
}
