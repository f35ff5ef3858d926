package dev.lathe.core.store.jdbc;

import dev.lathe.core.store.AccountStore;
import dev.lathe.core.store.ApprovalStore;
import dev.lathe.core.store.MessageStore;
import dev.lathe.core.store.ProjectStore;
import dev.lathe.core.store.ScheduleStore;
import dev.lathe.core.store.SessionStore;
import dev.lathe.core.store.SpendStore;
import dev.lathe.core.store.StatsStore;
import dev.lathe.core.store.TeamStore;
import dev.lathe.core.store.Storage;
import dev.lathe.core.store.TodoStore;
import dev.lathe.core.store.TranscriptStore;

/**
 * The stores of the port over one {@link Database}, in its engine's {@link SqlDialect}: what both adapters
 * ({@code SqliteStorage}, {@code PostgresStorage}) are, adding how they open, repair and close. Every store shares the
 * one database, so work that spans tables (a crashed answer's usage added to its session, a fork written whole) shares
 * one transaction.
 */
public abstract class JdbcStorage implements Storage {
    private final Database db;
    private final SessionStore sessions;
    private final MessageStore messages;
    private final TodoStore todos;
    private final ApprovalStore approvals;
    private final ProjectStore projects;
    private final TranscriptStore transcripts;
    private final SpendStore spend;
    private final StatsStore stats;
    private final AccountStore accounts;
    private final ScheduleStore schedules;
    private final TeamStore teams;

    protected JdbcStorage(Database db, SqlDialect dialect) {
        this.db = db;
        this.sessions = new JdbcSessionStore(db, dialect);
        this.messages = messageStore(db);
        this.todos = new JdbcTodoStore(db);
        this.approvals = new JdbcApprovalStore(db, dialect);
        this.projects = new JdbcProjectStore(db, dialect);
        this.transcripts = new JdbcTranscriptStore(db);
        this.spend = new JdbcSpendStore(db, dialect);
        this.stats = new JdbcStatsStore(db, dialect);
        this.accounts = new JdbcAccountStore(db, dialect);
        this.schedules = new JdbcScheduleStore(db, dialect);
        this.teams = new JdbcTeamStore(db);
    }

    /** The message store alone: what {@code Recovery} repairs through at open, before the storage is built. */
    public static MessageStore messageStore(Database db) {
        return new JdbcMessageStore(db);
    }

    @Override public final SessionStore sessions() { return sessions; }

    @Override public final MessageStore messages() { return messages; }

    @Override public final TodoStore todos() { return todos; }

    @Override public final ApprovalStore approvals() { return approvals; }

    @Override public final ProjectStore projects() { return projects; }

    @Override public final TranscriptStore transcripts() { return transcripts; }

    @Override public final SpendStore spend() { return spend; }

    @Override public final StatsStore stats() { return stats; }

    @Override public final AccountStore accounts() { return accounts; }

    @Override public final ScheduleStore schedules() { return schedules; }

    @Override public final TeamStore teams() { return teams; }

    @Override
    public final int schemaVersion() {
        return db.query("SELECT COALESCE(MAX(version), 0) FROM schema_version", rs -> rs.getInt(1)).getFirst();
    }
}
