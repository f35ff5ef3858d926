package dev.lathe.core.cluster;

import dev.lathe.protocol.SessionId;
import java.util.Map;
import java.util.Optional;

/** The statuses of one process: it knows its own runs, and no other node runs anything. */
enum LocalStatuses implements TeamStatuses {
    INSTANCE;

    @Override public void announce(SessionId id, String json) {}

    @Override public Map<SessionId, String> elsewhere() { return Map.of(); }

    @Override public Optional<String> elsewhere(SessionId id) { return Optional.empty(); }
}
