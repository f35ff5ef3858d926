package dev.lathe.llm.http;

import dev.lathe.llm.Cancellation;
import dev.lathe.llm.sse.SseEvent;
import dev.lathe.llm.sse.SseLineReader;
import dev.lathe.llm.sse.SseParser;
import dev.lathe.llm.sse.SseTooLarge;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Predicate;

/**
 * POSTs a JSON body and hands each server-sent event of the response to the caller, on the calling thread.
 * Never throws for network or HTTP failures: they come back as a {@link StreamOutcome}. Cancellation aborts the
 * request or closes the body stream at once.
 */
public final class SseTransport implements StreamTransport {
    private final BlockingHttp http;

    public SseTransport(HttpClient client) {
        this.http = BlockingHttp.over(client);
    }

    /** Each event's {@code data:} text is the payload. */
    @Override
    public StreamOutcome exchange(URI url, Map<String, String> headers, RequestBody body, Cancellation cancel, Predicate<String> onPayload) {
        return post(url, headers, body, cancel, event -> onPayload.test(event.data()));
    }

    /**
     * @param onEvent returns false to stop reading (the protocol saw its terminal event)
     */
    public StreamOutcome post(URI url, Map<String, String> headers, RequestBody body, Cancellation cancel, Predicate<SseEvent> onEvent) {
        return StreamingPost.send(http, url, headers, body, "text/event-stream", cancel, in -> {
            var parser = new SseParser();
            var lines = new SseLineReader(new InputStreamReader(in, StandardCharsets.UTF_8), SseParser.MAX_EVENT_CHARS);
            var stray = new StringBuilder();
            int events = 0;
            try {
                String line;
                while ((line = lines.next()) != null) {
                    if (events == 0 && stray.length() < Excerpt.MAX && !isSse(line)) stray.append(line).append('\n');
                    var event = parser.line(line);
                    if (event.isPresent()) {
                        events++;
                        if (!onEvent.test(event.get())) return new StreamOutcome.Ended();
                    }
                }
                var last = parser.finish();
                if (last.isPresent()) {
                    events++;
                    onEvent.test(last.get());
                }
            } catch (SseTooLarge e) {
                return new StreamOutcome.Broken("the stream was stopped: " + e.getMessage());
            }
            if (cancel.isCancelled()) return new StreamOutcome.Cancelled();
            if (events == 0 && !stray.isEmpty()) {
                return new StreamOutcome.Unexpected("no server-sent events in the answer, which began: " + Excerpt.of(stray.toString()), java.util.Map.of());
            }
            return new StreamOutcome.Ended();
        });
    }

    /** A line SSE gives a meaning to, or one it ignores by design (a comment, a blank line). */
    private static boolean isSse(String line) {
        if (line.isEmpty() || line.startsWith(":")) return true;
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        return field.equals("data") || field.equals("event") || field.equals("id") || field.equals("retry");
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
