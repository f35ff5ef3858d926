package dev.lathe.app;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.PermissionId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.LatheApi;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.EventEnvelope;
import dev.lathe.protocol.event.PermissionReply;
import dev.lathe.protocol.event.PermissionRequest;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Message;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.PromptQueued;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.protocol.session.UserMessage;
import dev.lathe.protocol.wire.WireJson;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.sqlite.SQLiteConfig;

/**
 * The durability contract of DESIGN §4 checked after a kill -9 and a restart, against what the killed server had
 * announced: every completed part announced is stored with that content, nothing is left pending or running, and the
 * database file is sound. Collects every problem rather than stopping at the first, so one failure report says all.
 */
final class DurabilityCheck {
    private final List<String> problems = new ArrayList<>();

    List<String> problems() { return problems; }

    /**
     * Compares the last announcement of every part, message and session in {@code announced} (events of the killed
     * server) with the database file, and runs the global checks on the file.
     */
    void database(List<EventEnvelope> announced, List<MessageId> accepted, Path database) throws SQLException {
        Map<PartId, Part> parts = new LinkedHashMap<>();
        Map<PartId, StringBuilder> deltas = new LinkedHashMap<>();
        Map<MessageId, Message> messages = new LinkedHashMap<>();
        Map<SessionId, Session> sessions = new LinkedHashMap<>();
        Map<PermissionId, PermissionRequest> asks = new LinkedHashMap<>();
        List<PermissionRequest> always = new ArrayList<>();
        for (EventEnvelope e : announced) {
            switch (e.event()) {
                case Event.PartUpdated u -> parts.put(u.part().id(), u.part());
                case Event.PartDelta d -> deltas.computeIfAbsent(d.partId(), _ -> new StringBuilder()).append(d.delta());
                // taken back as announced: a queued prompt's mark when its turn started, a failed attempt's text
                case Event.PartRemoved r -> parts.remove(r.partId());
                case Event.MessageUpdated m -> messages.put(m.info().id(), m.info());
                case Event.SessionCreated c -> sessions.put(c.session().id(), c.session());
                case Event.SessionUpdated u -> sessions.put(u.session().id(), u.session());
                case Event.PermissionAsked a -> asks.put(a.request().id(), a.request());
                // a session-wide "always" (every edit of the session) lives in the server's memory, as the user was told
                case Event.PermissionReplied r when r.reply() == PermissionReply.ALWAYS && asks.containsKey(r.permissionId())
                        && asks.get(r.permissionId()).alwaysScope() == dev.lathe.protocol.event.ApprovalScope.PROJECT ->
                        always.add(asks.get(r.permissionId()));
                default -> { }
            }
        }
        var config = new SQLiteConfig();
        config.setReadOnly(true);
        try (Connection c = config.createConnection("jdbc:sqlite:" + database.toAbsolutePath())) {
            for (Part p : parts.values()) comparePart(p, storedPart(c, p.id()), deltas.get(p.id()));
            for (Message m : messages.values()) compareMessage(m, storedMessage(c, m.id()));
            for (Session s : sessions.values()) compareSession(s, one(c, "SELECT data FROM session WHERE id = ?", s.id().value())
                    .map(json -> WireJson.read(json, Session.class)));
            for (PermissionRequest a : always) {
                for (String pattern : a.always()) {
                    if (approvals(c, a.sessionId(), a.permission(), pattern) == 0) {
                        problems.add("\"always\" was announced for " + a.permission() + " " + pattern + " (ask " + a.id() + ") but no approval is stored");
                    }
                }
            }
            for (MessageId m : accepted) {
                if (count(c, "SELECT count(*) FROM message WHERE id = ? AND role = 'user'", m.value()) != 1) {
                    problems.add("prompt " + m + " was accepted (202) but is not stored");
                }
            }
            global(c);
        }
    }

