package dev.lathe.llm.gemini;

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

/** Decoding for {@code gemini}. */
public final class GeminiCodec implements Codec {
    @Override public String protocol() { return Gemini.ID; }

    @Override public StreamDecoder streamDecoder() { return new Decoder(); }

    /**
     * A {@code generateContent} body has the shape of one stream chunk, so it replays as a one-chunk stream; a
     * non-SSE {@code streamGenerateContent} body is a JSON array of chunks and replays as that stream.
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
        List<LlmEvent> out = new ArrayList<>();
        if (response.isArray() && !response.path(0).has("error")) {
            for (JsonNode chunk : response) out.addAll(decoder.decode(chunk.toString()));
        } else {
            out.addAll(decoder.decode(body));
        }
        out.addAll(decoder.end());
        return out;
    }

    @Override
    public LlmError decodeError(int status, String body, Map<String, String> headers) {
        return ErrorClassifier.fromBody(status, body, headers, RpcStatus::error);
    }
}
