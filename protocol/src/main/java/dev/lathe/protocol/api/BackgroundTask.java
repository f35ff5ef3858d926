package dev.lathe.protocol.api;

import java.util.Objects;
import java.util.Optional;

/**
 * A background subagent ({@code task} with {@code background: true}, DESIGN §18): {@code status} is {@code running},
 * {@code completed}, {@code failed} or {@code cancelled}; {@code endedAt} (millis) once it ended. Its id is its child
 * session's.
 */
public record BackgroundTask(String status, String agent, String description, long startedAt, Optional<Long> endedAt) {
    public BackgroundTask {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(endedAt, "endedAt");
    }
}
