package dev.lathe.llm.responses;

import dev.lathe.llm.Cancellation;
import dev.lathe.llm.LlmError;
import dev.lathe.llm.LlmEvent;
import dev.lathe.llm.LlmRequest;
import dev.lathe.llm.LlmSink;
import dev.lathe.llm.Protocol;
import dev.lathe.llm.Provider;
import dev.lathe.llm.http.SseTransport;
import dev.lathe.llm.openai.OpenAiHosts;
import dev.lathe.llm.http.RequestBody;
import dev.lathe.llm.http.StreamDriver;
import dev.lathe.llm.http.StreamOutcome;
import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code openai-responses} protocol: {@code POST {baseUrl}/responses} with {@code stream: true}. */
public final class OpenAiResponses implements Protocol {
    public static final String ID = "openai-responses";

    private static final ResponsesCodec CODEC = new ResponsesCodec();

    private final StreamDriver driver;

    public OpenAiResponses(SseTransport transport) {
        this.driver = new StreamDriver(transport);
    }

    @Override public String id() { return ID; }

    @Override
    public LlmEvent.Finished stream(Provider provider, LlmRequest request, LlmSink sink, Cancellation cancel) {
        RequestBody body = Encoder.BODIES.body(request, Encoder.Dialect.of(provider.baseUrl()));
        return driver.run(provider.id(), provider.endpoint("/responses"), headers(provider), body, cancel, sink, new Decoder(), OpenAiResponses::httpError);
    }

    static LlmError httpError(StreamOutcome.HttpFailure h) {
        return CODEC.decodeError(h.status(), h.body(), h.headers());
    }

    /** Azure takes its resource keys in {@code api-key}; everyone else a bearer token. */
    static Map<String, String> headers(Provider provider) {
        Map<String, String> h = new LinkedHashMap<>();
        boolean azure = OpenAiHosts.isAzure(provider.baseUrl());
        provider.apiKey().ifPresent(k -> h.put(azure ? "api-key" : "Authorization", azure ? k.value() : "Bearer " + k.value()));
        h.putAll(provider.headers());
        return h;
    }
}
