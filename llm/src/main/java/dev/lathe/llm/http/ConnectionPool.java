package dev.lathe.llm.http;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Kept-alive connections of {@link BlockingHttp}, per origin, newest first. A connection idle longer than
 * {@link #IDLE_NANOS} (the JDK client's own keep-alive time) is closed rather than used: servers close idle ones
 * themselves, and a request on one they closed costs a retry. At most {@link #MAX_IDLE} wait per origin, so a burst of
 * parallel streams leaves a bounded number of sockets behind. No thread of its own: expired ones are closed when the
 * pool is next used.
 */
final class ConnectionPool {
    static final long IDLE_NANOS = 30_000_000_000L;
    static final int MAX_IDLE = 16;

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, ArrayDeque<HttpConnection>> idle = new HashMap<>();
    private final long idleNanos;

    ConnectionPool() { this(IDLE_NANOS); }

    ConnectionPool(long idleNanos) { this.idleNanos = idleNanos; }

    /** A kept connection to {@code origin} that has not been idle too long, or null. */
    HttpConnection take(String origin) {
        long now = System.nanoTime();
        lock.lock();
        try {
            var kept = idle.get(origin);
            while (kept != null && !kept.isEmpty()) {
                HttpConnection c = kept.pollFirst();
                if (!c.isClosed() && now - c.idleSince() < idleNanos) return c;
                c.close();
            }
            return null;
        } finally {
            lock.unlock();
        }
    }

    /** Keeps {@code c} for the next exchange to its origin. */
    void put(HttpConnection c) {
        long now = System.nanoTime();
        c.idleSince(now);
        lock.lock();
        try {
            expire(now);
            var kept = idle.computeIfAbsent(c.origin, _ -> new ArrayDeque<>());
            kept.addFirst(c);
            while (kept.size() > MAX_IDLE) kept.pollLast().close();
        } finally {
            lock.unlock();
        }
    }

    /** Connections waiting, for tests. */
    int idleCount() {
        lock.lock();
        try {
            return idle.values().stream().mapToInt(ArrayDeque::size).sum();
        } finally {
            lock.unlock();
        }
    }

    private void expire(long now) {
        for (Iterator<ArrayDeque<HttpConnection>> origins = idle.values().iterator(); origins.hasNext();) {
            var kept = origins.next();
            while (!kept.isEmpty() && (kept.peekLast().isClosed() || now - kept.peekLast().idleSince() >= idleNanos)) kept.pollLast().close();
            if (kept.isEmpty()) origins.remove();
        }
    }
}
