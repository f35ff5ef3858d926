package dev.lathe.llm.sse;

import java.util.Optional;

/**
 * Incremental SSE parser: feed it lines (without their line ending), get an event at each blank line. Handles
 * comments ({@code :}), multi-line data, a missing space after the colon, and ignores {@code id:}/{@code retry:}.
 * Pure and not thread-safe: one per stream.
 */
public final class SseParser {
    private String event = "";
    private final StringBuilder data = new StringBuilder();
    private boolean hasData;

    /** Returns the completed event when {@code line} is the blank line that ends one. */
    public Optional<SseEvent> line(String line) {
        if (line.isEmpty()) return dispatch();
        if (line.startsWith(":")) return Optional.empty();
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) value = value.substring(1);
        switch (field) {
            case "event" -> event = value.strip();
            case "data" -> {
                if (hasData) data.append('\n');
                data.append(value);
                hasData = true;
            }
            default -> { }
        }
        return Optional.empty();
    }

    /** Ends the stream: an event not yet terminated by a blank line is still delivered. */
    public Optional<SseEvent> finish() { return dispatch(); }

    private Optional<SseEvent> dispatch() {
        if (!hasData) {
            event = "";
            return Optional.empty();
        }
        var out = new SseEvent(event.isEmpty() ? "message" : event, data.toString());
        event = "";
        data.setLength(0);
        hasData = false;
        return Optional.of(out);
    }
}
