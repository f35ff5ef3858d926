package dev.lathe.llm.anthropic;

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

/** Decoding for {@code anthropic-messages}. */
public final class AnthropicCodec implements Codec {
    @Override public String protocol() { return AnthropicMessages.ID; }

    @Override public StreamDecoder streamDecoder() { return new Decoder(); }

    /** A complete message replays as the stream that would have carried it: its blocks arrive inside {@code message_start}. */
    @Override
    public List<LlmEvent> decodeBody(String body) {
        var decoder = new Decoder();
        JsonNode message;
        try {
            message = Encoder.JSON.readTree(body);
        } catch (JacksonException e) {
            return decoder.decode(body);
        }
        if (message.path("type").asString("").equals("error")) return List.of(LlmEvent.Finished.failed(Decoder.error(message, 0)));
        ObjectNode start = Encoder.JSON.createObjectNode().put("type", "message_start");
        start.set("message", message);
        ObjectNode delta = Encoder.JSON.createObjectNode().put("type", "message_delta");
        delta.putObject("delta").set("stop_reason", message.path("stop_reason"));
        List<LlmEvent> out = new ArrayList<>(decoder.decode(start.toString()));
        out.addAll(decoder.decode(delta.toString()));
        out.addAll(decoder.decode("{\"type\":\"message_stop\"}"));
        return out;
    }

    @Override
    public LlmError decodeError(int status, String body, Map<String, String> headers) {
        return ErrorClassifier.fromBody(status, body, headers, Decoder::error);
    }
}
