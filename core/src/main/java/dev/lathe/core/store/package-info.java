/**
 * SQLite storage (DESIGN §4): one database file, WAL, synchronous=FULL, a single writer thread, numbered
 * forward-only migrations, and one store class per table family with explicit SQL. Protocol records are stored as
 * JSON in a {@code data} column through {@code WireJson}. Imports protocol only.
 */
package dev.lathe.core.store;
