package dev.lathe.core.store.jdbc;

import dev.lathe.core.store.ApprovalStore;
import dev.lathe.core.store.MessageStore;
import dev.lathe.core.store.ProjectStore;
import dev.lathe.core.store.SessionStore;
import dev.lathe.core.store.SpendStore;
import dev.lathe.core.store.StatsStore;
import dev.lathe.core.store.TodoStore;
import dev.lathe.core.store.TranscriptStore;

/**
 * The stores of the port over one {@link Database}, in its engine's {@link SqlDialect}: what both adapters
 * ({@code SqliteStorage}, {@code PostgresStorage}) hand out. Every store shares the one database, so work that spans
 * tables (a crashed answer's usage added to its session, a fork written whole) shares one transaction.
 */
public record JdbcStores(SessionStore sessions, MessageStore messages, TodoStore todos, ApprovalStore approvals,
        ProjectStore projects, TranscriptStore transcripts, SpendStore spend, StatsStore stats) {

    public static JdbcStores over(Database db, SqlDialect dialect) {
        return new JdbcStores(new JdbcSessionStore(db, dialect), messageStore(db), new JdbcTodoStore(db),
                new JdbcApprovalStore(db, dialect), new JdbcProjectStore(db, dialect), new JdbcTranscriptStore(db),
                new JdbcSpendStore(db, dialect), new JdbcStatsStore(db, dialect));
    }

    /** The message store alone: what {@code Recovery} repairs through at open, before the storage is built. */
    public static MessageStore messageStore(Database db) {
        return new JdbcMessageStore(db);
    }
}
