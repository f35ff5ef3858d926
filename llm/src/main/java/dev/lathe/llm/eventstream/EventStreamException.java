package dev.lathe.llm.eventstream;

import java.io.IOException;

/** The bytes are not a well-formed event-stream: a checksum mismatch, an impossible length or
 * a header that does not fit. (A stream that ends inside a message is an {@link java.io.EOFException}.) */
public final class EventStreamException extends IOException {
    public EventStreamException(String message) {
        super(message);
    }
}
