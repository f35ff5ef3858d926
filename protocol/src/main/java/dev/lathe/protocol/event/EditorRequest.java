package dev.lathe.protocol.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.lathe.protocol.SessionId;
import java.util.Locale;
import java.util.Optional;

/**
 * A tool of session {@code sessionId} asks the editor attached to it (attachment {@code attachmentId}) to read
 * ({@code op} {@code read}: answer the file's text, its open buffer if it has one) or to write ({@code write}: put
 * {@code content} in its buffer and save the file) the file at {@code path} (absolute, inside the session's directory).
 * The client answers with {@code POST /editor/{id}} within {@link #TIMEOUT_SECONDS} seconds; after that the tool gives up
 * (a read falls back to the disk, a write fails) and the attachment ends.
 *
 * <p>The {@code editor.requested} event carries no {@code content}, only its {@code size} (UTF-8 bytes; 0 for a read):
 * a write's text (up to megabytes) would otherwise stay in the server's replay ring and reach every client of the
 * project. The attached client fetches the whole request with {@code GET /editor/{id}} while it waits.
 */
public record EditorRequest(String id, SessionId sessionId, String attachmentId, Operation op, String path, Optional<String> content,
        long size, long time) {
    /** This request as its event carries it: without the content. */
    public EditorRequest withoutContent() { return new EditorRequest(id, sessionId, attachmentId, op, path, Optional.empty(), size, time); }

    /** How long a tool waits for the answer. */
    public static final int TIMEOUT_SECONDS = 10;

    /** What the editor is asked to do. */
    public enum Operation {
        READ, WRITE;

        @JsonValue
        public String wire() { return name().toLowerCase(Locale.ROOT); }

        @JsonCreator
        public static Operation fromWire(String value) {
            for (var op : values()) if (op.wire().equals(value)) return op;
            throw new IllegalArgumentException("op must be read or write, not '" + value + "'");
        }
    }
}
