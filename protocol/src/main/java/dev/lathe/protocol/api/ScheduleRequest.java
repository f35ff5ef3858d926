package dev.lathe.protocol.api;

import java.util.Optional;

/**
 * Body of {@code POST /schedules} (DESIGN §18 "Schedules"): a five-field cron expression read in {@code zone} (an IANA
 * zone id; absent: UTC), the prompt {@code message}, and where it runs: the project folder {@code directory}, or with
 * {@code repo} a git URL a team server's node clones for the run (a fleet task, DESIGN §20). Who owns the schedule is
 * the caller of the route: the server sets {@code owner} ({@link #ownedBy}) over whatever a client sent.
 */
public record ScheduleRequest(String cron, Optional<String> zone, Optional<String> directory, Optional<String> repo, String message, String owner) {
    /** A request as a client sends it: the server names the owner. */
    public ScheduleRequest(String cron, Optional<String> zone, Optional<String> directory, Optional<String> repo, String message) {
        this(cron, zone, directory, repo, message, "");
    }

    public ScheduleRequest {
        owner = owner == null ? "" : owner;
        // a JSON body that leaves a field out maps it to null
        zone = zone == null ? Optional.empty() : zone.filter(z -> !z.isBlank());
        directory = directory == null ? Optional.empty() : directory.filter(d -> !d.isBlank());
        repo = repo == null ? Optional.empty() : repo.filter(r -> !r.isBlank());
    }

    /** This request made by {@code user} (a team server's account; {@code ""}: the one user of a server without accounts). */
    public ScheduleRequest ownedBy(String user) { return new ScheduleRequest(cron, zone, directory, repo, message, user); }
}
