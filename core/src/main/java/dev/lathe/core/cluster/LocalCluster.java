package dev.lathe.core.cluster;

import dev.lathe.core.bus.LocalEvents;
import dev.lathe.core.bus.SharedEvents;
import dev.lathe.core.reply.LocalAsks;
import dev.lathe.core.reply.TeamAsks;

/**
 * The single-process adapter of the {@link Cluster} port: the embedded server and a {@code lathe serve} without a store
 * URL, one node alone. Its events are numbered in memory ({@link LocalEvents}), a queued prompt wakes this process's
 * runner at once ({@link LocalLeases}), asks are answered where they wait ({@link LocalAsks}), no other node has
 * statuses ({@link LocalStatuses}) and there is no fleet to send tasks to ({@link NoFleet}). Nothing here reads a
 * database.
 */
public final class LocalCluster implements Cluster {
    private final TeamNode node;
    private final LocalEvents events = new LocalEvents();
    private final LocalLeases leases = new LocalLeases();

    public LocalCluster(TeamNode node) {
        this.node = node;
    }

    /** One node of its own, for a test or a tool: a random id. */
    public static LocalCluster alone() { return new LocalCluster(TeamNode.random()); }

    @Override public TeamNode node() { return node; }

    @Override public SharedEvents events() { return events; }

    @Override public SessionLeases leases() { return leases; }

    @Override public TeamAsks asks() { return LocalAsks.INSTANCE; }

    @Override public TeamStatuses statuses() { return LocalStatuses.INSTANCE; }

    @Override public TaskStore tasks() { return NoFleet.INSTANCE; }

    @Override public Users users() { return Users.TOKEN_HOLDER; }
}
