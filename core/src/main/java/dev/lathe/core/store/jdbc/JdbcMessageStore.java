package dev.lathe.core.store.jdbc;

import dev.lathe.core.store.MessageStore;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.MessagePage;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Message;
import dev.lathe.protocol.session.MessageError;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.protocol.session.Usage;
import dev.lathe.protocol.session.UserMessage;
import dev.lathe.protocol.wire.WireJson;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rows of {@code message} and {@code part}. Every method returns after its transaction is committed, so a caller
 * may announce what it wrote as soon as the call returns.
 */
final class JdbcMessageStore implements MessageStore {
    private final Database db;

    JdbcMessageStore(Database db) { this.db = db; }

    /** Stores a user message together with its parts in one transaction. */
    @Override
    public void insertUser(UserMessage message, List<Part> parts) {
        db.write(c -> {
            try (PreparedStatement ps = Database.prepare(c, "INSERT INTO message(id, session_id, role, created_at, completed, data) VALUES (?,?,?,?,1,?)",
                    message.id().value(), message.sessionId().value(), "user", message.createdAt(), WireJson.writeStored(message))) {
                ps.executeUpdate();
            }
            for (Part p : parts) upsertPart(c, p);
            return null;
        });
    }

    /** Inserts a message row of either role; an assistant message without {@code completedAt} is stored open. */
    static void insert(java.sql.Connection c, Message message) throws java.sql.SQLException {
        insert(c, message, java.util.Optional.empty());
    }

    /** {@code copiedFrom}: for a fork's copy, the first original it copies (see {@link #originals}). */
    static void insert(java.sql.Connection c, Message message, java.util.Optional<MessageId> copiedFrom) throws java.sql.SQLException {
        String role = switch (message) {
            case UserMessage _ -> "user";
            case AssistantMessage _ -> "assistant";
        };
        int completed = message instanceof AssistantMessage a && a.completedAt().isEmpty() ? 0 : 1;
        try (PreparedStatement ps = Database.prepare(c, "INSERT INTO message(id, session_id, role, created_at, completed, data, copied_from) VALUES (?,?,?,?,?,?,?)",
                message.id().value(), message.sessionId().value(), role, message.createdAt(), completed, WireJson.writeStored(message),
                copiedFrom.map(MessageId::value).orElse(null))) {
            ps.executeUpdate();
        }
    }

    /**
     * The messages of {@code session} that are copies (it is a fork), each with the first original it copies: a fork of
     * a fork names the same original, so every copy of one answer is known as one.
     */
    @Override
    public Map<MessageId, MessageId> originals(SessionId session) {
        Map<MessageId, MessageId> out = new LinkedHashMap<>();
        for (String[] row : db.query("SELECT id, copied_from FROM message WHERE session_id = ? AND copied_from IS NOT NULL",
                rs -> new String[] {rs.getString(1), rs.getString(2)}, session.value())) {
            out.put(new MessageId(row[0]), new MessageId(row[1]));
        }
        return out;
    }

    @Override
    public void upsertAssistant(AssistantMessage message) {
        db.write(c -> {
            upsertAssistant(c, message);
            return null;
        });
    }

    /** {@link #upsertAssistant} queued behind the writes before it, set whole ({@link Database#writeBehindWhole}). */
    @Override
    public java.util.concurrent.CompletableFuture<Void> upsertAssistantBehind(AssistantMessage message) {
        return db.writeBehindWhole("message " + message.id().value(), c -> {
            upsertAssistant(c, message);
            return null;
        });
    }

    private static void upsertAssistant(java.sql.Connection c, AssistantMessage message) throws java.sql.SQLException {
        int completed = message.completedAt().isPresent() ? 1 : 0;
        try (PreparedStatement ps = Database.prepare(c, "INSERT INTO message(id, session_id, role, created_at, completed, data) VALUES (?,?,?,?,?,?) "
                        + "ON CONFLICT(id) DO UPDATE SET completed = excluded.completed, data = excluded.data",
                message.id().value(), message.sessionId().value(), "assistant", message.createdAt(), completed, WireJson.writeStored(message))) {
            ps.executeUpdate();
        }
    }

    @Override
    public void upsertPart(Part part) {
        db.write(c -> {
            upsertPart(c, part);
            return null;
        });
    }

    /**
     * {@link #upsertPart} queued behind the writes before it, without waiting for the commit: the row is set whole, so
     * a later write of the part queued into the same transaction may stand for it ({@link Database#writeBehindWhole}).
     */
    @Override
    public java.util.concurrent.CompletableFuture<Void> upsertPartBehind(Part part) {
        return db.writeBehindWhole("part " + part.id().value(), c -> {
            upsertPart(c, part);
            return null;
        });
    }

    static void upsertPart(java.sql.Connection c, Part part) throws java.sql.SQLException {
        String status = part instanceof Part.Tool tool ? ToolState.status(tool.state()) : null;
        try (PreparedStatement ps = Database.prepare(c, "INSERT INTO part(id, message_id, session_id, type, status, data) VALUES (?,?,?,?,?,?) "
                        + "ON CONFLICT(id) DO UPDATE SET status = excluded.status, data = excluded.data",
                part.id().value(), part.messageId().value(), part.sessionId().value(), typeOf(part), status, WireJson.writeStored(part))) {
            ps.executeUpdate();
        }
    }

