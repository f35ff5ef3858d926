package dev.lathe.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Splits a {@code text/event-stream} into events as the HTML SSE rules say: {@code field: value} lines (one
 * optional space after the colon), {@code :} comments, several {@code data:} lines joined with {@code \n}, an event
 * dispatched at a blank line and only if it has data. Lines may end in LF, CR or CRLF.
 */
final class SseReader implements AutoCloseable {
    /** One dispatched event; {@code event} is {@code message} when the stream named none. */
    record Frame(Optional<String> id, String event, String data) {}

    private final BufferedReader reader;

    SseReader(InputStream in) {
        this.reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }

    /** The next event, or empty at the end of the stream (a trailing event without blank line is discarded). */
    Optional<Frame> next() throws IOException {
        Optional<String> id = Optional.empty();
        String event = "";
        var data = new StringBuilder();
        boolean hasData = false;
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.isEmpty()) {
                if (hasData) return Optional.of(new Frame(id, event.isEmpty() ? "message" : event, data.toString()));
                id = Optional.empty();
                event = "";
                continue;
            }
            if (line.startsWith(":")) continue;
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) value = value.substring(1);
            switch (field) {
                case "id" -> id = Optional.of(value);
                case "event" -> event = value;
                case "data" -> {
                    if (hasData) data.append('\n');
                    data.append(value);
                    hasData = true;
                }
                default -> { }  // "retry" and unknown fields are ignored, as the SSE rules require
            }
        }
        return Optional.empty();
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
