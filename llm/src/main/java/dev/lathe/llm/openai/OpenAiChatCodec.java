package dev.lathe.llm.openai;

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
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Decoding for {@code openai-chat}. */
public final class OpenAiChatCodec implements Codec {
    @Override public String protocol() { return OpenAiChat.ID; }

    @Override public StreamDecoder streamDecoder() { return new Decoder(); }

    /** A complete completion replays as one chunk whose {@code delta} is the whole message, then {@code [DONE]}. */
    @Override
    public List<LlmEvent> decodeBody(String body) {
        var decoder = new Decoder();
        JsonNode completion;
        try {
            completion = Encoder.JSON.readTree(body);
        } catch (JacksonException e) {
            return decoder.decode(body);
        }
        ObjectNode chunk = completion.isObject() ? ((ObjectNode) completion).deepCopy() : Encoder.JSON.createObjectNode();
        ArrayNode choices = chunk.putArray("choices");
        for (JsonNode choice : completion.path("choices")) {
            ObjectNode c = choices.addObject();
            c.set("index", choice.path("index"));
            c.set("delta", choice.path("message"));
            c.set("finish_reason", choice.path("finish_reason"));
        }
        List<LlmEvent> out = new ArrayList<>(decoder.decode(chunk.toString()));
        out.addAll(decoder.decode("[DONE]"));
        return out;
    }

    @Override
    public LlmError decodeError(int status, String body, Map<String, String> headers) {
        return ErrorClassifier.fromBody(status, body, headers, Decoder::error);
    }
}
