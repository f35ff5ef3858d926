package dev.lathe.core.plugin;

import dev.lathe.protocol.api.EventListener;
import dev.lathe.protocol.event.EventEnvelope;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One plugin listener's own bounded queue, drained by its own virtual thread, so the listener never runs on the
 * publisher's (a turn's) thread. {@link #offer} never blocks: when the listener has fallen {@value #CAPACITY} events
 * behind, new events are dropped and counted. An exception from the listener is logged (the first of them as a
 * warning) and the next event is delivered as usual.
 */
final class ListenerQueue implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ListenerQueue.class.getName());
    static final int CAPACITY = 1024;

    private final String plugin;
    private final EventListener listener;
    private final ArrayBlockingQueue<EventEnvelope> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final Thread thread;

    ListenerQueue(String plugin, EventListener listener) {
        this.plugin = plugin;
        this.listener = listener;
        this.thread = Thread.ofVirtual().name("lathe-plugin-listener-" + plugin).start(this::drain);
    }

    void offer(EventEnvelope event) {
        if (queue.offer(event)) return;
        if (dropped.incrementAndGet() == 1) {
            LOG.log(System.Logger.Level.WARNING, "a listener of plugin {0} is too slow: events are dropped for it", plugin);
        }
    }

    /** How many events were dropped because the listener fell behind. */
    long dropped() { return dropped.get(); }

    /** How many deliveries threw. */
    long failed() { return failed.get(); }

    private void drain() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                EventEnvelope next = queue.take();
                try {
                    listener.on(next);
                } catch (RuntimeException | LinkageError | AssertionError | StackOverflowError e) {
                    if (failed.incrementAndGet() == 1) LOG.log(System.Logger.Level.WARNING, "a listener of plugin " + plugin + " failed", e);
                    else LOG.log(System.Logger.Level.DEBUG, "a listener of plugin " + plugin + " failed again", e);
                }
            }
        } catch (InterruptedException e) {
            // closed
        }
    }

    @Override
    public void close() {
        thread.interrupt();
    }
}
