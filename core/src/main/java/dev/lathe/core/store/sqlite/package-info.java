/**
 * The SQLite adapter of the storage port ({@link dev.lathe.core.store.sqlite.SqliteStorage}, DESIGN §4): one database
 * file, WAL, synchronous=FULL, a single writer thread whose queued writes share a transaction
 * ({@link dev.lathe.core.store.sqlite.Db#write}, and {@link dev.lathe.core.store.sqlite.Db#writeBehind} for a caller
 * that need not wait for the commit), numbered forward-only migrations after a backup copy
 * ({@link dev.lathe.core.store.sqlite.Backups}, which also backs up and restores on request), a database of a newer
 * Lathe refused unwritten, the integrity check of {@code lathe db check}
 * ({@link dev.lathe.core.store.sqlite.IntegrityCheck}), one store class per table family with explicit SQL (the work
 * that spans tables shares one transaction through package-private helpers taking the connection), and the lease that
 * says who may repair ({@link dev.lathe.core.store.sqlite.DatabaseLease}). Protocol records are stored as JSON in a
 * {@code data} column through {@code WireJson}. Imports protocol, the port ({@code core.store}), and
 * {@code core.permission} for the rules the approval store keeps.
 */
package dev.lathe.core.store.sqlite;
