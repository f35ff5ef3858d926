package dev.lathe.protocol.api;

import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.session.Usage;
import java.util.List;

/** Answer of {@code GET /sessions/{id}/usage}: the session's totals and each assistant message's share. */
public record SessionUsage(SessionId sessionId, Usage usage, long cost, List<MessageUsage> messages) {
    public SessionUsage {
        messages = List.copyOf(messages);
    }
}
