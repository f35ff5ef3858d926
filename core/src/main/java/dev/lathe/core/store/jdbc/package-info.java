/**
 * The stores of the storage port written once in SQL for both adapters ({@link dev.lathe.core.store.jdbc.JdbcStorage}):
 * one store class per table family with explicit SQL, against the small {@link dev.lathe.core.store.jdbc.Database}
 * that SQLite's {@code Db} and PostgreSQL's {@code PgDb} implement; the few fragments the engines write differently
 * (JSON reads, "insert or ignore", a recursive CTE's seed) rendered by {@link dev.lathe.core.store.jdbc.SqlDialect}.
 * Work that spans tables shares one transaction through package-private helpers taking the connection. Protocol
 * records are stored as JSON in a {@code data} column through {@code WireJson}. Imports protocol, the port
 * ({@code core.store}), and {@code core.permission} for the rules the approval store keeps; never an adapter.
 */
package dev.lathe.core.store.jdbc;
