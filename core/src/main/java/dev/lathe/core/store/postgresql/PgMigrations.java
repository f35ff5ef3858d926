package dev.lathe.core.store.postgresql;

import dev.lathe.core.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The same numbered migrations as SQLite's ({@code db/migration/index.txt} and its files: one source), in PostgreSQL's
 * dialect ({@link #dialect}): SQLite's {@code INTEGER} (64 bits there) is {@code BIGINT}, and its {@code TEXT} compares
 * bytewise as SQLite's default collation does ({@code COLLATE "C"}: ids are ordered and compared as ranges, whatever
 * locale the database was created with). A migration that cannot be written in both dialects has a PostgreSQL form of
 * its own in {@code db/migration/postgresql/} (only V006, a data migration with SQLite's JSON functions).
 *
 * <p>All pending migrations run in one transaction (PostgreSQL's DDL is transactional: a failure leaves the schema as it
 * was) under an advisory lock, so nodes starting together migrate once. A database at a version this binary does not
 * know (a newer Lathe's) is refused unchanged. There is no backup copy as SQLite's: backing up a server is its
 * operator's ({@code pg_dump}, {@code lathe db backup} says so).
 */
final class PgMigrations {
    record Migration(int version, String name, String sql) {}

    /** The advisory lock key the migrations run under ("lathe" in ASCII: any constant that other software is unlikely to take). */
    static final long MIGRATION_LOCK = 0x6c61746865L;
    private static final Pattern INTEGER = Pattern.compile("\\bINTEGER\\b");
    private static final Pattern TEXT = Pattern.compile("\\bTEXT\\b");

    private PgMigrations() {}

    static List<Migration> bundled() {
        List<Migration> out = new ArrayList<>();
        for (String line : resource("db/migration/index.txt").split("\n")) {
            String name = line.strip();
            if (name.isEmpty()) continue;
            int version = Integer.parseInt(name.substring(1, name.indexOf("__")));
            String own = optionalResource("db/migration/postgresql/" + name);
            out.add(new Migration(version, name, own != null ? own : dialect(resource("db/migration/" + name))));
        }
        return out;
    }

    /** SQLite's DDL as PostgreSQL's: the two type names that differ in meaning (see the class comment). */
    static String dialect(String sqlite) {
        return TEXT.matcher(INTEGER.matcher(sqlite).replaceAll("BIGINT")).replaceAll("TEXT COLLATE \"C\"");
    }

    static int latestVersion() {
        return bundled().getLast().version();
    }

    /** Applies what is pending; returns the version the database is at. */
    static int apply(Connection c, PostgresUrl url) throws SQLException {
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_advisory_xact_lock(" + MIGRATION_LOCK + ")");
            s.execute("CREATE TABLE IF NOT EXISTS schema_version (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)");
            int current = currentVersion(c);
            int latest = latestVersion();
            if (current > latest) {
                throw new StoreException("cannot open the PostgreSQL store, " + url.describe() + ": it was written by a newer Lathe (schema version "
                        + current + ", this one knows up to " + latest + "): use the newer Lathe", null);
            }
            for (Migration m : bundled()) {
                if (m.version() <= current) continue;
                String code = withoutComments(m.sql());
                if (!code.isBlank()) s.execute(code);
                try (var ps = c.prepareStatement("INSERT INTO schema_version(version, name, applied_at) VALUES (?,?,?)")) {
                    ps.setInt(1, m.version());
                    ps.setString(2, m.name());
                    ps.setLong(3, System.currentTimeMillis());
                    ps.executeUpdate();
                }
            }
            c.commit();
            return Math.max(current, latest);
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    static int currentVersion(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    private static String withoutComments(String sql) {
        var out = new StringBuilder();
        for (String line : sql.split("\n")) {
            int comment = line.indexOf("--");
            out.append(comment >= 0 ? line.substring(0, comment) : line).append('\n');
        }
        return out.toString();
    }

    private static String resource(String path) {
        String text = optionalResource(path);
        if (text == null) throw new IllegalStateException("missing resource " + path);
        return text;
    }

    private static String optionalResource(String path) {
        try (InputStream in = PgMigrations.class.getClassLoader().getResourceAsStream(path)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + path, e);
        }
    }
}
