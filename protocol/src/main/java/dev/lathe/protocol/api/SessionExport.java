package dev.lathe.protocol.api;

import dev.lathe.protocol.session.Session;
import java.util.List;

/**
 * A whole session as one JSON document ({@code lathe export}, {@code GET /sessions/{id}/export}), including the
 * messages a revert hides; {@code POST /sessions/import} takes it back unchanged. {@code format} is
 * {@value #FORMAT}.
 */
public record SessionExport(String format, Session session, List<MessageWithParts> messages) {
    public static final String FORMAT = "lathe.session/1";

    public SessionExport {
        messages = List.copyOf(messages);
    }

    public static SessionExport of(Session session, List<MessageWithParts> messages) { return new SessionExport(FORMAT, session, messages); }
}
