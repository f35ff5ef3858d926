package dev.lathe.core.store.postgresql;

import dev.lathe.core.store.StoreException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * What {@code lathe doctor} and {@code lathe db check} say about a PostgreSQL store, read on one plain connection that
 * changes nothing (no pool, no migration, no repair): whether it is reachable, its schema version against this Lathe's,
 * how many sessions it holds, what {@link PgIntegrity} finds, and, for a node named, {@link PgNodeState}.
 *
 * @param schemaVersion 0 for a database no Lathe has migrated yet
 * @param sessions      -1 when the schema is not there yet
 * @param node          the node asked about, when one was and the team tables are there
 */
public record PostgresProbe(PostgresUrl url, int schemaVersion, int bundledVersion, long sessions, PgIntegrity integrity,
        java.util.Optional<PgNodeState> node) {
    /**
     * @throws StoreException naming the database, host, port and user (never the password) when the URL is malformed,
     *     the server unreachable or the login refused
     */
    public static PostgresProbe of(String text) {
        return of(text, java.util.Optional.empty());
    }

    /** Also how the database sees {@code node} (its connections, event lag, leases), when given. */
    public static PostgresProbe of(String text, java.util.Optional<String> node) {
        PostgresUrl url;
        try {
            url = PostgresUrl.parse(text);
        } catch (IllegalArgumentException e) {
            throw new StoreException(e.getMessage(), null);
        }
        Properties props = new Properties();
        props.setProperty("user", url.user());
        url.password().ifPresent(p -> props.setProperty("password", p));
        props.setProperty("connectTimeout", "5");
        props.setProperty("ApplicationName", "lathe-doctor");
        try (Connection c = new org.postgresql.Driver().connect(url.jdbcUrl(), props); Statement s = c.createStatement()) {
            c.setReadOnly(true);
            int version = 0;
            long sessions = -1;
            if (exists(s, "schema_version")) {
                try (ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
                    rs.next();
                    version = rs.getInt(1);
                }
            }
            if (exists(s, "session")) {
                try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM session")) {
                    rs.next();
                    sessions = rs.getLong(1);
                }
            }
            var integrity = PgIntegrity.read(s, version);
            var state = node.isPresent() && exists(s, "session_lease") ? java.util.Optional.of(PgNodeState.read(c, node.get()))
                    : java.util.Optional.<PgNodeState>empty();
            return new PostgresProbe(url, version, PgMigrations.latestVersion(), sessions, integrity, state);
        } catch (SQLException e) {
            throw new StoreException("cannot reach the PostgreSQL store, " + url.describe() + ": " + PgDb.reason(e), e);
        }
    }

    private static boolean exists(Statement s, String table) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT to_regclass('public." + table + "') IS NOT NULL")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }
}
