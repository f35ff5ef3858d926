package dev.lathe.core.store.sqlite;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Databases as an earlier Lathe left them: only migrations 1..N applied, the way the runner of that time applied them
 * (no {@code user_version}: the header got it only after schema version 6), and rows written in that version's shape —
 * the columns the tables then had, and the JSON bodies the protocol then wrote (no fields added since: a tool part's
 * state without {@code display} or {@code attachments} before version 6, no {@code providerMetadata} on tool parts, no
 * {@code promptHashes} on step starts). Every table a version had gets rows: projects, sessions with a subagent's child,
 * user and assistant messages with text, reasoning, tool and step parts, approvals (from 2), todo lists (from 3), a
 * fork's copied message (from 5).
 */
final class EarlierSchemas {
    /** What was written, to be read back through the current stores after the upgrade. */
    record Written(int version, String project, List<String> sessions, List<String> messages, List<String> parts, List<String> toolParts,
            String todoSession, String copiedMessage, String copiedFrom) {}

    private EarlierSchemas() {}

    /** Creates {@code file} at schema version {@code version}, with rows of that version's shape. */
    static Written create(Path file, int version) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath())) {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)");
                for (Migrations.Migration m : Migrations.bundled()) {
                    if (m.version() > version) break;
                    for (String statement : Migrations.statements(m.sql())) s.execute(statement);
                    s.execute("INSERT INTO schema_version(version, name, applied_at) VALUES (" + m.version() + ", '" + m.name() + "', 1700000000000)");
                }
            }
            return rows(c, version);
        }
    }

    private static Written rows(Connection c, int version) throws SQLException {
        String v = "v" + version;
        String project = "prj_" + v;
        String parent = "ses_" + v + "_1";
        String child = "ses_" + v + "_2";
        List<String> sessions = new ArrayList<>(List.of(parent, child));
        List<String> messages = new ArrayList<>();
        List<String> parts = new ArrayList<>();
        List<String> tools = new ArrayList<>();
        update(c, "INSERT INTO project(id, directory, created_at) VALUES (?, '/work/app', 1000)", project);
        session(c, parent, project, null, "fix the build");
        session(c, child, project, parent, "review the fix (@reviewer subagent)");

        String ask = "msg_" + v + "_01";
        String answer = "msg_" + v + "_02";
        message(c, ask, parent, "user", 1, "{\"role\":\"user\",\"id\":\"" + ask + "\",\"sessionId\":\"" + parent
                + "\",\"createdAt\":2000,\"agent\":\"build\",\"model\":\"anthropic/claude-sonnet-4-5\"}");
        message(c, answer, parent, "assistant", 1, "{\"role\":\"assistant\",\"id\":\"" + answer + "\",\"sessionId\":\"" + parent
                + "\",\"parentId\":\"" + ask + "\",\"agent\":\"build\",\"model\":\"anthropic/claude-sonnet-4-5\",\"createdAt\":2100,"
                + "\"completedAt\":2900,\"finish\":\"stop\",\"usage\":" + USAGE + ",\"cost\":4200}");
        messages.addAll(List.of(ask, answer));
        String p = "prt_" + v + "_";
        part(c, p + "01", ask, parent, "text", null, "{\"type\":\"text\",\"id\":\"" + p + "01\",\"sessionId\":\"" + parent + "\",\"messageId\":\"" + ask
                + "\",\"text\":\"the build fails on Main.java, fix it\",\"synthetic\":false}");
        part(c, p + "02", answer, parent, "step-start", null, "{\"type\":\"step-start\",\"id\":\"" + p + "02\",\"sessionId\":\"" + parent
                + "\",\"messageId\":\"" + answer + "\",\"snapshot\":\"4b825dc642cb6eb9a060e54bf8d69288fbee4904\"}");
        part(c, p + "03", answer, parent, "reasoning", null, "{\"type\":\"reasoning\",\"id\":\"" + p + "03\",\"sessionId\":\"" + parent
                + "\",\"messageId\":\"" + answer + "\",\"text\":\"a missing semicolon\",\"providerMetadata\":{}}");
        String display = version >= 6 ? ",\"display\":{\"type\":\"file_change\",\"files\":[\"src/Main.java\"],\"diff\":\"-a\\n+a;\\n\"}" : "";
        part(c, p + "04", answer, parent, "tool", "completed", "{\"type\":\"tool\",\"id\":\"" + p + "04\",\"sessionId\":\"" + parent
                + "\",\"messageId\":\"" + answer + "\",\"callId\":\"toolu_1\",\"tool\":\"edit\",\"state\":{\"status\":\"completed\","
                + "\"input\":{\"path\":\"src/Main.java\",\"oldString\":\"a\",\"newString\":\"a;\"},\"output\":\"Edited src/Main.java\","
                + "\"title\":\"src/Main.java\",\"metadata\":{\"path\":\"src/Main.java\",\"diff\":\"-a\\n+a;\\n\"},\"startedAt\":2200,\"endedAt\":2300"
                + display + "}}");
        part(c, p + "05", answer, parent, "tool", "failed", "{\"type\":\"tool\",\"id\":\"" + p + "05\",\"sessionId\":\"" + parent
                + "\",\"messageId\":\"" + answer + "\",\"callId\":\"toolu_2\",\"tool\":\"bash\",\"state\":{\"status\":\"failed\","
                + "\"input\":{\"command\":\"mvn -q test\"},\"error\":\"interrupted\",\"startedAt\":2400,\"endedAt\":2500}}");
        part(c, p + "06", answer, parent, "text", null, "{\"type\":\"text\",\"id\":\"" + p + "06\",\"sessionId\":\"" + parent + "\",\"messageId\":\"" + answer
                + "\",\"text\":\"Added the missing semicolon.\",\"synthetic\":false}");
        part(c, p + "07", answer, parent, "step-finish", null, "{\"type\":\"step-finish\",\"id\":\"" + p + "07\",\"sessionId\":\"" + parent
                + "\",\"messageId\":\"" + answer + "\",\"reason\":\"stop\",\"usage\":" + USAGE + ",\"cost\":4200}");
        parts.addAll(List.of(p + "01", p + "02", p + "03", p + "04", p + "05", p + "06", p + "07"));
        tools.addAll(List.of(p + "04", p + "05"));

        String childAsk = "msg_" + v + "_03";
        message(c, childAsk, child, "user", 1, "{\"role\":\"user\",\"id\":\"" + childAsk + "\",\"sessionId\":\"" + child
                + "\",\"createdAt\":3000,\"agent\":\"reviewer\",\"model\":\"anthropic/claude-sonnet-4-5\"}");
        part(c, p + "08", childAsk, child, "text", null, "{\"type\":\"text\",\"id\":\"" + p + "08\",\"sessionId\":\"" + child + "\",\"messageId\":\"" + childAsk
                + "\",\"text\":\"review src/Main.java\",\"synthetic\":true}");
        messages.add(childAsk);
        parts.add(p + "08");

        if (version >= 2) update(c, "INSERT INTO approval(project_id, permission, pattern, created_at) VALUES (?, 'bash', 'git status *', 4000)", project);
        if (version >= 3) {
            update(c, "INSERT INTO todo(session_id, updated_at, data) VALUES (?, 4100, ?)", parent,
                    "[{\"content\":\"fix Main.java\",\"status\":\"completed\",\"priority\":\"high\"},"
                            + "{\"content\":\"run the tests\",\"status\":\"in_progress\",\"priority\":\"medium\"}]");
        }
        String copied = null;
        if (version >= 5) {
            String fork = "ses_" + v + "_3";
            session(c, fork, project, null, "fix the build (fork)");
            sessions.add(fork);
            copied = "msg_" + v + "_04";
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO message(id, session_id, role, created_at, completed, data, copied_from) VALUES (?,?,?,?,?,?,?)")) {
                bind(ps, copied, fork, "user", 2000, 1, "{\"role\":\"user\",\"id\":\"" + copied + "\",\"sessionId\":\"" + fork
                        + "\",\"createdAt\":2000,\"agent\":\"build\",\"model\":\"anthropic/claude-sonnet-4-5\"}", ask);
                ps.executeUpdate();
            }
            part(c, p + "09", copied, fork, "text", null, "{\"type\":\"text\",\"id\":\"" + p + "09\",\"sessionId\":\"" + fork + "\",\"messageId\":\"" + copied
                    + "\",\"text\":\"the build fails on Main.java, fix it\",\"synthetic\":false}");
            messages.add(copied);
            parts.add(p + "09");
        }
        return new Written(version, project, sessions, messages, parts, tools, version >= 3 ? parent : null, copied, version >= 5 ? ask : null);
    }

    private static final String USAGE = "{\"input\":1200,\"output\":80,\"reasoning\":12,\"cacheRead\":1000,\"cacheWrite\":0}";

    private static void session(Connection c, String id, String project, String parent, String title) throws SQLException {
        update(c, "INSERT INTO session(id, project_id, directory, parent_id, created_at, updated_at, data) VALUES (?, ?, '/work/app', ?, 1500, 5000, ?)",
                id, project, parent, "{\"id\":\"" + id + "\",\"projectId\":\"" + project + "\",\"directory\":\"/work/app\""
                        + (parent == null ? "" : ",\"parentId\":\"" + parent + "\"") + ",\"title\":\"" + title + "\",\"agent\":\"build\","
                        + "\"model\":\"anthropic/claude-sonnet-4-5\",\"createdAt\":1500,\"updatedAt\":5000,\"usage\":" + USAGE + ",\"cost\":4200}");
    }

    private static void message(Connection c, String id, String session, String role, int completed, String data) throws SQLException {
        update(c, "INSERT INTO message(id, session_id, role, created_at, completed, data) VALUES (?, ?, ?, 2000, ?, ?)", id, session, role, completed, data);
    }

    private static void part(Connection c, String id, String message, String session, String type, String status, String data) throws SQLException {
        update(c, "INSERT INTO part(id, message_id, session_id, type, status, data) VALUES (?, ?, ?, ?, ?, ?)", id, message, session, type, status, data);
    }

    private static void update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            ps.executeUpdate();
        }
    }

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
    }
}
