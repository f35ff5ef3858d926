package dev.lathe.core.store.sqlite;

import dev.lathe.core.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Forward-only numbered migrations from {@code db/migration/} (listed in {@code index.txt}, since a jar cannot be
 * listed cheaply). Pending ones run in one transaction after a backup copy of a non-empty database
 * ({@link Backups#beforeUpgrade}: none is ever migrated without one). A database with versions this binary does not
 * know (written by a newer Lathe) is refused before it gets here ({@link SchemaVersion#refuseNewer}), and again here
 * should one have been upgraded meanwhile.
 *
 * <p>The schema version is also kept in the file's header ({@code PRAGMA user_version}), where it can be read even
 * when this SQLite cannot parse the schema: a newer Lathe's database is then never mistaken for a damaged one
 * ({@link DamagedDatabase}).
 */
final class Migrations {
    record Migration(int version, String name, String sql) {}

    private Migrations() {}

    static List<Migration> bundled() {
        List<Migration> out = new ArrayList<>();
        for (String line : resource("db/migration/index.txt").split("\n")) {
            String name = line.strip();
            if (name.isEmpty()) continue;
            int version = Integer.parseInt(name.substring(1, name.indexOf("__")));
            out.add(new Migration(version, name, resource("db/migration/" + name)));
        }
        return out;
    }

    static void apply(Connection c, Path file) throws SQLException, IOException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)");
        }
        int current = currentVersion(c);
        if (current > latestVersion()) {
            throw new StoreException("cannot open database " + file + ": it was written by a newer Lathe (schema version " + current
                    + ", this one knows up to " + latestVersion() + "): use the newer Lathe", null);
        }
        List<Migration> pending = bundled().stream().filter(m -> m.version() > current).toList();
        if (pending.isEmpty()) {
            recordInHeader(c, current);
            return;
        }
        if (current > 0) Backups.beforeUpgrade(c, file);
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            for (Migration m : pending) {
                for (String statement : statements(m.sql())) s.execute(statement);
                s.execute("INSERT INTO schema_version(version, name, applied_at) VALUES (" + m.version() + ", '"
                        + m.name().replace("'", "''") + "', " + System.currentTimeMillis() + ")");
            }
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
        recordInHeader(c, pending.getLast().version());
    }

    /** The highest schema version this binary bundles. */
    static int latestVersion() {
        return bundled().getLast().version();
    }

    /** Sets {@code user_version} to {@code version} unless it says so already (a header write, once per upgrade). */
    private static void recordInHeader(Connection c, int version) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA user_version")) {
            if (rs.next() && rs.getInt(1) == version) return;
        }
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA user_version = " + version);
        }
    }

    static int currentVersion(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    /** Splits a migration into statements on semicolons at line ends; comments are dropped. */
    static List<String> statements(String sql) {
        List<String> out = new ArrayList<>();
        var current = new StringBuilder();
        for (String line : sql.split("\n")) {
            int comment = line.indexOf("--");
            String code = comment >= 0 ? line.substring(0, comment) : line;
            if (code.isBlank()) continue;
            current.append(code).append('\n');
            if (code.strip().endsWith(";")) {
                out.add(current.toString().strip());
                current.setLength(0);
            }
        }
        if (!current.isEmpty()) out.add(current.toString().strip());
        return out;
    }

    private static String resource(String path) {
        try (InputStream in = Migrations.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) throw new IllegalStateException("missing resource " + path);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + path, e);
        }
    }
}
