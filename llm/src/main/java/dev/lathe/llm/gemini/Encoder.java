package dev.lathe.llm.gemini;

import dev.lathe.llm.Content;
import dev.lathe.llm.LlmMessage;
import dev.lathe.llm.LlmRequest;
import dev.lathe.llm.ToolChoice;
import dev.lathe.llm.ToolSpec;
import dev.lathe.llm.WireJson;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@link LlmRequest} → {@code GenerateContentRequest} JSON. Pure and deterministic. Thought signatures go back on the
 * part they came with: a call's on its {@code functionCall} part, a signed thought as a {@code thought} part, and a
 * signature that came on answer text (a signature-only reasoning block) on the text part before it. Unsigned reasoning
 * is not sent: Gemini cannot use it.
 */
final class Encoder {
    static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * Google's documented stand-in for a signature the history lacks. Gemini 3 rejects a model turn whose first call
     * has none, which is what calls made by another provider (before a failover) look like.
     */
    static final String SKIP_SIGNATURE_VALIDATOR = "skip_thought_signature_validator";
    private static final Pattern GEMINI_VERSION = Pattern.compile("(?:^|/)gemini-(\\d{1,3})");

    private Encoder() {}

    static byte[] encode(LlmRequest request) {
        return JSON.writeValueAsBytes(tree(request));
    }

    /**
     * Fields that stay the same for every step come first and {@code contents} last, so the body of step n, up to the
     * end of its contents, is a byte prefix of step n+1's (DESIGN §7); Gemini's implicit cache matches on prefixes.
     */
    static ObjectNode tree(LlmRequest request) {
        ObjectNode root = JSON.createObjectNode();
        List<String> system = request.system().stream().filter(s -> !s.isBlank()).toList();
        if (!system.isEmpty()) {
            // one part per block, in order, as the other protocols keep them apart
            ArrayNode parts = root.putObject("systemInstruction").putArray("parts");
            system.forEach(s -> parts.addObject().put("text", s));
        }
        if (!request.tools().isEmpty()) {
            ArrayNode declarations = root.putArray("tools").addObject().putArray("functionDeclarations");
            for (ToolSpec t : request.tools()) {
                ObjectNode d = declarations.addObject().put("name", t.name());
                if (!t.description().isBlank()) d.put("description", t.description());
                SchemaFixer.parameters(WireJson.schema(t.parametersSchema())).ifPresent(p -> d.set("parameters", p));
            }
            root.putObject("toolConfig").putObject("functionCallingConfig").put("mode", request.toolChoice() == ToolChoice.NONE ? "NONE" : "AUTO");
        }
        ObjectNode generation = root.putObject("generationConfig");
        generation.put("maxOutputTokens", request.maxOutputTokens());
        request.temperature().ifPresent(t -> generation.put("temperature", t));
        request.reasoning().ifPresent(effort -> generation.putObject("thinkingConfig")
                .put("thinkingBudget", effort.budget(request.maxOutputTokens())).put("includeThoughts", true));
        ArrayNode contents = root.putArray("contents");
        boolean validatesSignatures = validatesSignatures(request.model());
        for (LlmMessage m : request.messages()) {
            ArrayNode parts = m.role() == LlmMessage.Role.USER ? userParts(m.content()) : modelParts(m.content(), validatesSignatures);
            if (parts.isEmpty()) continue;
            contents.addObject().put("role", m.role() == LlmMessage.Role.USER ? "user" : "model").set("parts", parts);
        }
        return root;
    }

    /** Tool results first, all in this one turn, so they directly answer the model turn before; then what the user added. */
    private static ArrayNode userParts(List<Content> content) {
        ArrayNode parts = JSON.createArrayNode();
        List<Content> rest = new ArrayList<>();
        for (Content c : content) {
            if (c instanceof Content.ToolResult r) {
                ObjectNode fr = parts.addObject().putObject("functionResponse");
                id(fr, r.callId());
                fr.put("name", r.name());
                // Gemini's convention: "output" for what the function returned, "error" when it failed
                fr.putObject("response").put(r.isError() ? "error" : "output", r.output());
            } else {
                rest.add(c);
            }
        }
        for (Content c : rest) {
            switch (c) {
                case Content.Text t -> { if (!t.text().isBlank()) parts.addObject().put("text", t.text()); }
                case Content.Image i -> parts.addObject().putObject("inlineData").put("mimeType", i.mime()).put("data", i.base64());
                case Content.Reasoning _, Content.ToolCall _, Content.ToolResult _ -> { }
            }
        }
        return parts;
    }

    private static ArrayNode modelParts(List<Content> content, boolean validatesSignatures) {
        ArrayNode parts = JSON.createArrayNode();
        boolean anyCallSigned = content.stream().anyMatch(c -> c instanceof Content.ToolCall call && call.signature().isPresent());
        boolean firstCall = true;
        for (Content c : content) {
            switch (c) {
                case Content.Text t -> { if (!t.text().isBlank()) parts.addObject().put("text", t.text()); }
                case Content.Reasoning r -> r.signature().ifPresent(sig -> {
                    if (!r.text().isEmpty()) parts.addObject().put("text", r.text()).put("thought", true).put("thoughtSignature", sig);
                    else signPreviousText(parts, sig);
                });
                case Content.ToolCall call -> {
                    ObjectNode part = parts.addObject();
                    ObjectNode fc = part.putObject("functionCall");
                    id(fc, call.callId());
                    fc.put("name", call.name()).set("args", WireJson.objectOrEmpty(call.argsJson()));
                    call.signature().ifPresent(sig -> part.put("thoughtSignature", sig));
                    // of parallel calls only the first carries a signature; Gemini 3 insists on that one
                    if (firstCall && !anyCallSigned && validatesSignatures) part.put("thoughtSignature", SKIP_SIGNATURE_VALIDATOR);
                    firstCall = false;
                }
                case Content.Image _, Content.ToolResult _ -> { }
            }
        }
        return parts;
    }

    /**
     * A signature that came on answer text goes back on that text, the part just before it. Without one (the text was
     * blank and dropped) it is left out: Gemini validates only the signatures of calls, and an empty text part would
     * be rejected.
     */
    private static void signPreviousText(ArrayNode parts, String signature) {
        if (parts.isEmpty()) return;
        JsonNode last = parts.get(parts.size() - 1);
        if (last.has("text") && !last.has("thought") && !last.has("thoughtSignature")) ((ObjectNode) last).put("thoughtSignature", signature);
    }

    /** Ids Gemini gave are sent back so results pair with their calls; ids the decoder made up mean nothing to Gemini. */
    private static void id(ObjectNode node, String callId) {
        if (!callId.isEmpty() && !callId.startsWith(Decoder.SYNTHETIC_ID)) node.put("id", callId);
    }

    /** Gemini 3 and later reject a replayed model turn whose calls carry no thought signature. */
    static boolean validatesSignatures(String model) {
        Matcher m = GEMINI_VERSION.matcher(model);
        return m.find() && Integer.parseInt(m.group(1)) >= 3;
    }
}
