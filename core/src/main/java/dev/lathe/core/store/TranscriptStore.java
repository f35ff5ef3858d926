package dev.lathe.core.store;

import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Session;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * A whole session written at once: its row, its messages and their parts in one transaction, so a reader never sees
 * half of an imported or forked session. Ids are taken as given; one already stored anywhere refuses the lot.
 */
public final class TranscriptStore {
    /** What {@link #insertNew} did. */
    public sealed interface Outcome {
        record Stored() implements Outcome {}

        /** Nothing was written: {@code what} (e.g. {@code session ses_…}) is already stored. */
        record Taken(String what) implements Outcome {}
    }

    private final Db db;

    /** Shares the session table's database. */
    public TranscriptStore(SessionStore sessions) { this.db = sessions.db(); }

    /** An imported or otherwise new transcript: its messages are originals. */
    public Outcome insertNew(Session session, List<MessageWithParts> messages) {
        return insert(session, messages, java.util.Map.of());
    }

    /**
     * A fork: {@code originals} names, for each copied message, the first original it copies, so stats count what the
     * copies cost once.
     */
    public Outcome insertFork(Session fork, List<MessageWithParts> copies, java.util.Map<dev.lathe.protocol.MessageId, dev.lathe.protocol.MessageId> originals) {
        return insert(fork, copies, originals);
    }

    /**
     * A transcript stored before, read again (an imported session whose source grew): the messages and parts not yet
     * stored are added, the stored parts take the transcript's newer state (a call that has its result now), and
     * nothing else is touched (messages added in Lathe since keep theirs). Returns how many messages were added.
     */
    public int merge(Session session, List<MessageWithParts> messages) {
        return db.write(c -> {
            int added = 0;
            for (MessageWithParts m : messages) {
                boolean fresh = !taken(c, "SELECT 1 FROM message WHERE id = ?", m.info().id().value());
                if (fresh) {
                    MessageStore.insert(c, m.info());
                    added++;
                }
                // of a stored message, parts not stored yet (a later step) and tool calls (a result that came since) are
                // written; the rest is as it was read before
                java.util.Set<String> stored = fresh ? java.util.Set.of() : partIds(c, m.info().id().value());
                for (Part p : m.parts()) if (!stored.contains(p.id().value()) || p instanceof Part.Tool) MessageStore.upsertPart(c, p);
            }
            return added;
        });
    }

    private Outcome insert(Session session, List<MessageWithParts> messages,
            java.util.Map<dev.lathe.protocol.MessageId, dev.lathe.protocol.MessageId> originals) {
        return db.write(c -> {
            // the single writer makes check-then-insert atomic
            if (taken(c, "SELECT 1 FROM session WHERE id = ?", session.id().value())) return new Outcome.Taken("session " + session.id());
            for (MessageWithParts m : messages) {
                if (taken(c, "SELECT 1 FROM message WHERE id = ?", m.info().id().value())) return new Outcome.Taken("message " + m.info().id());
                for (Part p : m.parts()) {
                    if (taken(c, "SELECT 1 FROM part WHERE id = ?", p.id().value())) return new Outcome.Taken("part " + p.id());
                }
            }
            SessionStore.insert(c, session);
            for (MessageWithParts m : messages) {
                MessageStore.insert(c, m.info(), java.util.Optional.ofNullable(originals.get(m.info().id())));
                for (Part p : m.parts()) MessageStore.upsertPart(c, p);
            }
            return new Outcome.Stored();
        });
    }

    private static java.util.Set<String> partIds(Connection c, String message) throws SQLException {
        var ids = new java.util.HashSet<String>();
        try (PreparedStatement ps = Db.prepare(c, "SELECT id FROM part WHERE message_id = ?", message); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) ids.add(rs.getString(1));
        }
        return ids;
    }

    private static boolean taken(Connection c, String sql, String id) throws SQLException {
        try (PreparedStatement ps = Db.prepare(c, sql, id); ResultSet rs = ps.executeQuery()) {
            return rs.next();
        }
    }
}
