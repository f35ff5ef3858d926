package dev.lathe.core.sandbox;

import dev.lathe.tools.ProcessLauncher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The one platform thread, alive as long as the JVM, that starts every sandboxed process. bubblewrap's
 * {@code --die-with-parent} is the kernel's parent-death signal, and on Linux the "parent" is the thread that started
 * the process, not the JVM: when that thread ends, every sandbox it started that had already set the signal is
 * killed (exit 137). The threads that run commands do end — a platform thread when its task is done, a virtual
 * thread's carrier after 30 s without work, in the middle of a long build — and whether the signal was set before
 * depends on who wins a race (measured: 1 in 40 sandboxes started from a thread that ends at once was killed on an
 * idle machine, more under load). Started from here, a sandbox dies only with the JVM, which is what the flag is for.
 */
final class StartingThread {
    private static final ExecutorService THREAD =
            Executors.newSingleThreadExecutor(Thread.ofPlatform().name("lathe-sandbox-start").daemon(true).factory());

    private StartingThread() {}

    /** {@code next.launch(command)} on the starting thread; the caller's interrupt is kept for after the start. */
    static Process start(ProcessLauncher next, ProcessBuilder command) throws IOException {
        // submit, not execute: a launch that throws must not take the thread down (a replacement would be a new parent)
        Future<Process> started = THREAD.submit(() -> next.launch(command));
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return started.get();
                } catch (InterruptedException e) {
                    // a start takes milliseconds, and a process that was started must reach its owner, who stops it
                    interrupted = true;
                } catch (ExecutionException e) {
                    throw rethrown(e.getCause());
                }
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    private static IOException rethrown(Throwable cause) {
        if (cause instanceof IOException io) return io;
        if (cause instanceof RuntimeException r) throw r;
        if (cause instanceof Error e) throw e;
        throw new UncheckedIOException(new IOException(cause));
    }
}
