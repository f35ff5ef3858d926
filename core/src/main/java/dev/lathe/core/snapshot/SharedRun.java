package dev.lathe.core.snapshot;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * One computation shared by the callers that ask for it while it is pending: a caller joins the next run that has not
 * started yet, or starts one once the run in progress ends. Every answer was computed after its caller asked, so it
 * is as fresh as a run of its own would have been. Fifty sessions of one folder starting together (bench ServerBench),
 * or a turn's parallel subagents, take one or two snapshots ({@link Snapshots#track}) and run one or two
 * {@code git status} for their environment note instead of one each.
 */
public final class SharedRun<T> {
    private final ReentrantLock running;
    private CompletableFuture<T> next;

    public SharedRun() {
        this(new ReentrantLock());
    }

    /** @param running held while a run computes; other work holding it (a changed-files snapshot) delays the next run */
    SharedRun(ReentrantLock running) {
        this.running = running;
    }

    public T get(Supplier<T> run) {
        CompletableFuture<T> shared;
        boolean mine = false;
        synchronized (this) {
            if (next == null) {
                next = new CompletableFuture<>();
                mine = true;
            }
            shared = next;
        }
        if (!mine) return shared.join();
        running.lock();
        try {
            // callers from now on wait for the run after this one: this one may have started before they asked
            synchronized (this) {
                next = null;
            }
            T value = run.get();
            shared.complete(value);
            return value;
        } catch (RuntimeException | Error e) {
            shared.completeExceptionally(e);
            throw e;
        } finally {
            running.unlock();
        }
    }
}
