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

    /** How a child hears its parent's cancellation; closed by {@link #detach}. */
    private volatile AutoCloseable fromParent = () -> {};

    /**
     * A child that is cancelled with this one and can also be cancelled on its own. A child made for part of a longer
     * job (a step of a turn) is {@link #detach detached} when that part ends, or the parent keeps every one it made.
     */
    public Cancellation child() {
        var child = new Cancellation();
        child.fromParent = onCancel(child::cancel);
        return child;
    }

    /** How many callbacks wait for this cancellation (children not yet detached among them). */
    int waiting() { return callbacks.size(); }

    /** Stops hearing the parent's cancellation (nothing for a cancellation that is no child); cancelling still works. */
    public void detach() {
        try {
            fromParent.close();
        } catch (Exception impossible) {
            throw new IllegalStateException(impossible);  // the handle only removes a callback from a list
        }
    }
}
