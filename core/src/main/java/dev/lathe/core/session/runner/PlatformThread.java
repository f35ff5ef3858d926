package dev.lathe.core.session.runner;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Runs work on a platform daemon thread of its own and waits for it: for turns, whose model streams must not be read on
 * virtual threads (decision 439). The caller's interrupt is passed on to the work, which it still waits for; what the
 * work throws is thrown to the caller.
 */
final class PlatformThread {
    private PlatformThread() {}

    static <T> T call(String name, Supplier<T> work) {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = Thread.ofPlatform().daemon().name(name).start(() -> {
            try {
                result.set(work.get());
            } catch (RuntimeException | Error e) {
                failure.set(e);
            }
        });
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
                thread.interrupt();
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
        Throwable thrown = failure.get();
        if (thrown instanceof RuntimeException r) throw r;
        if (thrown instanceof Error e) throw e;
        return result.get();
    }
}
