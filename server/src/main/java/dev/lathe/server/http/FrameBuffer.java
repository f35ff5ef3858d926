package dev.lathe.server.http;

import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The encoded SSE frames one {@code /events} connection has waiting for its reader, bounded in bytes (issue 25: a
 * count of events bounds nothing when one event can be a 50 KB tool output). A frame larger than the whole bound is
 * still taken when the buffer is empty, so one big event never wedges a stream. Thread-safe: one producer (the
 * subscription) and one consumer (the connection's writer).
 */
final class FrameBuffer {
    /** One SSE frame and the {@code seq} it carries. */
    record Frame(long seq, byte[] bytes) {}

    private final long capacityBytes;
    private final ArrayDeque<Frame> frames = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private long bytes;

    FrameBuffer(long capacityBytes) {
        this.capacityBytes = capacityBytes;
    }

    /** Adds {@code frame}, waiting up to {@code timeoutMillis} for room; false when there was none in time. */
    boolean offer(Frame frame, long timeoutMillis) throws InterruptedException {
        long nanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        lock.lockInterruptibly();
        try {
            while (!frames.isEmpty() && bytes + frame.bytes().length > capacityBytes) {
                if (nanos <= 0) return false;
                nanos = notFull.awaitNanos(nanos);
            }
            frames.addLast(frame);
            bytes += frame.bytes().length;
            notEmpty.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Adds {@code frame} whatever the bound (the stream's own first frame). */
    void put(Frame frame) {
        lock.lock();
        try {
            frames.addLast(frame);
            bytes += frame.bytes().length;
            notEmpty.signal();
        } finally {
            lock.unlock();
        }
    }

    /** The oldest frame, waiting up to {@code timeoutMillis}; empty when none came. */
    Optional<Frame> poll(long timeoutMillis) throws InterruptedException {
        long nanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        lock.lockInterruptibly();
        try {
            while (frames.isEmpty()) {
                if (nanos <= 0) return Optional.empty();
                nanos = notEmpty.awaitNanos(nanos);
            }
            return Optional.of(take());
        } finally {
            lock.unlock();
        }
    }

    /** The oldest frame if one is waiting. */
    Optional<Frame> pollNow() {
        lock.lock();
        try {
            return frames.isEmpty() ? Optional.empty() : Optional.of(take());
        } finally {
            lock.unlock();
        }
    }

    /** Drops every frame and wakes a waiting producer. */
    void clear() {
        lock.lock();
        try {
            frames.clear();
            bytes = 0;
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    long bytes() {
        lock.lock();
        try {
            return bytes;
        } finally {
            lock.unlock();
        }
    }

    private Frame take() {
        Frame f = frames.removeFirst();
        bytes -= f.bytes().length;
        notFull.signal();
        return f;
    }
}