    @Override
    public List<MessageWithParts> bySession(SessionId session) {
        return bySession(session.value(), "");
    }

    @Override
    public List<MessageWithParts> withPromptParts(SessionId session) {
        return bySession(session.value(), " AND message_id IN (SELECT id FROM message WHERE session_id = ? AND role = 'user')",
                session.value());
    }

    @Override
    public List<MessageWithParts> withStepParts(SessionId session) {
        return bySession(session.value(), " AND type IN ('step-start', 'step-finish', 'model-switch', 'compaction')");
    }

    /** Every message of the session, with its parts that meet {@code partCondition} (SQL on {@code part}, its parameters after). */
    private List<MessageWithParts> bySession(String session, String partCondition, Object... partParameters) {
        Map<String, Message> messages = new LinkedHashMap<>();
        for (Message m : db.query("SELECT data FROM message WHERE session_id = ? ORDER BY id",
                rs -> WireJson.read(rs.getString(1), Message.class), session)) {
            messages.put(m.id().value(), m);
        }
        Map<String, List<Part>> parts = new LinkedHashMap<>();
        Object[] parameters = new Object[1 + partParameters.length];
        parameters[0] = session;
        System.arraycopy(partParameters, 0, parameters, 1, partParameters.length);
        for (Part p : db.query("SELECT data FROM part WHERE session_id = ?" + partCondition + " ORDER BY id",
                rs -> WireJson.read(rs.getString(1), Part.class), parameters)) {
            parts.computeIfAbsent(p.messageId().value(), _ -> new ArrayList<>()).add(p);
        }
        List<MessageWithParts> out = new ArrayList<>(messages.size());
        for (Message m : messages.values()) out.add(new MessageWithParts(m, parts.getOrDefault(m.id().value(), List.of())));
        return out;
    }

    /**
     * The newest {@code limit} messages of {@code session} with an id below {@code upTo} (all when empty), oldest first,
     * with their parts, and whether older ones exist. Reads only the page: the messages by {@code message_session}
     * newest first with one row more than asked (which says whether more exist), then their parts by
     * {@code part_message}; a 5,000-part session costs what its last page costs.
     */
    @Override
    public MessagePage page(SessionId session, int limit, java.util.Optional<MessageId> upTo) {
        List<Message> newestFirst = upTo.isPresent()
                ? db.query("SELECT data FROM message WHERE session_id = ? AND id < ? ORDER BY id DESC LIMIT ?",
                        rs -> WireJson.read(rs.getString(1), Message.class), session.value(), upTo.get().value(), limit + 1)
                : db.query("SELECT data FROM message WHERE session_id = ? ORDER BY id DESC LIMIT ?",
                        rs -> WireJson.read(rs.getString(1), Message.class), session.value(), limit + 1);
        boolean more = newestFirst.size() > limit;
        List<Message> page = newestFirst.subList(0, Math.min(limit, newestFirst.size())).reversed();
        if (page.isEmpty()) return new MessagePage(List.of(), false);
        Map<String, List<Part>> parts = new LinkedHashMap<>();
        String ids = String.join(",", java.util.Collections.nCopies(page.size(), "?"));
        for (Part p : db.query("SELECT data FROM part WHERE message_id IN (" + ids + ") ORDER BY id",
                rs -> WireJson.read(rs.getString(1), Part.class), page.stream().map(m -> m.id().value()).toArray())) {
            parts.computeIfAbsent(p.messageId().value(), _ -> new ArrayList<>()).add(p);
        }
        List<MessageWithParts> out = new ArrayList<>(page.size());
        for (Message m : page) out.add(new MessageWithParts(m, parts.getOrDefault(m.id().value(), List.of())));
        return new MessagePage(out, more);
    }

    /** Whether {@code message} is one of {@code session}'s (hidden by a revert or not). */
    @Override
    public boolean contains(SessionId session, MessageId message) {
        return !db.query("SELECT 1 FROM message WHERE id = ? AND session_id = ?", rs -> rs.getInt(1), message.value(), session.value()).isEmpty();
    }

    /** The session's last finished step (its prompt size is the context it filled), read backwards from the newest part. */
    @Override
    public java.util.Optional<Part.StepFinish> lastStepFinish(SessionId session) {
        return db.query("SELECT data FROM part WHERE session_id = ? AND type = 'step-finish' ORDER BY id DESC LIMIT 1",
                rs -> (Part.StepFinish) WireJson.read(rs.getString(1), Part.class), session.value()).stream().findFirst();
    }

    /** The session's newest answer, if any. */
    @Override
    public java.util.Optional<AssistantMessage> lastAnswer(SessionId session) {
        return db.query("SELECT data FROM message WHERE session_id = ? AND role = 'assistant' ORDER BY id DESC LIMIT 1",
                rs -> (AssistantMessage) WireJson.read(rs.getString(1), Message.class), session.value()).stream().findFirst();
    }

