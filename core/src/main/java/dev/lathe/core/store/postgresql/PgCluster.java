package dev.lathe.core.store.postgresql;

import dev.lathe.core.bus.SharedEvents;
import dev.lathe.core.cluster.Cluster;
import dev.lathe.core.cluster.SessionLeases;
import dev.lathe.core.cluster.TaskStore;
import dev.lathe.core.cluster.TeamNode;
import dev.lathe.core.cluster.TeamStatuses;
import dev.lathe.core.reply.TeamAsks;

/**
 * The PostgreSQL adapter of the {@link Cluster} port (DESIGN §20): the team server's nodes meet in the database of
 * their store. Its parts are the store's: the common event log ({@link PgEventLog}), the session leases and queue
 * ({@link PgSessionLeases}), the shared asks ({@link PgTeamAsks}) and statuses ({@link PgTeamStatuses}) and the fleet's
 * tasks; {@link PostgresStorage} opens them with the store and closes them with it.
 */
record PgCluster(TeamNode node, SharedEvents events, SessionLeases leases, TeamAsks asks, TeamStatuses statuses, TaskStore tasks)
        implements Cluster {
    @Override public Users users() { return Users.ACCOUNTS; }
}
