package dev.lathe.core.store.sqlite;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Whether the database file can be trusted, checked once at open: its header says it is a SQLite database, and
 * {@code PRAGMA quick_check} (every page and index read once, without the cross-checks of {@code integrity_check}:
 * about a second per GB on a warm disk) finds nothing wrong. Only the damage SQLite itself names — a malformed page or
 * index, a file that is not a database — makes a file {@link Verdict.Damaged}; any other failure to open it (no
 * permission, locked, a full disk) is an error for the caller, and the file is left alone.
 */
final class DatabaseCheck {
    /** What every SQLite 3 file starts with. */
    private static final byte[] MAGIC = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);
    /** SQLite's primary result codes for a damaged file. */
    private static final int SQLITE_CORRUPT = 11;
    private static final int SQLITE_NOTADB = 26;
    /** quick_check reports at most this many problems: enough to say what is wrong. */
    private static final int MAX_PROBLEMS = 5;

    private DatabaseCheck() {}

    /** What the check found. */
    sealed interface Verdict {
        /** Absent, empty, or a database that passed the check: open it. */
        record Sound() implements Verdict {}

        /** The file is damaged or no database at all; {@code why} says what SQLite found. */
        record Damaged(String why, DatabaseHeader header) implements Verdict {}
    }

    /**
     * Checks {@code file} on a connection of its own (closed before returning).
     *
     * @throws SQLException when it cannot be opened or read for a reason other than damage
     * @throws IOException when its header cannot be read
     */
    static Verdict of(Path file) throws SQLException, IOException {
        if (!Files.exists(file) || Files.size(file) == 0) return new Verdict.Sound();
        DatabaseHeader header = DatabaseHeader.read(file);
        if (!header.isSqlite()) return new Verdict.Damaged("not a SQLite database (its first bytes are not a SQLite header)", header);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
                Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout=5000");
            List<String> problems = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("PRAGMA quick_check(" + MAX_PROBLEMS + ")")) {
                while (rs.next()) problems.add(rs.getString(1));
            }
            if (problems.equals(List.of("ok"))) return new Verdict.Sound();
            // one line: the reason goes into a log line and a notice line
            return new Verdict.Damaged("PRAGMA quick_check found: " + String.join("; ", problems).replaceAll("\\s*\\R\\s*", "; "), header);
        } catch (SQLException e) {
            int primary = e.getErrorCode() & 0xff;
            if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB) {
                return new Verdict.Damaged(e.getMessage().replaceAll("\\s*\\R\\s*", "; "), header);
            }
            throw e;
        }
    }

    /**
     * The first 100 bytes of a database file, as far as the check needs them: the magic string, the
     * {@code user_version} Lathe keeps equal to its schema version ({@link Migrations}), and the version number of the
     * SQLite library that wrote the file last.
     */
    record DatabaseHeader(boolean isSqlite, int userVersion, int writtenBySqlite) {
        static DatabaseHeader read(Path file) throws IOException {
            byte[] head = new byte[100];
            int n;
            try (InputStream in = Files.newInputStream(file)) {
                n = in.readNBytes(head, 0, head.length);
            }
            boolean sqlite = n >= MAGIC.length && Arrays.equals(head, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
            if (!sqlite || n < head.length) return new DatabaseHeader(sqlite, 0, 0);
            return new DatabaseHeader(true, bigEndian(head, 60), bigEndian(head, 96));
        }

        private static int bigEndian(byte[] b, int at) {
            return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
        }
    }
}
