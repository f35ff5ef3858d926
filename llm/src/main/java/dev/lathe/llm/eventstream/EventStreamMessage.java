package dev.lathe.llm.eventstream;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One message of an {@code application/vnd.amazon.eventstream} body: headers in wire order and the payload bytes.
 * The well-known headers are {@code :message-type} ({@code event}, {@code exception} or {@code error}),
 * {@code :event-type}, {@code :exception-type}, {@code :error-code}/{@code :error-message} and {@code :content-type}.
 */
public record EventStreamMessage(Map<String, HeaderValue> headers, byte[] payload) {
    public EventStreamMessage {
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        payload = payload.clone();
    }

    @Override public byte[] payload() { return payload.clone(); }

    /** A string header's value; absent when missing or of another type. */
    public Optional<String> text(String name) {
        return headers.get(name) instanceof HeaderValue.Text t ? Optional.of(t.value()) : Optional.empty();
    }

    public String payloadText() { return new String(payload, StandardCharsets.UTF_8); }

    @Override public boolean equals(Object o) {
        return o instanceof EventStreamMessage m && headers.equals(m.headers) && Arrays.equals(payload, m.payload);
    }

    @Override public int hashCode() { return 31 * headers.hashCode() + Arrays.hashCode(payload); }

    @Override public String toString() { return "EventStreamMessage[headers=" + headers + ", payload=" + payload.length + " bytes]"; }
}
