/**
 * The cluster port ({@link dev.lathe.core.cluster.Cluster}, DESIGN §20): events, session leases and queueing, statuses,
 * fleet tasks and the node's identity, as the nodes serving the same sessions share them; team asks are its part too,
 * declared beside the brokers ({@code core.reply.TeamAsks}). The single-process adapter is here
 * ({@link dev.lathe.core.cluster.LocalCluster}, with the in-memory events of {@code core.bus} and the local asks of
 * {@code core.reply}); the PostgreSQL adapter is {@code core.store.postgresql.PgCluster}. Imports protocol,
 * {@code core.bus} and {@code core.reply}.
 */
package dev.lathe.core.cluster;