    private void comparePart(Part announced, Optional<Part> stored, StringBuilder deltas) {
        String what = "part " + announced.id() + " (" + announced.getClass().getSimpleName() + ")";
        // the mark of a prompt queued behind a turn goes once the prompt's own turn starts: after the restart too, before
        // this check reads the file (the prompt itself is compared as a message)
        if (stored.isEmpty() && PromptQueued.marks(List.of(announced))) return;
        if (stored.isEmpty()) {
            problems.add(what + " was announced but is not stored: " + WireJson.write(announced));
            return;
        }
        Part db = stored.get();
        switch (announced) {
            case Part.Tool t when isFinal(t.state()) -> {
                if (!db.equals(t)) problems.add(what + " was announced " + ToolState.status(t.state()) + " as " + WireJson.write(t) + " but is stored as "
                        + WireJson.write(db));
            }
            case Part.Tool t -> {
                if (!(db instanceof Part.Tool d) || !isFinal(d.state())) problems.add(what + " is still open after the restart: " + WireJson.write(db));
                else if (!d.callId().equals(t.callId())) problems.add(what + " changed its call id: " + WireJson.write(db));
            }
            case Part.Text t -> {
                if (!(db instanceof Part.Text d) || !d.text().startsWith(t.text()) || d.synthetic() != t.synthetic()) {
                    problems.add(what + " was announced with text \"" + t.text() + "\" but is stored as " + WireJson.write(db));
                } else if (deltas != null && !consistent(d.text(), deltas)) {
                    problems.add(what + " is stored as \"" + d.text() + "\", which is not what was streamed: \"" + deltas + "\"");
                }
            }
            case Part.Reasoning r -> {
                if (!(db instanceof Part.Reasoning d) || !d.text().startsWith(r.text())) {
                    problems.add(what + " was announced with text \"" + r.text() + "\" but is stored as " + WireJson.write(db));
                } else if (deltas != null && !consistent(d.text(), deltas)) {
                    problems.add(what + " is stored as \"" + d.text() + "\", which is not what was streamed: \"" + deltas + "\"");
                }
            }
            // a step's finish is written twice: at once, then with the tree after the step once git has taken it (decision
            // 51); a kill between that second commit and its announcement leaves the stored row ahead, which is allowed
            case Part.StepFinish f when f.snapshot().isEmpty() && db instanceof Part.StepFinish d && d.snapshot().isPresent() -> {
                var withoutTree = new Part.StepFinish(d.id(), d.sessionId(), d.messageId(), d.reason(), d.usage(), d.cost(), java.util.Optional.empty());
                if (!withoutTree.equals(f)) problems.add(what + " was announced as " + WireJson.write(announced) + " but is stored as " + WireJson.write(db));
            }
            default -> {
                if (!db.equals(announced)) problems.add(what + " was announced as " + WireJson.write(announced) + " but is stored as " + WireJson.write(db));
            }
        }
    }

    /** Stored text and streamed text agree as far as both go (the client may have missed the last deltas, the row the last flush). */
    private static boolean consistent(String stored, StringBuilder streamed) {
        String s = streamed.toString();
        return s.startsWith(stored) || stored.startsWith(s);
    }

    /** A session row may be newer than its last announcement (written, then killed), never older or different at the same time. */
    private void compareSession(Session announced, Optional<Session> stored) {
        if (stored.isEmpty()) {
            problems.add("session " + announced.id() + " was announced but is not stored");
        } else if (stored.get().updatedAt() < announced.updatedAt()
                || stored.get().updatedAt() == announced.updatedAt() && !stored.get().equals(announced)) {
            problems.add("session " + announced.id() + " was announced as " + WireJson.write(announced) + " but is stored as " + WireJson.write(stored.get()));
        }
    }

    private void compareMessage(Message announced, Optional<Message> stored) {
        String what = "message " + announced.id();
        if (stored.isEmpty()) {
            problems.add(what + " was announced but is not stored: " + WireJson.write(announced));
            return;
        }
        switch (announced) {
            case UserMessage u -> {
                if (!stored.get().equals(u)) problems.add(what + " was announced as " + WireJson.write(u) + " but is stored as " + WireJson.write(stored.get()));
            }
            case AssistantMessage a when a.completedAt().isPresent() -> {
                if (!stored.get().equals(a)) {
                    problems.add(what + " was announced completed as " + WireJson.write(a) + " but is stored as " + WireJson.write(stored.get()));
                }
            }
            case AssistantMessage _ -> {
                if (!(stored.get() instanceof AssistantMessage d) || d.completedAt().isEmpty()) {
                    problems.add(what + " is still open after the restart: " + WireJson.write(stored.get()));
                }
            }
        }
    }

