/**
 * The SQLite adapter of the storage port ({@link dev.lathe.core.store.sqlite.SqliteStorage}, DESIGN §4): one database
 * file, WAL, synchronous=FULL, a single writer thread whose queued writes share a transaction
 * ({@link dev.lathe.core.store.sqlite.Db#write}, and {@link dev.lathe.core.store.sqlite.Db#writeBehind} for a caller
 * that need not wait for the commit), numbered forward-only migrations after a backup copy
 * ({@link dev.lathe.core.store.sqlite.Backups}, which also backs up and restores on request), a database of a newer
 * Lathe refused unwritten, the integrity check of {@code lathe db check}
 * ({@link dev.lathe.core.store.sqlite.IntegrityCheck}), and the lease that says who may repair
 * ({@link dev.lathe.core.store.sqlite.DatabaseLease}). The stores are {@code core.store.jdbc}'s, shared with the
 * PostgreSQL adapter, over this {@code Db} in the SQLite dialect. Imports protocol, the port ({@code core.store}) and
 * {@code core.store.jdbc}.
 */
package dev.lathe.core.store.sqlite;
