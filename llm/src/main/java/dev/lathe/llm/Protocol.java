package dev.lathe.llm;

/**
 * One wire API (e.g. {@code anthropic-messages}). {@link #stream} blocks the calling (virtual) thread while the
 * response streams, handing each normalised event to the sink in order.
 *
 * <p>Contract: never throws for provider or network failures; they end the stream with a
 * {@link LlmEvent.Finished} carrying an {@link LlmError}. The returned value is that same final event. When
 * {@code cancel} fires, the HTTP stream is closed and the method returns promptly with a {@code Finished}
 * whose error is a {@link LlmError.Transport} saying it was cancelled.
 */
public interface Protocol {
    String id();

    LlmEvent.Finished stream(Provider provider, LlmRequest request, LlmSink sink, Cancellation cancel);
}
