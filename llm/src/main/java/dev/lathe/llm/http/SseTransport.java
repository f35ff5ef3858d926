package dev.lathe.llm.http;

import dev.lathe.llm.Cancellation;
import dev.lathe.llm.sse.SseEvent;
import dev.lathe.llm.sse.SseParser;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;

/**
 * POSTs a JSON body and hands each server-sent event of the response to the caller, on the calling thread.
 * Never throws for network or HTTP failures: they come back as a {@link StreamOutcome}. Cancellation aborts the
 * request or closes the body stream at once.
 */
public final class SseTransport implements StreamTransport {
    private final HttpClient client;

    public SseTransport(HttpClient client) {
        this.client = client;
    }

    /** Each event's {@code data:} text is the payload. */
    @Override
    public StreamOutcome exchange(URI url, Map<String, String> headers, byte[] body, Cancellation cancel, Predicate<String> onPayload) {
        return post(url, headers, body, cancel, event -> onPayload.test(event.data()));
    }

    /**
     * @param onEvent returns false to stop reading (the protocol saw its terminal event)
     */
    public StreamOutcome post(URI url, Map<String, String> headers, byte[] body, Cancellation cancel, Predicate<SseEvent> onEvent) {
        var builder = HttpRequest.newBuilder(url)
                .timeout(Duration.ofMinutes(10))
                .header("Content-Type", "application/json")
                .header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(builder::header);
        return StreamingPost.send(client, builder.build(), cancel, in -> {
            var parser = new SseParser();
            var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                var event = parser.line(line);
                if (event.isPresent() && !onEvent.test(event.get())) return new StreamOutcome.Ended();
            }
            var last = parser.finish();
            if (last.isPresent()) onEvent.test(last.get());
            return cancel.isCancelled() ? new StreamOutcome.Cancelled() : new StreamOutcome.Ended();
        });
    }

    /** Failures that happen before a connection exists, so nothing of the request was sent. */
    public static boolean unreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.ConnectException || t instanceof java.net.http.HttpConnectTimeoutException
                    || t instanceof java.net.UnknownHostException || t instanceof java.nio.channels.UnresolvedAddressException) {
                return true;
            }
        }
        return false;
    }
}
