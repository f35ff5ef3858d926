package dev.lathe.llm.anthropic;

import dev.lathe.llm.Cancellation;
import dev.lathe.llm.LlmError;
import dev.lathe.llm.LlmEvent;
import dev.lathe.llm.LlmRequest;
import dev.lathe.llm.LlmSink;
import dev.lathe.llm.Protocol;
import dev.lathe.llm.Provider;
import dev.lathe.llm.http.SseTransport;
import dev.lathe.llm.http.StreamDriver;
import dev.lathe.llm.http.StreamOutcome;
import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code anthropic-messages} protocol: {@code POST {baseUrl}/messages} with {@code stream: true}. */
public final class AnthropicMessages implements Protocol {
    public static final String ID = "anthropic-messages";
    static final String API_VERSION = "2023-06-01";

    private static final AnthropicCodec CODEC = new AnthropicCodec();

    private final StreamDriver driver;

    public AnthropicMessages(SseTransport transport) {
        this.driver = new StreamDriver(transport);
    }

    @Override public String id() { return ID; }

    @Override
    public LlmEvent.Finished stream(Provider provider, LlmRequest request, LlmSink sink, Cancellation cancel) {
        return driver.run(provider.id(), provider.endpoint("/messages"), headers(provider), Encoder.body(request), cancel, sink, new Decoder(), AnthropicMessages::httpError);
    }

    static LlmError httpError(StreamOutcome.HttpFailure h) {
        return CODEC.decodeError(h.status(), h.body(), h.headers());
    }

    private static Map<String, String> headers(Provider provider) {
        Map<String, String> h = new LinkedHashMap<>();
        provider.apiKey().ifPresent(k -> h.put("x-api-key", k.value()));
        h.put("anthropic-version", API_VERSION);
        h.putAll(provider.headers());
        return h;
    }
}
