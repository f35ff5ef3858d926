package dev.lathe.core.session;

import dev.lathe.protocol.SessionId;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * Keeps a session from being deleted while an operation writes into it (issue 25: a prompt racing a delete stored its
 * message after the session's rows were gone and failed on the foreign key with a 500). Operations that write rows
 * pointing at a session run {@link #reading}; deleting runs {@link #writing}, so an operation either finishes before
 * the delete (its rows go with the session) or starts after it and finds no session (404). Striped: a fixed number of
 * locks, whatever the number of sessions or of ids clients make up.
 */
final class SessionLocks {
    private static final int STRIPES = 64;
    private final ReentrantReadWriteLock[] stripes = new ReentrantReadWriteLock[STRIPES];

    SessionLocks() {
        for (int i = 0; i < STRIPES; i++) stripes[i] = new ReentrantReadWriteLock();
    }

    /** Runs {@code operation} while {@code id} cannot be deleted; many at once. */
    <T> T reading(SessionId id, Supplier<T> operation) {
        var lock = stripe(id).readLock();
        lock.lock();
        try {
            return operation.get();
        } finally {
            lock.unlock();
        }
    }

    /** Runs {@code deletion} while no operation writes into any of {@code ids}; locks in stripe order, so never deadlocks. */
    void writing(List<SessionId> ids, Runnable deletion) {
        var order = new TreeSet<Integer>();
        for (SessionId id : ids) order.add(index(id));
        var locked = new java.util.ArrayList<ReentrantReadWriteLock.WriteLock>();
        try {
            for (int i : order) {
                var lock = stripes[i].writeLock();
                lock.lock();
                locked.add(lock);
            }
            deletion.run();
        } finally {
            for (var lock : locked.reversed()) lock.unlock();
        }
    }

    private ReentrantReadWriteLock stripe(SessionId id) { return stripes[index(id)]; }

    private static int index(SessionId id) { return Math.floorMod(id.value().hashCode(), STRIPES); }
}
