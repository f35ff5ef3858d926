package dev.lathe.core.exports;

import dev.lathe.protocol.api.HarnessExportResult;
import dev.lathe.protocol.api.HistoryImportRequest;
import dev.lathe.protocol.api.LatheException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * Writes a session into OpenCode's storage: the SQLite database {@code XDG_DATA_HOME/opencode/opencode.db} (default
 * {@code ~/.local/share}), where OpenCode 1.2 and later keep sessions, in one transaction. Only a database that has the
 * tables and columns OpenCode 1.18 writes, and a folder OpenCode knows as a project (it has run there), are written;
 * the JSON files of OpenCode before 1.2 are not (that OpenCode moves them into the database when it next starts).
 */
final class OpenCodeWriter {
    static final String NAME = "opencode";
    /** The columns written, by table, as OpenCode 1.18 has them (the session's agent and model only when present). */
    private static final Map<String, List<String>> NEEDED = Map.of(
            "session", List.of("id", "project_id", "parent_id", "slug", "directory", "title", "version", "time_created", "time_updated"),
            "message", List.of("id", "session_id", "time_created", "time_updated", "data"),
            "part", List.of("id", "message_id", "session_id", "time_created", "time_updated", "data"),
            "project", List.of("id", "worktree"));
    /** The version written on a session when the database has none of OpenCode's own yet. */
    private static final String FORMAT_VERSION = "1.18.33";

    private OpenCodeWriter() {}

    static HarnessExportResult write(ExportSource source, Path directory, HistoryImportRequest.Locations where) {
        Path home = where.home().map(Path::of).orElse(Path.of(System.getProperty("user.home")));
        Path data = where.xdgDataHome().map(Path::of).orElse(home.resolve(".local/share")).resolve("opencode");
        Path db = data.resolve("opencode.db");
        if (!Files.isRegularFile(db)) {
            if (Files.isDirectory(data.resolve("storage"))) {
                throw new LatheException.InvalidInput("OpenCode's storage in " + data + " is the JSON files of OpenCode before 1.2: run OpenCode 1.2 or later once "
                        + "(it moves them into opencode.db), then export again");
            }
            throw new LatheException.InvalidInput("OpenCode has no storage yet (no " + db + "): run opencode once, then export again");
        }
        NotCarried notCarried = new NotCarried();
        var rows = new OpenCodeRows(directory.toString(), notCarried);
        String id = rows.add(source, Optional.empty());
        Properties props = new Properties();
        props.setProperty("open_mode", "2");  // SQLITE_OPEN_READWRITE without CREATE: never a new database beside OpenCode's
        props.setProperty("busy_timeout", "5000");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db, props)) {
            Set<String> sessionColumns = check(c, db);
            String project = project(c, directory).orElseThrow(() -> new LatheException.InvalidInput("OpenCode does not know " + directory
                    + " (no project for it in " + db + "): run opencode there once, then export again"));
            String version = version(c);
            c.setAutoCommit(false);
            try {
                insert(c, rows, project, directory.toString(), version, sessionColumns.containsAll(List.of("agent", "model")));
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new LatheException.InvalidInput("cannot write OpenCode's database " + db + ": " + e.getMessage());
        }
        return new HarnessExportResult(NAME, id, directory.toString(), db.toString(), "cd " + Shell.quote(directory.toString()) + " && opencode --session " + id,
                notCarried.lines());
    }

    /** The session table's columns, after checking every table has those written; a database of another shape is refused. */
    private static Set<String> check(Connection c, Path db) throws SQLException {
        Set<String> sessionColumns = new HashSet<>();
        for (var table : NEEDED.entrySet()) {
            Set<String> columns = new HashSet<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT name FROM pragma_table_info(?)")) {
                ps.setString(1, table.getKey());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) columns.add(rs.getString(1));
                }
            }
            for (String column : table.getValue()) {
                if (!columns.contains(column)) {
                    throw new LatheException.InvalidInput("OpenCode's database " + db + " has no " + table.getKey() + "." + column
                            + ", which OpenCode 1.18 has: not an OpenCode Lathe can write to");
                }
            }
            if (table.getKey().equals("session")) sessionColumns.addAll(columns);
        }
        return sessionColumns;
    }

    /** OpenCode's project of {@code directory}: its worktree, one of its folders, or the project of a session there. */
    private static Optional<String> project(Connection c, Path directory) throws SQLException {
        String dir = directory.toString();
        String sql = "SELECT id FROM project WHERE worktree = ?1"
                + " UNION ALL SELECT project_id FROM session WHERE directory = ?1";
        boolean folders = hasTable(c, "project_directory");
        if (folders) sql = "SELECT id FROM project WHERE worktree = ?1 UNION ALL SELECT project_id FROM project_directory WHERE directory = ?1"
                + " UNION ALL SELECT project_id FROM session WHERE directory = ?1";
        try (PreparedStatement ps = c.prepareStatement(sql + " LIMIT 1")) {
            ps.setString(1, dir);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    private static boolean hasTable(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** The OpenCode version that wrote the newest session, so the new one says the version that reads it. */
    private static String version(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT version FROM session ORDER BY time_updated DESC LIMIT 1"); ResultSet rs = ps.executeQuery()) {
            return rs.next() && rs.getString(1) != null ? rs.getString(1) : FORMAT_VERSION;
        }
    }

    private static void insert(Connection c, OpenCodeRows rows, String project, String directory, String version, boolean agentAndModel) throws SQLException {
        String sessionSql = agentAndModel
                ? "INSERT INTO session (id, project_id, parent_id, slug, directory, title, version, time_created, time_updated, agent, model) VALUES (?,?,?,?,?,?,?,?,?,?,?)"
                : "INSERT INTO session (id, project_id, parent_id, slug, directory, title, version, time_created, time_updated) VALUES (?,?,?,?,?,?,?,?,?)";
        try (PreparedStatement ps = c.prepareStatement(sessionSql)) {
            for (var s : rows.sessions) {
                ps.setString(1, s.id());
                ps.setString(2, project);
                ps.setString(3, s.parentId().orElse(null));
                ps.setString(4, s.slug());
                ps.setString(5, directory);
                ps.setString(6, s.title());
                ps.setString(7, version);
                ps.setLong(8, s.createdAt());
                ps.setLong(9, s.updatedAt());
                if (agentAndModel) {
                    ps.setString(10, s.agent());
                    ps.setString(11, s.model());
                }
                ps.executeUpdate();
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO message (id, session_id, time_created, time_updated, data) VALUES (?,?,?,?,?)")) {
            for (var m : rows.messages) {
                ps.setString(1, m.id());
                ps.setString(2, m.sessionId());
                ps.setLong(3, m.createdAt());
                ps.setLong(4, m.createdAt());
                ps.setString(5, m.data().toString());
                ps.executeUpdate();
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO part (id, message_id, session_id, time_created, time_updated, data) VALUES (?,?,?,?,?,?)")) {
            for (var p : rows.parts) {
                ps.setString(1, p.id());
                ps.setString(2, p.messageId());
                ps.setString(3, p.sessionId());
                ps.setLong(4, p.createdAt());
                ps.setLong(5, p.createdAt());
                ps.setString(6, p.data().toString());
                ps.executeUpdate();
            }
        }
    }
}
