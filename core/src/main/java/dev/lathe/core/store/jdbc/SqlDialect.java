package dev.lathe.core.store.jdbc;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The few SQL fragments the stores write differently on each engine; everything else is one statement valid on both
 * (a boolean sum as {@code SUM(CASE ...)}, a CTE read as {@code IN (SELECT id FROM tree)}). SQLite's forms are the
 * ones its adapter always used, so its expression indexes and plans stay as they were.
 */
public enum SqlDialect {
    SQLITE {
        @Override
        String jsonNumber(String column, String path) { return jsonText(column, path); }

        @Override
        String jsonText(String column, String path) { return "json_extract(" + column + ", '$." + path + "')"; }

        @Override
        String treeSeed() { return "SELECT ?"; }

        @Override
        String insertOrIgnore(String into) { return "INSERT OR IGNORE INTO " + into; }

        /** One writer at a time already: a write transaction holds the whole file. */
        @Override
        Optional<String> keyLock() { return Optional.empty(); }
    },
    POSTGRESQL {
        /** Cast: {@code #>>} gives text, and a sum of text is no number. */
        @Override
        String jsonNumber(String column, String path) { return "(" + jsonText(column, path) + ")::bigint"; }

        /** The {@code data} columns are {@code TEXT} (one migration source with SQLite), read as {@code jsonb}. */
        @Override
        String jsonText(String column, String path) {
            return "((" + column + ")::jsonb #>> '{" + Arrays.stream(path.split("\\.")).collect(Collectors.joining(",")) + "}')";
        }

        /** A bare {@code SELECT ?} has no type PostgreSQL can infer for the CTE's column: seed from the row. */
        @Override
        String treeSeed() { return "SELECT id FROM session WHERE id = ?"; }

        @Override
        String insertOrIgnore(String into) { return "INSERT INTO " + into + " ON CONFLICT DO NOTHING"; }

        @Override
        Optional<String> keyLock() { return Optional.of("SELECT pg_advisory_xact_lock(hashtext(?))"); }
    };

    /**
     * A statement taking a lock on one text key until the transaction ends, so a count and the write it allows are one
     * step for every node (a cap per owner); empty where writes are serialised anyway.
     */
    abstract Optional<String> keyLock();

    /** The number at {@code path} (dot-separated keys) in the JSON text of {@code column}, NULL when absent. */
    abstract String jsonNumber(String column, String path);

    /** The value at {@code path} (dot-separated keys) in the JSON text of {@code column}, as text, NULL when absent. */
    abstract String jsonText(String column, String path);

    /** The seed of a recursive CTE over session ids: the session named by the parameter. */
    abstract String treeSeed();

    /** {@code INSERT INTO} {@code into} (table, columns and values) that does nothing when the row is there already. */
    abstract String insertOrIgnore(String into);
}
