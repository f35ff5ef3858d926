package dev.lathe.protocol.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.session.Quota;
import dev.lathe.protocol.session.Usage;
import java.util.List;

/**
 * Answer of {@code GET /sessions/{id}/usage}: the session's totals and each assistant message's share;
 * {@code cacheHitRatio} (0–1) of its totals, and {@code quota}: the latest rate-limit window of each name its
 * responses reported (DESIGN §18 "Cost"), absent when none did.
 */
public record SessionUsage(SessionId sessionId, Usage usage, long cost, List<MessageUsage> messages, double cacheHitRatio,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Quota> quota) {
    public SessionUsage {
        messages = List.copyOf(messages);
        quota = quota == null ? List.of() : List.copyOf(quota);
    }
}
