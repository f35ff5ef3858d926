package dev.lathe.llm.gemini;

import dev.lathe.llm.Cancellation;
import dev.lathe.llm.LlmError;
import dev.lathe.llm.LlmEvent;
import dev.lathe.llm.LlmRequest;
import dev.lathe.llm.LlmSink;
import dev.lathe.llm.Protocol;
import dev.lathe.llm.Provider;
import dev.lathe.llm.http.SseTransport;
import dev.lathe.llm.http.RequestBody;
import dev.lathe.llm.http.StreamDriver;
import dev.lathe.llm.http.StreamOutcome;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code gemini} protocol: Google's Generative Language API,
 * {@code POST {baseUrl}/models/{model}:streamGenerateContent?alt=sse}. The key travels in {@code x-goog-api-key},
 * never in the URL, so it cannot end up in logs or error messages that quote the URL.
 */
public final class Gemini implements Protocol {
    public static final String ID = "gemini";

    private static final GeminiCodec CODEC = new GeminiCodec();

    private final StreamDriver driver;

    public Gemini(SseTransport transport) {
        this.driver = new StreamDriver(transport);
    }

    @Override public String id() { return ID; }

    @Override
    public LlmEvent.Finished stream(Provider provider, LlmRequest request, LlmSink sink, Cancellation cancel) {
        return driver.run(provider.id(), endpoint(provider, request.model()), headers(provider), RequestBody.of(Encoder.encode(request)), cancel, sink, new Decoder(),
                Gemini::httpError);
    }

    static LlmError httpError(StreamOutcome.HttpFailure h) {
        return CODEC.decodeError(h.status(), h.body(), h.headers());
    }

    /** Models may be named with the API's resource prefix ({@code models/gemini-2.5-pro}) or without. */
    static URI endpoint(Provider provider, String model) {
        String name = model.startsWith("models/") ? model.substring("models/".length()) : model;
        return provider.endpoint("/models/" + URLEncoder.encode(name, StandardCharsets.UTF_8) + ":streamGenerateContent?alt=sse");
    }

    private static Map<String, String> headers(Provider provider) {
        Map<String, String> h = new LinkedHashMap<>();
        provider.apiKey().ifPresent(k -> h.put("x-goog-api-key", k.value()));
        h.putAll(provider.headers());
        return h;
    }
}