    /** Checks over the whole file: SQLite's own, nothing open, the status column agreeing with the JSON body. */
    private void global(Connection c) throws SQLException {
        List<String> integrity = strings(c, "PRAGMA integrity_check");
        if (!integrity.equals(List.of("ok"))) problems.add("PRAGMA integrity_check: " + integrity);
        List<String> foreign = strings(c, "PRAGMA foreign_key_check");
        if (!foreign.isEmpty()) problems.add("PRAGMA foreign_key_check: " + foreign);
        expectNone(c, "tool parts left pending or running", "SELECT id FROM part WHERE status IN ('pending', 'running')");
        expectNone(c, "tool parts whose status column disagrees with their state",
                "SELECT id FROM part WHERE type = 'tool' AND status IS NOT json_extract(data, '$.state.status')");
        expectNone(c, "messages left open", "SELECT id FROM message WHERE completed = 0");
        expectNone(c, "assistant messages without completedAt",
                "SELECT id FROM message WHERE role = 'assistant' AND json_extract(data, '$.completedAt') IS NULL");
        expectNone(c, "parts without their message", "SELECT id FROM part WHERE message_id NOT IN (SELECT id FROM message)");
    }

    /**
     * What a client sees after the restart: every session idle, no part open, every answer closed, no ask left from
     * before the kill.
     */
    void api(LatheApi client, Set<SessionId> sessions) {
        if (!client.permissions("").isEmpty()) problems.add("permission asks survived the restart: " + client.permissions(""));
        for (SessionId id : sessions) {
            SessionStatus status = client.status(id);
            if (!(status instanceof SessionStatus.Idle)) problems.add("session " + id + " is " + status + " after the restart");
            for (MessageWithParts m : client.messages(id)) {
                if (m.info() instanceof AssistantMessage a && a.completedAt().isEmpty()) problems.add("GET messages: " + a.id() + " is still open");
                for (Part p : m.parts()) {
                    if (p instanceof Part.Tool t && !isFinal(t.state())) problems.add("GET messages: tool part " + t.id() + " is " + ToolState.status(t.state()));
                }
            }
        }
    }

    private static boolean isFinal(ToolState state) {
        return state instanceof ToolState.Completed || state instanceof ToolState.Failed;
    }

    private static Optional<Part> storedPart(Connection c, PartId id) throws SQLException {
        return one(c, "SELECT data FROM part WHERE id = ?", id.value()).map(json -> WireJson.read(json, Part.class));
    }

    private static Optional<Message> storedMessage(Connection c, MessageId id) throws SQLException {
        return one(c, "SELECT data FROM message WHERE id = ?", id.value()).map(json -> WireJson.read(json, Message.class));
    }

    private static Optional<String> one(Connection c, String sql, String arg) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    private static long approvals(Connection c, SessionId session, String permission, String pattern) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM approval a JOIN session s ON s.project_id = a.project_id "
                + "WHERE s.id = ? AND a.permission = ? AND a.pattern = ?")) {
            ps.setString(1, session.value());
            ps.setString(2, permission);
            ps.setString(3, pattern);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    private static long count(Connection c, String sql, String arg) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    private void expectNone(Connection c, String what, String sql) throws SQLException {
        List<String> ids = strings(c, sql);
        if (!ids.isEmpty()) problems.add(what + ": " + ids);
    }

    private static List<String> strings(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                var row = new StringBuilder();
                for (int i = 1; i <= columns; i++) row.append(i > 1 ? "|" : "").append(rs.getString(i));
                out.add(row.toString());
            }
        }
        return out;
    }
}
