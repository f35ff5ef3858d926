package dev.lathe.llm.bedrock;

import dev.lathe.llm.Codec;
import dev.lathe.llm.LlmError;
import dev.lathe.llm.LlmEvent;
import dev.lathe.llm.StreamDecoder;
import dev.lathe.llm.http.ErrorClassifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Decoding for {@code bedrock-converse}. */
public final class BedrockCodec implements Codec {
    private static final int MAX_ERROR_TEXT = 2_000;

    @Override public String protocol() { return BedrockConverse.ID; }

    @Override public StreamDecoder streamDecoder() { return new Decoder(); }

    /** A complete {@code Converse} response replays as the stream that would have carried it. */
    @Override
    public List<LlmEvent> decodeBody(String body) {
        var decoder = new Decoder();
        JsonNode response;
        try {
            response = Encoder.JSON.readTree(body);
        } catch (JacksonException e) {
            return decoder.decode(body);
        }
        if (!response.has("output") && !Decoder.message(response).isEmpty()) {
            return List.of(LlmEvent.Finished.failed(Decoder.error(response.path("__type").asString(""), Decoder.message(response), 0)));
        }
        List<LlmEvent> out = new ArrayList<>();
        JsonNode content = response.path("output").path("message").path("content");
        for (int i = 0; i < content.size(); i++) {
            JsonNode block = content.get(i);
            if (block.has("toolUse")) {
                JsonNode use = block.path("toolUse");
                ObjectNode start = Encoder.JSON.createObjectNode().put("contentBlockIndex", i);
                start.putObject("start").putObject("toolUse").put("toolUseId", use.path("toolUseId").asString("")).put("name", use.path("name").asString(""));
                out.addAll(decoder.event("contentBlockStart", start));
                JsonNode input = use.path("input");
                if (input.isObject() && !input.isEmpty()) out.addAll(decoder.event("contentBlockDelta", delta(i, "toolUse", Encoder.JSON.createObjectNode().put("input", input.toString()))));
            } else if (block.has("text")) {
                out.addAll(decoder.event("contentBlockDelta", delta(i, "text", block.path("text"))));
            } else if (block.has("reasoningContent")) {
                JsonNode r = block.path("reasoningContent");
                JsonNode text = r.path("reasoningText");
                if (r.has("redactedContent")) {
                    out.addAll(decoder.event("contentBlockDelta", delta(i, "reasoningContent", Encoder.JSON.createObjectNode().set("redactedContent", r.path("redactedContent")))));
                } else {
                    out.addAll(decoder.event("contentBlockDelta", delta(i, "reasoningContent", Encoder.JSON.createObjectNode().set("text", text.path("text")))));
                    if (text.has("signature")) {
                        out.addAll(decoder.event("contentBlockDelta", delta(i, "reasoningContent", Encoder.JSON.createObjectNode().set("signature", text.path("signature")))));
                    }
                }
            }
            out.addAll(decoder.event("contentBlockStop", Encoder.JSON.createObjectNode().put("contentBlockIndex", i)));
        }
        out.addAll(decoder.event("messageStop", Encoder.JSON.createObjectNode().put("stopReason", response.path("stopReason").asString("end_turn"))));
        out.addAll(decoder.event("metadata", Encoder.JSON.createObjectNode().set("usage", response.path("usage"))));
        return out;
    }

    private static ObjectNode delta(int index, String kind, JsonNode value) {
        ObjectNode d = Encoder.JSON.createObjectNode().put("contentBlockIndex", index);
        d.putObject("delta").set(kind, value);
        return d;
    }

    /**
     * Bedrock names the error in the {@code x-amzn-errortype} header ({@code ValidationException:http://...}) and puts
     * {@code {"message": ...}} in the body ({@code Message} or a {@code __type} field in some answers). A body that is
     * not JSON (a proxy's page) is classified by the header and status with its text as the message.
     */
    @Override
    public LlmError decodeError(int status, String body, Map<String, String> headers) {
        String type = headers.getOrDefault("x-amzn-errortype", "");
        String message;
        try {
            JsonNode json = Encoder.JSON.readTree(body);
            if (type.isEmpty()) type = json.path("__type").asString(json.path("code").asString(""));
            message = json.isObject() ? Decoder.message(json) : body.strip();
        } catch (JacksonException e) {
            message = body.strip();
        }
        if (message.length() > MAX_ERROR_TEXT) message = message.substring(0, MAX_ERROR_TEXT) + "…";
        return ErrorClassifier.withRetryAfter(Decoder.error(type, message, status), headers);
    }
}
