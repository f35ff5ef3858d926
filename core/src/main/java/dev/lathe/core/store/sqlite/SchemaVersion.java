package dev.lathe.core.store.sqlite;

import dev.lathe.core.store.StoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The schema version a database file holds, read without writing to it — not a header byte, not a {@code -wal} or
 * {@code -shm} file — so that a database of a newer Lathe is refused exactly as it was found. The version is the
 * highest of the header's {@code user_version} (kept equal to the schema version since decision 85), the same value as
 * SQLite reads it with pending transactions, and the highest row of {@code schema_version} (all a database made before
 * decision 85 has).
 */
final class SchemaVersion {
    private SchemaVersion() {}

    /** The highest schema version this binary bundles. */
    static int bundled() {
        return Migrations.latestVersion();
    }

    /**
     * The version {@code file} holds: 0 when it is absent, empty, no SQLite file, or has no Lathe schema yet. A file
     * SQLite cannot read is judged by its header alone (whether it is damaged is {@link DatabaseCheck}'s to say).
     */
    static int stored(Path file) throws IOException {
        if (!Files.exists(file) || Files.size(file) == 0) return 0;
        DatabaseCheck.DatabaseHeader header = DatabaseCheck.DatabaseHeader.read(file);
        if (!header.isSqlite()) return 0;
        int version = header.userVersion();
        try (Connection c = openWithoutWriting(file); Statement s = c.createStatement()) {
            version = Math.max(version, number(s, "PRAGMA user_version"));
            if (number(s, "SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' AND name = 'schema_version'") > 0) {
                version = Math.max(version, number(s, "SELECT COALESCE(MAX(version), 0) FROM schema_version"));
            }
        } catch (SQLException e) {
            // unreadable here: the header's version is all there is to go on
        }
        return version;
    }

    /**
     * Refuses a database written by a newer Lathe before anything opens it for writing.
     *
     * @throws StoreException naming the file, its schema version and this Lathe's
     */
    static void refuseNewer(Path file) throws IOException {
        int stored = stored(file);
        int bundled = bundled();
        if (stored <= bundled) return;
        throw new StoreException("cannot open database " + file + ": it was written by a newer Lathe (schema version " + stored
                + ", this one knows up to " + bundled + "); it was left untouched: use the newer Lathe, or `lathe db restore` "
                + "lists the backups beside it, among them the one made before that Lathe upgraded it", null);
    }

    /**
     * A connection that cannot write {@code file} nor create anything beside it. Without a {@code -wal} file beside
     * it, everything committed is in the main file and no process has it open in WAL mode: {@code immutable} reads it
     * without locks or side files (a plain read-only connection to a WAL database would create {@code -wal} and
     * {@code -shm} and leave both behind). With one, committed transactions may still be in it: a read-only connection
     * reads them (creating at most the {@code -shm} index when a crash left none).
     */
    static Connection openWithoutWriting(Path file) throws SQLException {
        Path absolute = file.toAbsolutePath();
        Connection c;
        if (Files.exists(absolute.resolveSibling(absolute.getFileName() + "-wal"))) {
            var config = new org.sqlite.SQLiteConfig();
            config.setReadOnly(true);
            config.setBusyTimeout(5000);
            c = config.createConnection("jdbc:sqlite:" + absolute);
        } else {
            c = DriverManager.getConnection("jdbc:sqlite:" + absolute.toUri() + "?immutable=1");
        }
        return c;
    }

    private static int number(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }
}
