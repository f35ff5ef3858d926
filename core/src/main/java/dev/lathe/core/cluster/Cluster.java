package dev.lathe.core.cluster;

import dev.lathe.core.bus.SharedEvents;
import dev.lathe.core.reply.TeamAsks;

/**
 * The cluster port (DESIGN §20, issue 54): what the nodes that serve the same sessions share, beside the storage port.
 * One process is a cluster of one node ({@link LocalCluster}: events numbered in memory, every prompt taken by this
 * node's runner at once, asks and statuses its own); a team server's nodes share a PostgreSQL database
 * ({@code PgCluster}, whose parts are the {@code Pg*} classes of {@code core.store.postgresql}). The composition root
 * gets one with its storage ({@code StoreChoice}); every other class asks this port, the same way in both modes, and
 * none knows which store runs (a rule test, {@code ClusterAdaptersTest}, says so).
 *
 * <p>An adapter's parts live as long as the store it came with, and close with it.
 */
public interface Cluster {
    /** Who this node is to the others: its id, its lease and how many sessions it runs at once. */
    TeamNode node();

    /** Where the nodes' events meet: every event bus publishes through them. */
    SharedEvents events();

    /** Which node runs a session's turns, and the prompts that wait for one: every prompt is queued here. */
    SessionLeases leases();

    /** The open permission asks and questions, answered through any node. */
    TeamAsks asks();

    /** The statuses of the sessions the other nodes run. */
    TeamStatuses statuses();

    /** Fleet tasks ({@code lathe run --repo}): sessions in a repository each node clones for itself. */
    TaskStore tasks();

    /**
     * Who may use the server: the one user who holds {@code server.json}'s token (one process), or the accounts of the
     * store (a team server, DESIGN §20).
     */
    Users users();

    /** Who may use a server. */
    enum Users {
        /** The one user holding the token in {@code server.json}. */
        TOKEN_HOLDER,
        /** The accounts kept in the store ({@code AccountStore}). */
        ACCOUNTS
    }
}
