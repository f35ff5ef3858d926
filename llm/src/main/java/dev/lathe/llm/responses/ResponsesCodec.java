package dev.lathe.llm.responses;

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

/** Decoding for {@code openai-responses}. */
public final class ResponsesCodec implements Codec {
    @Override public String protocol() { return OpenAiResponses.ID; }

    @Override public StreamDecoder streamDecoder() { return new Decoder(); }

    /**
     * A complete response replays as the stream that would have carried it: each output item added and done (the
     * decoder takes an item's text from its done form when no deltas came), then {@code response.completed}, or
     * {@code response.incomplete} / {@code response.failed} by the response's status.
     */
    @Override
    public List<LlmEvent> decodeBody(String body) {
        var decoder = new Decoder();
        JsonNode response;
        try {
            response = Encoder.JSON.readTree(body);
        } catch (JacksonException e) {
            return decoder.decode(body);
        }
        if (response.has("error") && !response.path("error").isNull() && !response.has("output")) {
            return List.of(LlmEvent.Finished.failed(Decoder.error(response, 0)));
        }
        List<LlmEvent> out = new ArrayList<>(decoder.decode(event("response.created", response).toString()));
        int index = 0;
        for (JsonNode item : response.path("output")) {
            for (String type : List.of("response.output_item.added", "response.output_item.done")) {
                ObjectNode e = Encoder.JSON.createObjectNode().put("type", type).put("output_index", index);
                e.set("item", item);
                out.addAll(decoder.decode(e.toString()));
            }
            index++;
        }
        String terminal = switch (response.path("status").asString("completed")) {
            case "incomplete" -> "response.incomplete";
            case "failed" -> "response.failed";
            default -> "response.completed";
        };
        out.addAll(decoder.decode(event(terminal, response).toString()));
        return out;
    }

    @Override
    public LlmError decodeError(int status, String body, Map<String, String> headers) {
        return ErrorClassifier.fromBody(status, body, headers, Decoder::error);
    }

    private static ObjectNode event(String type, JsonNode response) {
        ObjectNode e = Encoder.JSON.createObjectNode().put("type", type);
        e.set("response", response);
        return e;
    }
}
