package dev.lathe.core.store.postgresql;

/**
 * What a node's event feed tells its session leases ({@link PgSessionLeases}) from the notifications other nodes send:
 * work was queued ({@code NOTIFY lathe_work}) or a user asked to stop a session ({@code NOTIFY lathe_stop}).
 */
interface LeaseNotices {
    /** Any node queued a prompt: the leases look for it now rather than at their next poll. */
    void workQueued();

    /** A node asked to stop the session with this id (the notification's payload): stopped if it runs here. */
    void stopRequested(String sessionId);
}
