package dev.lathe.protocol.api;

import java.util.Optional;

/**
 * One schedule as {@code GET /schedules} lists it (DESIGN §18 "Schedules"): its cron expression and zone, where its runs
 * work ({@code directory}, or a fleet task's {@code repo}), the prompt, its owner (empty: the one user of a server
 * without accounts), when it was made, and its last run (the slot it ran for and the session that ran it) and next one
 * (epoch milliseconds).
 */
public record ScheduleInfo(String id, String cron, String zone, Optional<String> directory, Optional<String> repo, String message, String owner,
        long createdAt, Optional<Long> lastRunAt, Optional<String> lastSessionId, Optional<Long> nextRunAt) {}
