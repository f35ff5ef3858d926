package dev.lathe.llm.http;

import dev.lathe.llm.Cancellation;
import dev.lathe.llm.eventstream.EventStreamException;
import dev.lathe.llm.eventstream.EventStreamMessage;
import dev.lathe.llm.eventstream.EventStreamPayloads;
import dev.lathe.llm.eventstream.EventStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The binary counterpart of {@link SseTransport}: POSTs a JSON body and reads the response as AWS event-stream
 * messages (Bedrock {@code converse-stream}), handing each to the caller as {@code {"<eventType>": payload}}
 * (exceptions as {@code {"<exceptionType>": payload}}). A message whose checksum fails ends the stream as
 * {@link StreamOutcome.Broken} saying it is malformed. Same contract otherwise: never throws, closes on cancellation.
 */
public final class EventStreamTransport implements StreamTransport {
    private final BlockingHttp http;

    public EventStreamTransport(HttpClient client) {
        this.http = BlockingHttp.over(client);
    }

    @Override
    public StreamOutcome exchange(URI url, Map<String, String> headers, RequestBody body, Cancellation cancel, Predicate<String> onPayload) {
        return StreamingPost.send(http, url, headers, body, "application/vnd.amazon.eventstream", cancel, in -> {
            var reader = new EventStreamReader(in);
            try {
                Optional<EventStreamMessage> message;
                while ((message = reader.next()).isPresent()) {
                    Optional<String> line = EventStreamPayloads.asJsonLine(message.get());
                    if (line.isPresent() && !onPayload.test(line.get())) return new StreamOutcome.Ended();
                }
            } catch (EventStreamException e) {
                if (cancel.isCancelled()) return new StreamOutcome.Cancelled();
                return new StreamOutcome.Broken("malformed event stream: " + e.getMessage());
            }
            return cancel.isCancelled() ? new StreamOutcome.Cancelled() : new StreamOutcome.Ended();
        });
    }
}
