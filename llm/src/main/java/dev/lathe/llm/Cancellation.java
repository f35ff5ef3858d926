package dev.lathe.llm;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A cancel signal passed explicitly to everything a turn starts (model stream, tools, processes). Callbacks run once,
 * on the cancelling thread; one registered after cancellation runs at once.
 */
public final class Cancellation {
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final List<Runnable> callbacks = new CopyOnWriteArrayList<>();

    public boolean isCancelled() { return cancelled.get(); }

    public void cancel() {
        if (cancelled.compareAndSet(false, true)) {
            for (Runnable callback : callbacks) {
                try {
                    callback.run();
                } catch (RuntimeException ignored) {
                    // one failing callback must not keep the others from releasing their resources
                }
            }
        }
    }

    /** Registers {@code callback}; closing the returned handle unregisters it. */
    public AutoCloseable onCancel(Runnable callback) {
        callbacks.add(callback);
        if (cancelled.get() && callbacks.remove(callback)) callback.run();
        return () -> callbacks.remove(callback);
    }

    /** A child that is cancelled with this one and can also be cancelled on its own. */
    public Cancellation child() {
        var child = new Cancellation();
        onCancel(child::cancel);
        return child;
    }
}
