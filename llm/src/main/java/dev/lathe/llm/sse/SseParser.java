package dev.lathe.llm.sse;

import java.util.Optional;

/**
 * Incremental SSE parser: feed it lines (without their line ending), get an event at each blank line. Handles
 * comments ({@code :}), multi-line data, a missing space after the colon, and ignores {@code id:}/{@code retry:}.
 * An event whose data passes {@code maxEventChars} fails with {@link SseTooLarge} (a stream of endless {@code data:}
 * lines without the blank line that ends an event). Pure and not thread-safe: one per stream.
 */
public final class SseParser {
    /**
     * The default limit of one event and one line, in characters. Providers send deltas of a few bytes; the largest
     * legitimate event is a final one that repeats the whole answer (OpenAI Responses' {@code response.completed}), so
     * the limit is well above the size of an answer worth keeping, and far below what would hurt the server.
     */
    public static final int MAX_EVENT_CHARS = 32 << 20;

    private final int maxEventChars;
    private String event = "";
    private final StringBuilder data = new StringBuilder();
    private boolean hasData;

    public SseParser() { this(MAX_EVENT_CHARS); }

    public SseParser(int maxEventChars) { this.maxEventChars = maxEventChars; }

    /**
     * Returns the completed event when {@code line} is the blank line that ends one.
     *
     * @throws SseTooLarge when the event's data passes the limit
     */
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
                if (data.length() + value.length() + 1 > maxEventChars) {
                    throw new SseTooLarge("one event of the stream is larger than " + SseTooLarge.size(maxEventChars));
                }
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
