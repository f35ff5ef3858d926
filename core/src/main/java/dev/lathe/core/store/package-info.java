/**
 * SQLite storage (DESIGN §4): one database file, WAL, synchronous=FULL, a single writer thread whose queued writes
 * share a transaction ({@link dev.lathe.core.store.Db#write}, and {@link dev.lathe.core.store.Db#writeBehind} for a
 * caller that need not wait for the commit), numbered forward-only migrations after a backup copy
 * ({@link dev.lathe.core.store.Backups}, which also backs up and restores on request), a database of a newer Lathe
 * refused unwritten, the integrity check of {@code lathe db check} ({@link dev.lathe.core.store.IntegrityCheck}), one
 * store class per table family with
 * explicit SQL, the start-up repair of what a crash left open ({@link dev.lathe.core.store.Recovery}) and the lease
 * that says who may repair ({@link dev.lathe.core.store.DatabaseLease}). Protocol records are stored as JSON in a
 * {@code data} column through {@code WireJson}. Imports protocol, and {@code core.permission} for the rules
 * {@link dev.lathe.core.store.ApprovalStore} keeps.
 */
package dev.lathe.core.store;
