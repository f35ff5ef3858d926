package dev.lathe.core.store;

import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.session.Session;
import java.util.List;
import java.util.Optional;

/**
 * Sessions: their rows, their subagent trees and the folders they belong to. Every write returns after it is committed.
 * An adapter's deletion takes everything that belongs to a session (messages, parts, todos) with it.
 */
public interface SessionStore {
    /** Stores a new session; an id already stored is an error ({@link StoreException}). */
    void insert(Session s);

    /** Replaces a stored session's body and {@code updatedAt}; a session not stored is left so (nothing happens). */
    void update(Session s);

    Optional<Session> find(SessionId id);

    boolean exists(SessionId id);

    /** Sessions whose parent is {@code parent}, oldest first (ties by id). */
    List<Session> children(SessionId parent);

    /** {@code root} and every session below it (children, their children, ...), parents before their children. */
    List<Session> tree(SessionId root);

    /**
     * Deletes the sessions (and everything that belongs to them: parts, messages, todo lists) in one transaction;
     * ids not stored are skipped.
     */
    void delete(List<SessionId> ids);

    /** Every folder's sessions but archived ones, most recently updated first (ties: greater id first), at most {@code limit}. */
    List<Session> recent(int limit);

    /** A folder with sessions: how many top-level ones, and when the newest of all was updated. */
    record Folder(String directory, int sessions, long lastActivity) {}

    /** Every folder that has sessions, most recently active first. */
    List<Folder> folders();

    /** Whether {@code directory} (normalised) has a session: a project of this server, whose files its routes serve. */
    boolean hasSessions(String directory);

    /** Sessions of one folder, most recently updated first (ties: greater id first). */
    List<Session> byDirectory(String directory);

    /**
     * Sessions of one folder and of the git worktrees it is the main checkout of (DESIGN §19), most recently updated
     * first.
     */
    List<Session> byRepository(String directory);

    /** The id of the newest top-level session in {@code directory}, if any. */
    Optional<SessionId> newestIn(String directory);
}
