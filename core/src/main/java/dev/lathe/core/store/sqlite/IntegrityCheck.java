package dev.lathe.core.store.sqlite;

import dev.lathe.core.store.StoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * {@code lathe db check}: SQLite's full {@code PRAGMA integrity_check} (every page, index and constraint, unlike the
 * {@code quick_check} each open runs, {@link DatabaseCheck}) on a connection that only reads, safe while a server
 * writes; with the schema version the file holds and how many sessions it has.
 */
public final class IntegrityCheck {
    /** integrity_check reports at most this many problems: enough to say what is wrong. */
    private static final int MAX_PROBLEMS = 20;

    private IntegrityCheck() {}

    /**
     * What the check found: {@code problems} is empty when the file is intact; {@code sessions} is empty when it could
     * not be counted (a damaged file).
     */
    public record Report(Path database, int schemaVersion, int bundledVersion, OptionalLong sessions, List<String> problems) {
        public boolean intact() { return problems.isEmpty(); }
    }

    /**
     * Checks {@code database}.
     *
     * @throws StoreException when there is no database there, or it cannot be opened for a reason other than damage
     */
    public static Report of(Path database) {
        try {
            if (!Files.exists(database) || Files.size(database) == 0) throw new StoreException("no database at " + database + " yet", null);
            int version = SchemaVersion.stored(database);
            if (!DatabaseCheck.DatabaseHeader.read(database).isSqlite()) {
                return new Report(database, version, SchemaVersion.bundled(), OptionalLong.empty(),
                        List.of("not a SQLite database (its first bytes are not a SQLite header)"));
            }
            try (Connection c = Backups.reader(database)) {
                try (Statement s = c.createStatement()) {
                    s.execute("PRAGMA query_only=ON");
                }
                List<String> problems = problems(c);
                return new Report(database, version, SchemaVersion.bundled(), sessions(c), problems);
            } catch (SQLException e) {
                if (!damage(e)) throw e;
                return new Report(database, version, SchemaVersion.bundled(), OptionalLong.empty(), List.of(oneLine(e.getMessage())));
            }
        } catch (SQLException | IOException e) {
            throw SqliteErrors.of("cannot check " + database, database, e);
        }
    }

    /** The problems integrity_check finds in a file nothing writes (a backup), read without writing to it. */
    static List<String> problems(Path file) throws SQLException {
        try (Connection c = SchemaVersion.openWithoutWriting(file)) {
            return problems(c);
        } catch (SQLException e) {
            if (!damage(e)) throw e;
            return List.of(oneLine(e.getMessage()));
        }
    }

    private static List<String> problems(Connection c) throws SQLException {
        List<String> found = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA integrity_check(" + MAX_PROBLEMS + ")")) {
            while (rs.next()) found.add(oneLine(rs.getString(1)));
        }
        return found.equals(List.of("ok")) ? List.of() : found;
    }

    private static OptionalLong sessions(Connection c) {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM session")) {
            return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
        } catch (SQLException e) {
            return OptionalLong.empty();  // no session table (not a Lathe database), or it is damaged
        }
    }

    /** SQLite said the file is damaged or no database ({@code SQLITE_CORRUPT}, {@code SQLITE_NOTADB}). */
    private static boolean damage(SQLException e) {
        int primary = e.getErrorCode() & 0xff;
        return primary == 11 || primary == 26;
    }

    private static String oneLine(String s) {
        return s.replaceAll("\\s*\\R\\s*", "; ");
    }
}
