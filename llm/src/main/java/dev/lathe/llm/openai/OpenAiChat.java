package dev.lathe.llm.openai;

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
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code openai-chat} protocol: {@code POST {baseUrl}/chat/completions} with {@code stream: true}. */
public final class OpenAiChat implements Protocol {
    public static final String ID = "openai-chat";

    private static final OpenAiChatCodec CODEC = new OpenAiChatCodec();

    private final StreamDriver driver;

    public OpenAiChat(SseTransport transport) {
        this.driver = new StreamDriver(transport);
    }

    @Override public String id() { return ID; }

    @Override
    public LlmEvent.Finished stream(Provider provider, LlmRequest request, LlmSink sink, Cancellation cancel) {
        return driver.run(provider.id(), provider.endpoint("/chat/completions"), headers(provider), Encoder.BODIES.body(request, limitField(provider.baseUrl())), cancel, sink, new Decoder(), OpenAiChat::httpError);
    }

    static LlmError httpError(StreamOutcome.HttpFailure h) {
        return CODEC.decodeError(h.status(), h.body(), h.headers());
    }

    static Encoder.TokenLimitField limitField(URI baseUrl) {
        return OpenAiHosts.isOpenAi(baseUrl) ? Encoder.TokenLimitField.MAX_COMPLETION_TOKENS : Encoder.TokenLimitField.MAX_TOKENS;
    }

    private static Map<String, String> headers(Provider provider) {
        Map<String, String> h = new LinkedHashMap<>();
        provider.apiKey().ifPresent(k -> h.put("Authorization", "Bearer " + k.value()));
        h.putAll(provider.headers());
        return h;
    }
}
