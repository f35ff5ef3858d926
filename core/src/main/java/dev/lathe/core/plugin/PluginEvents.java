package dev.lathe.core.plugin;

import dev.lathe.protocol.api.EventListener;
import dev.lathe.protocol.event.EventEnvelope;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The plugins' listeners, fed from one bus subscription: {@link #on} hands each event to the queue of every listener
 * in whose scope it is (a user plugin's: every event; a project plugin's: its project's events and the server's) and
 * returns at once ({@link ListenerQueue}).
 */
final class PluginEvents implements EventListener {
    /** A listener's queue and the project folder it listens to (empty: every folder). */
    private record Scoped(Optional<String> project, ListenerQueue queue) {}

    private final List<Scoped> listeners = new CopyOnWriteArrayList<>();

    @Override
    public void on(EventEnvelope event) {
        for (Scoped s : listeners) {
            if (s.project().isEmpty() || event.directory().isEmpty() || s.project().equals(event.directory())) s.queue().offer(event);
        }
    }

    /** Starts delivering to {@code listener} of {@code plugin}, in the scope of {@code project}; @return its queue */
    ListenerQueue add(Optional<String> project, String plugin, EventListener listener) {
        var queue = new ListenerQueue(plugin, listener);
        listeners.add(new Scoped(project, queue));
        return queue;
    }

    /** Stops delivering to {@code queue}. */
    void remove(ListenerQueue queue) {
        listeners.removeIf(s -> s.queue() == queue);
        queue.close();
    }
}
