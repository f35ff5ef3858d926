package dev.lathe.core.store.postgresql;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code lathe db check} on a PostgreSQL store: what can go wrong there that PostgreSQL does not already prevent. Its
 * foreign keys keep messages and parts from outliving their session, and its pages and indexes are checked by
 * {@code pg_amcheck}, so Lathe looks at what is its own: the migration history (every version from 1 on, none missing),
 * indexes left invalid by an interrupted build, constraints added without validation, and the team server's lease and
 * work rows (which have no foreign key: a session deleted while queued leaves one behind).
 *
 * @param problems what makes the store unsafe to run on (exit 1)
 * @param notes    what is worth knowing and harmless (stale lease or work rows, interrupted parts no node took over yet)
 */
public record PgIntegrity(List<String> problems, List<String> notes) {

    static PgIntegrity read(Statement s, int schemaVersion) throws SQLException {
        List<String> problems = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        if (schemaVersion > 0) {
            try (ResultSet rs = s.executeQuery("SELECT v FROM generate_series(1, " + schemaVersion + ") v"
                    + " WHERE v NOT IN (SELECT version FROM schema_version) ORDER BY v")) {
                List<String> missing = new ArrayList<>();
                while (rs.next()) missing.add(Integer.toString(rs.getInt(1)));
                if (!missing.isEmpty()) problems.add("migrations missing from schema_version: " + String.join(", ", missing));
            }
        }
        try (ResultSet rs = s.executeQuery("SELECT i.indexrelid::regclass::text FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid"
                + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND NOT (i.indisvalid AND i.indisready)"
                + " ORDER BY 1")) {
            while (rs.next()) problems.add("index " + rs.getString(1) + " is invalid (an interrupted build): REINDEX INDEX " + rs.getString(1));
        }
        try (ResultSet rs = s.executeQuery("SELECT conname, conrelid::regclass::text FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace"
                + " WHERE n.nspname = current_schema() AND NOT c.convalidated ORDER BY 1")) {
            while (rs.next()) problems.add("constraint " + rs.getString(1) + " on " + rs.getString(2) + " is not validated: "
                    + "ALTER TABLE " + rs.getString(2) + " VALIDATE CONSTRAINT " + rs.getString(1));
        }
        if (exists(s, "session_lease")) {
            long stale = count(s, "SELECT count(*) FROM session_lease l WHERE NOT EXISTS (SELECT 1 FROM session s WHERE s.id = l.session_id)");
            if (stale > 0) notes.add(stale + " lease rows name deleted sessions (harmless: they expire)");
            long queued = count(s, "SELECT count(*) FROM session_work w WHERE NOT EXISTS (SELECT 1 FROM session s WHERE s.id = w.session_id)");
            if (queued > 0) notes.add(queued + " queued work rows name deleted sessions (harmless: a node drops them)");
            long open = count(s, "SELECT count(DISTINCT p.session_id) FROM part p WHERE p.status IN ('pending', 'running')"
                    + " AND NOT EXISTS (SELECT 1 FROM session_lease l WHERE l.session_id = p.session_id AND l.expires_at >= now())");
            if (open > 0) notes.add(open + " sessions have tool calls left running with no live lease: the next node to take them (or to start alone)"
                    + " closes them as interrupted");
        }
        return new PgIntegrity(List.copyOf(problems), List.copyOf(notes));
    }

    static boolean exists(Statement s, String table) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT to_regclass('public." + table + "') IS NOT NULL")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private static long count(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
