/**
 * The PostgreSQL adapter of the storage port ({@link dev.lathe.core.store.postgresql.PostgresStorage}, DESIGN §20): the
 * team server's store, on the official JDBC driver behind a HikariCP pool, opened by the composition root only when a
 * {@code postgresql://} store URL is given (neither library is loaded otherwise). The same numbered migrations as the
 * SQLite adapter in PostgreSQL's dialect ({@link dev.lathe.core.store.postgresql.PgMigrations}); the stores are
 * {@code core.store.jdbc}'s, shared with the SQLite adapter, in the PostgreSQL dialect (JSON reads as {@code jsonb},
 * "insert or ignore", a CTE's seed); writes through one writer thread per node
 * ({@link dev.lathe.core.store.postgresql.PgDb}); a node's presence as an advisory lock on a connection of its own.
 * URLs and messages never carry the password ({@link dev.lathe.core.store.postgresql.PostgresUrl}). Also the
 * PostgreSQL adapter of the cluster port ({@link dev.lathe.core.store.postgresql.PgCluster}: the common event log,
 * session leases, shared asks and statuses, fleet tasks). Imports protocol, the ports ({@code core.store},
 * {@code core.cluster}, {@code core.bus}'s events, {@code core.reply}'s asks) and {@code core.store.jdbc}.
 */
package dev.lathe.core.store.postgresql;
