package dev.lathe.llm.http;

import dev.lathe.llm.Cancellation;
import java.net.URI;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A streamed JSON POST whose response is cut into event payloads, whatever its framing: SSE {@code data:} texts
 * ({@link SseTransport}) or AWS event-stream messages as {@code {"<eventType>": payload}} lines
 * ({@link EventStreamTransport}). Never throws for network or HTTP failures: they come back as a {@link StreamOutcome};
 * cancellation aborts the request or closes the body stream at once.
 */
public interface StreamTransport {
    /**
     * @param onPayload called on the calling thread for each payload in order; returns false to stop reading (the
     *     protocol saw its terminal event)
     */
    StreamOutcome exchange(URI url, Map<String, String> headers, RequestBody body, Cancellation cancel, Predicate<String> onPayload);
}
