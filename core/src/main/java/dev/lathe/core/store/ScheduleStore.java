package dev.lathe.core.store;

import dev.lathe.protocol.ScheduleId;
import dev.lathe.protocol.SessionId;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Cron schedules (DESIGN §18 "Schedules") and their runs. A run is claimed for one due time ({@link #claim}): the row
 * keyed by schedule and time is the lease of that run, written once in the database every node of a team server
 * shares, so however many nodes look at a due schedule at once, one runs it. The same statement serves one process, so
 * a restart within the minute it ran does not run it again.
 */
public interface ScheduleStore {
    /**
     * A schedule as kept: {@code owner} is the team server's user who made it ({@code ""}: the one user of a server
     * without accounts); {@code directory} or {@code repo} says where its runs work; times are epoch milliseconds;
     * {@code environment} the owner's {@code LATHE_NETWORK} and {@code LATHE_CONFIG} when they added it (never a key).
     */
    record Stored(ScheduleId id, String owner, String cron, String zone, Optional<String> directory, Optional<String> repo, String message,
            long createdAt, Map<String, String> environment) {
        public Stored {
            environment = environment == null ? Map.of() : Map.copyOf(environment);
        }
    }

    /** One run: the due time it was claimed for, the node that claimed it, and the session it started (once started). */
    record Run(ScheduleId schedule, long slotAt, String node, Optional<SessionId> session) {}

    /**
     * Adds {@code schedule} unless its owner has {@code maxPerOwner} schedules already: the count and the insert are one
     * step on every node, so adds at once never pass the cap. Returns how many the owner had before, the schedule added
     * only when that is below the cap.
     */
    long add(Stored schedule, int maxPerOwner);

    /** Every schedule, oldest first. */
    List<Stored> list();

    Optional<Stored> find(ScheduleId id);

    /** Removes the schedule and its runs' records (the sessions they started stay); false when there was none. */
    boolean remove(ScheduleId id);

    /** The run claimed for the latest due time, if any. */
    Optional<Run> lastRun(ScheduleId id);

    /**
     * Claims the run of {@code id} due at {@code slotAt} for {@code node}: true for exactly one caller across every node
     * sharing the store, false for the rest (and for a schedule removed meanwhile). Older runs' records beyond the last
     * few are let go.
     */
    boolean claim(ScheduleId id, long slotAt, String node);

    /** The claimed run of {@code id} at {@code slotAt} started {@code session}. */
    void started(ScheduleId id, long slotAt, SessionId session);
}
