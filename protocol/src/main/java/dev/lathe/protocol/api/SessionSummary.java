package dev.lathe.protocol.api;

import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.SessionStatus;
import java.util.Objects;
import java.util.Optional;

/**
 * One row of the session board ({@code GET /board}): the session, what it is doing, how full its context was at its
 * last step ({@code contextTokens} of {@code contextLimit}; a limit of 0 is unknown) and, when its last answer failed
 * and it is idle, that {@code failure}'s message.
 */
public record SessionSummary(Session session, SessionStatus status, long contextTokens, int contextLimit, Optional<String> failure) {
    public SessionSummary {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(failure, "failure");
    }
}
