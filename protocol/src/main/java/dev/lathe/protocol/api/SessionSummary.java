package dev.lathe.protocol.api;

import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.SessionStatus;
import java.util.Objects;
import java.util.Optional;

/**
 * One row of the session board ({@code GET /board}): the session, what it is doing, how full its context was at its
 * last step ({@code contextTokens} of {@code contextLimit}; a limit of 0 is unknown) and, when its last answer failed
 * and it is idle, that {@code failure}'s message. {@code task} is there when the session is a background task
 * ({@code task} with {@code background: true}, DESIGN §18) that the node answering started, as the children route
 * lists it. {@code team} is there when the session leads an agent team or is one of its members.
 */
public record SessionSummary(Session session, SessionStatus status, long contextTokens, int contextLimit, Optional<String> failure,
        Optional<BackgroundTask> task, Optional<TeamPlace> team) {
    public SessionSummary {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(failure, "failure");
        task = task == null ? Optional.empty() : task;
        team = team == null ? Optional.empty() : team;
    }

    /** A row of a session that is no background task and in no agent team. */
    public SessionSummary(Session session, SessionStatus status, long contextTokens, int contextLimit, Optional<String> failure) {
        this(session, status, contextTokens, contextLimit, failure, Optional.empty(), Optional.empty());
    }
}
