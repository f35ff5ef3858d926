package dev.lathe.protocol.api;

import dev.lathe.protocol.MessageId;
import java.util.Optional;

/**
 * Body of {@code POST /sessions/{id}/fork}: the new session gets copies of the messages before {@code messageId}
 * (every message when empty).
 */
public record ForkRequest(Optional<MessageId> messageId) {
    public static final ForkRequest ALL = new ForkRequest(Optional.empty());
}
