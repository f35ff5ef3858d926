package dev.lathe.llm.openai;

import dev.lathe.llm.Cancellation;
import dev.lathe.llm.LlmError;
import dev.lathe.llm.LlmEvent;
import dev.lathe.llm.LlmRequest;
import dev.lathe.llm.LlmSink;
import dev.lathe.llm.Protocol;
import dev.lathe.llm.Provider;
import dev.lathe.llm.http.ErrorClassifier;
import dev.lathe.llm.http.SseTransport;
import dev.lathe.llm.http.StreamOutcome;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;

/** The {@code openai-chat} protocol: {@code POST {baseUrl}/chat/completions} with {@code stream: true}. */
public final class OpenAiChat implements Protocol {
    public static final String ID = "openai-chat";

    private final SseTransport transport;

    public OpenAiChat(SseTransport transport) {
        this.transport = transport;
    }

    @Override public String id() { return ID; }

    @Override
    public LlmEvent.Finished stream(Provider provider, LlmRequest request, LlmSink sink, Cancellation cancel) {
        var decoder = new Decoder();
        LlmEvent.Finished[] finished = {null};
        StreamOutcome outcome = transport.post(endpoint(provider.baseUrl()), headers(provider), Encoder.encode(request, limitField(provider.baseUrl())), cancel, event -> {
            for (LlmEvent e : decoder.decode(event.data())) {
                sink.accept(e);
                if (e instanceof LlmEvent.Finished f) finished[0] = f;
            }
            return !decoder.isDone();
        });
        if (finished[0] != null) return finished[0];
        LlmEvent.Finished last = switch (outcome) {
            case StreamOutcome.Ended _ -> {
                LlmEvent.Finished f = LlmEvent.Finished.failed(new LlmError.Transport("the stream ended before the response was complete"));
                for (LlmEvent e : decoder.end()) {
                    if (e instanceof LlmEvent.Finished done) f = done; else sink.accept(e);
                }
                yield f;
            }
            case StreamOutcome.HttpFailure h -> LlmEvent.Finished.failed(httpError(h));
            case StreamOutcome.Broken b -> LlmEvent.Finished.failed(new LlmError.Transport(b.message()));
            case StreamOutcome.Cancelled _ -> LlmEvent.Finished.failed(new LlmError.Transport("cancelled"));
        };
        sink.accept(last);
        return last;
    }

    static LlmError httpError(StreamOutcome.HttpFailure h) {
        try {
            LlmError e = Decoder.error(Encoder.JSON.readTree(h.body()), h.status());
            return withRetryAfter(e, h.headers());
        } catch (JacksonException e) {
            return withRetryAfter(ErrorClassifier.classify(new ErrorClassifier.Failure(h.status(), "", "", h.body().strip()), h.headers()), h.headers());
        }
    }

    private static LlmError withRetryAfter(LlmError e, Map<String, String> headers) {
        return switch (e) {
            case LlmError.RateLimited r -> new LlmError.RateLimited(ErrorClassifier.retryAfter(headers).or(r::retryAfter), r.message());
            case LlmError.Overloaded o -> new LlmError.Overloaded(ErrorClassifier.retryAfter(headers).or(o::retryAfter), o.message());
            case LlmError.ContextOverflow _, LlmError.Unauthorized _, LlmError.InvalidRequest _, LlmError.Transport _, LlmError.Stalled _ -> e;
        };
    }

    static Encoder.TokenLimitField limitField(URI baseUrl) {
        String host = baseUrl.getHost() == null ? "" : baseUrl.getHost();
        return host.equals("api.openai.com") || host.endsWith(".openai.azure.com")
                ? Encoder.TokenLimitField.MAX_COMPLETION_TOKENS : Encoder.TokenLimitField.MAX_TOKENS;
    }

    static URI endpoint(URI baseUrl) {
        String base = baseUrl.toString();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/chat/completions");
    }

    private static Map<String, String> headers(Provider provider) {
        Map<String, String> h = new LinkedHashMap<>();
        provider.apiKey().ifPresent(k -> h.put("Authorization", "Bearer " + k.value()));
        h.putAll(provider.headers());
        return h;
    }
}
