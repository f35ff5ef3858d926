package dev.lathe.protocol.api;

import dev.lathe.protocol.session.Session;
import java.util.Objects;
import java.util.Optional;

/**
 * A child session as {@code GET /sessions/{id}/children} and {@code GET /agents} list it: the session (its cost and
 * last activity included), its {@code status} ({@code running}, {@code waiting} (running, and waiting for an answer: an
 * ask, a question, a spend limit, as the session's own status says), {@code completed}, {@code failed}, {@code cancelled}
 * for a background task; {@code running}, {@code waiting} or {@code idle} for any other child) and, for a background
 * task, the task.
 */
public record ChildSession(Session session, String status, Optional<BackgroundTask> task) {
    public ChildSession {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(task, "task");
    }
}
