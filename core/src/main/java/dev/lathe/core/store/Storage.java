package dev.lathe.core.store;

/**
 * The storage port (DESIGN §4, §20): every table family Lathe keeps behind one interface each, opened and closed
 * together. The composition root ({@code LatheCore}) opens one adapter ({@code SqliteStorage.open}) and hands the stores
 * to the services that use them; nothing else builds an adapter's stores. A second adapter (PostgreSQL, DESIGN §20)
 * implements this interface and passes the same contract test suite ({@code StorageContract} in core's tests).
 *
 * <p>What every adapter promises: a write returns after it is committed (but {@link MessageStore#upsertPartBehind},
 * whose future says when); writes of one caller are applied in the order made; readers see only committed writes and
 * run beside the writer; each method that writes several rows writes all of them or none; a failure is a
 * {@link StoreException} ({@link StoreException.DiskFull} when the disk has no room) and loses nothing committed before.
 * Ids are the protocol's time-ordered ids, so "oldest first" is "by id" and a time window is an id range.
 *
 * <p>Not behind this port, by design (decision 131): the audit chain (a per-project file whose hash chain
 * {@code lathe audit --verify} checks without a server, {@code core.audit}) and the snapshots' git objects (a git
 * directory per project, {@code core.snapshot}); the snapshot references are in the parts ({@link MessageStore}).
 * Events are not stored here, nor is anything else the nodes of a team server share only while they run (session
 * leases, open asks, statuses, fleet tasks): that is the cluster port's ({@code core.cluster.Cluster}), which the store
 * choice opens with the storage.
 */
public interface Storage extends AutoCloseable {
    SessionStore sessions();

    MessageStore messages();

    TodoStore todos();

    ApprovalStore approvals();

    ProjectStore projects();

    /** Whole sessions written at once: imports and forks. */
    TranscriptStore transcripts();

    /** What was spent, for the spend limits. */
    SpendStore spend();

    /** A project's usage, for {@code /stats}. */
    StatsStore stats();

    /** The team server's accounts and sessions' owners (used only with {@code --store}). */
    AccountStore accounts();

    /** Cron schedules and the lease of each of their runs (DESIGN §18 "Schedules"). */
    ScheduleStore schedules();

    /** Agent teams: members, the shared task list, the message log (DESIGN §18 "Agent teams"). */
    TeamStore teams();

    /** The schema version the stored data is at (the last migration applied). */
    int schemaVersion();

    /** Waits for queued writes, then lets go of the data (and of whatever the adapter holds on it). */
    @Override
    void close();
}