    /** Whether the session has any message yet, without reading its history (a prompt asks this on every send). */
    @Override
    public boolean hasMessages(SessionId session) {
        return !db.query("SELECT 1 FROM message WHERE session_id = ? LIMIT 1", rs -> rs.getInt(1), session.value()).isEmpty();
    }

    @Override
    public List<Part> parts(MessageId message) {
        return db.query("SELECT data FROM part WHERE message_id = ? ORDER BY id", rs -> WireJson.read(rs.getString(1), Part.class), message.value());
    }

    /** Tool parts left pending or running (by a process that died). */
    @Override
    public List<Part.Tool> openToolParts() {
        return db.query("SELECT data FROM part WHERE status IN ('pending', 'running')",
                rs -> (Part.Tool) WireJson.read(rs.getString(1), Part.class));
    }

    @Override
    public List<SessionId> sessionsWithText(String text) {
        // the text is a fixed mark of Lathe's own (no wildcard characters); the JSON holds it unescaped
        return db.query("SELECT DISTINCT session_id FROM part WHERE type = 'text' AND data LIKE ? ORDER BY session_id",
                rs -> new SessionId(rs.getString(1)), "%" + text + "%");
    }

    /** Assistant messages never completed (by a process that died). */
    @Override
    public List<AssistantMessage> openAssistantMessages() {
        return db.query("SELECT data FROM message WHERE completed = 0",
                rs -> (AssistantMessage) WireJson.read(rs.getString(1), Message.class));
    }

    /**
     * Closes {@code open}, an answer a crash left open, with {@code error}: its usage and cost are then in its
     * {@code step-finish} parts and, from the end of each response on, in its own figures so far (a step's finish is
     * written only after the response's tools ran; a turn adds the totals to the session's when it ends), so the larger
     * of the two is written into the message and added to its session's totals, in one transaction — the responses a
     * crash interrupted stay counted by {@code /stats} and the spend limits. Returns the message as closed.
     */
    @Override
    public AssistantMessage closeInterrupted(AssistantMessage open, long now, MessageError error) {
        return db.write(c -> {
            // the finished steps first: what a turn that announced no figures of its own (an older server) spent
            Usage usage = Usage.ZERO;
            long cost = 0;
            try (PreparedStatement ps = Database.prepare(c, "SELECT data FROM part WHERE message_id = ? AND type = 'step-finish'", open.id().value());
                    java.sql.ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    var step = (Part.StepFinish) WireJson.read(rs.getString(1), Part.class);
                    usage = usage.plus(step.usage());
                    cost += step.cost();
                }
            }
            // a crash while a response's tools ran: the response is paid for, and only the message's figures say so
            if (open.cost() > cost || open.cost() == cost && tokens(open.usage()) > tokens(usage)) {
                usage = open.usage();
                cost = open.cost();
            }
            AssistantMessage closed = open.failed(now, error, usage, cost);
            try (PreparedStatement ps = Database.prepare(c, "UPDATE message SET completed = 1, data = ? WHERE id = ?", WireJson.write(closed), open.id().value())) {
                ps.executeUpdate();
            }
            if (!usage.equals(Usage.ZERO) || cost != 0) JdbcSessionStore.addUsage(c, open.sessionId(), usage, cost, now);
            return closed;
        });
    }

    private static long tokens(Usage u) {
        return u.input() + u.output() + u.reasoning() + u.cacheRead() + u.cacheWrite();
    }

    static String typeOf(Part part) {
        return switch (part) {
            case Part.Text _ -> "text";
            case Part.Reasoning _ -> "reasoning";
            case Part.Tool _ -> "tool";
            case Part.File _ -> "file";
            case Part.StepStart _ -> "step-start";
            case Part.StepFinish _ -> "step-finish";
            case Part.Patch _ -> "patch";
            case Part.Compaction _ -> "compaction";
            case Part.Subtask _ -> "subtask";
            case Part.Retry _ -> "retry";
            case Part.ModelSwitch _ -> "model-switch";
            case Part.Hook _ -> "hook";
        };
    }

    /**
     * Returns once every write queued before this call (written behind included) is committed or has failed: a write
     * that changes nothing, through the single writer, whose writes commit in the order queued.
     */
    @Override
    public void awaitQueuedWrites() {
        db.write(_ -> null);
    }

    /** Deletes one part (a failed attempt's partial output, DESIGN §7); queued behind the writes before it. */
    @Override
    public void deletePart(PartId part) {
        db.update("DELETE FROM part WHERE id = ?", part.value());
    }

    /** Deletes one message with its parts, whatever messages follow it. */
    @Override
    public void deleteMessage(MessageId message) {
        db.update("DELETE FROM message WHERE id = ?", message.value());
    }

    /** Deletes {@code from} and every later message of the session, with their parts. */
    @Override
    public void deleteFrom(SessionId session, MessageId from) {
        db.update("DELETE FROM message WHERE session_id = ? AND id >= ?", session.value(), from.value());
    }
}
