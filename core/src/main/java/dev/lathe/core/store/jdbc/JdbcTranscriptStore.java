package dev.lathe.core.store.jdbc;

import dev.lathe.core.store.ImportedSpend;
import dev.lathe.core.store.TranscriptStore;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Session;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/** A session's row, messages and parts in one transaction: the single writer makes check-then-insert atomic. */
final class JdbcTranscriptStore implements TranscriptStore {
    private final Database db;

    JdbcTranscriptStore(Database db) { this.db = db; }

    @Override
    public Outcome insertNew(Session session, List<MessageWithParts> messages) {
        // an import's figures are never negative: they would pull spend back under a limit
        return insert(ImportedSpend.of(session), messages.stream().map(ImportedSpend::of).toList(), java.util.Map.of());
    }

    @Override
    public Outcome insertFork(Session fork, List<MessageWithParts> copies, java.util.Map<MessageId, MessageId> originals) {
        return insert(fork, copies, originals);
    }

    @Override
    public int merge(Session session, List<MessageWithParts> messages) {
        return db.write(c -> {
            int added = 0;
            for (MessageWithParts imported : messages) {
                MessageWithParts m = ImportedSpend.of(imported);
                if (!taken(c, "SELECT 1 FROM message WHERE id = ?", m.info().id().value())) {
                    JdbcMessageStore.insert(c, m.info());
                    added++;
                }
                for (Part p : m.parts()) JdbcMessageStore.upsertPart(c, p);
            }
            return added;
        });
    }

    private Outcome insert(Session session, List<MessageWithParts> messages,
            java.util.Map<MessageId, MessageId> originals) {
        return db.write(c -> {
            // the single writer makes check-then-insert atomic
            if (taken(c, "SELECT 1 FROM session WHERE id = ?", session.id().value())) return new Outcome.Taken("session " + session.id());
            for (MessageWithParts m : messages) {
                if (taken(c, "SELECT 1 FROM message WHERE id = ?", m.info().id().value())) return new Outcome.Taken("message " + m.info().id());
                for (Part p : m.parts()) {
                    if (taken(c, "SELECT 1 FROM part WHERE id = ?", p.id().value())) return new Outcome.Taken("part " + p.id());
                }
            }
            JdbcSessionStore.insert(c, session);
            for (MessageWithParts m : messages) {
                JdbcMessageStore.insert(c, m.info(), java.util.Optional.ofNullable(originals.get(m.info().id())));
                for (Part p : m.parts()) JdbcMessageStore.upsertPart(c, p);
            }
            return new Outcome.Stored();
        });
    }

    private static boolean taken(Connection c, String sql, String id) throws SQLException {
        try (PreparedStatement ps = Database.prepare(c, sql, id); ResultSet rs = ps.executeQuery()) {
            return rs.next();
        }
    }
}
