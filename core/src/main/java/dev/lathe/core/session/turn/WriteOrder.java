package dev.lathe.core.session.turn;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The file-writing calls of one step, run one at a time in the order the model gave them: two edits of one file never
 * interleave their read-modify-write, and an edit of a file the step writes first finds it written. A lock alone gave
 * no order: each call starts on a thread of its own, and the second could take the lock before the first.
 */
final class WriteOrder {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition advanced = lock.newCondition();
    /** Tickets ended out of turn (a call refused before it reached its turn): skipped when the turn comes. */
    private final Set<Long> endedEarly = new HashSet<>();
    private long issued;
    private long next;

    /** The next ticket: taken as the step starts the call, in the model's order. */
    long ticket() {
        lock.lock();
        try {
            return issued++;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until every call with an earlier ticket ended. */
    void awaitTurn(long ticket) {
        lock.lock();
        try {
            while (next < ticket) advanced.awaitUninterruptibly();
        } finally {
            lock.unlock();
        }
    }

    /** The call of {@code ticket} ended, or will never write: the next one may go. Once per ticket. */
    void ended(long ticket) {
        lock.lock();
        try {
            if (ticket != next) {
                endedEarly.add(ticket);
                return;
            }
            next++;
            while (endedEarly.remove(next)) next++;
            advanced.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
