package dev.lathe.lsp;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.eclipse.lsp4j.PublishDiagnosticsParams;

/**
 * One language server for one workspace root, over its whole life: started on the first demand ({@link #connection})
 * on a virtual thread of its own, restarted with backoff when it dies (the files it had open are shown to the new
 * process again), given up after {@link #MAX_ATTEMPTS} failures in a row, stopped by {@link #close}. Every change of
 * state is published as a status; nothing is thrown to whoever asked.
 */
final class ServerRunner {
    static final int MAX_ATTEMPTS = 5;
    /** A server that ran this long before it died starts its failure count afresh. */
    private static final Duration HEALTHY = Duration.ofSeconds(60);

    /** What a caller gets: the live connection, or why there is none (still starting, or failed). */
    sealed interface Ready {
        record Connected(ServerConnection connection) implements Ready {}

        /** {@code why}: "is still starting", or "is restarting after: ..." during a backoff. */
        record NotYet(String why) implements Ready {}

        record Failed(String reason) implements Ready {}
    }

    private final LspServerSpec spec;
    private final List<String> command;
    private final Path root;
    private final Map<String, String> env;
    private final Consumer<PublishDiagnosticsParams> published;
    private final Consumer<LspServerStatus> statuses;
    private final Object lock = new Object();
    private final Map<Path, Integer> versions = new java.util.concurrent.ConcurrentHashMap<>();
    private CompletableFuture<ServerConnection> current;
    private volatile LspServerStatus status;
    private volatile boolean closed;
    private volatile Thread starting;
    private int failures;

    /** Asked before every start of the process: a project's own executable changed since trust is not started. */
    private final java.util.function.BooleanSupplier mayStart;

    ServerRunner(LspServerSpec spec, List<String> command, Path root, Map<String, String> env,
            Consumer<PublishDiagnosticsParams> published, Consumer<LspServerStatus> statuses) {
        this(spec, command, root, env, published, statuses, () -> true);
    }

    ServerRunner(LspServerSpec spec, List<String> command, Path root, Map<String, String> env,
            Consumer<PublishDiagnosticsParams> published, Consumer<LspServerStatus> statuses, java.util.function.BooleanSupplier mayStart) {
        this.mayStart = mayStart;
        this.spec = spec;
        this.command = List.copyOf(command);
        this.root = root;
        this.env = Map.copyOf(env);
        this.published = published;
        this.statuses = statuses;
        this.status = new LspServerStatus(spec.name(), LspServerStatus.IDLE, String.join(" ", command), Optional.empty());
    }

    LspServerSpec spec() { return spec; }

    Path root() { return root; }

    LspServerStatus status() { return status; }

    /** The running server, starting it on the first call; waits for it until {@code deadlineNanos}. */
    Ready connection(long deadlineNanos) throws InterruptedException {
        CompletableFuture<ServerConnection> f;
        synchronized (lock) {
            if (closed) return new Ready.Failed(spec.name() + " was stopped");
            if (current == null) current = launch(Map.of(), 0);
            f = current;
        }
        try {
            long left = Math.max(0, deadlineNanos - System.nanoTime());
            return new Ready.Connected(f.get(left, TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            LspServerStatus now = status;
            return new Ready.NotYet(now.state().equals(LspServerStatus.FAILED)
                    ? "is restarting after: " + now.lastError().orElse("a failure") : "is still starting");
        } catch (ExecutionException e) {
            return new Ready.Failed(e.getCause().getMessage());
        }
    }

    /** The connection when the server is up now, without starting or waiting. */
    Optional<ServerConnection> running() {
        CompletableFuture<ServerConnection> f;
        synchronized (lock) {
            f = current;
        }
        return f != null && f.isDone() && !f.isCompletedExceptionally() ? Optional.of(f.join()) : Optional.empty();
    }

    /** Starts the process on a virtual thread after {@code delayMillis}; {@code reopen} are the files to show it again. */
    private CompletableFuture<ServerConnection> launch(Map<Path, ServerConnection.Document> reopen, long delayMillis) {
        CompletableFuture<ServerConnection> f = new CompletableFuture<>();
        Thread.ofVirtual().name("lsp-start-" + spec.name()).start(() -> {
            starting = Thread.currentThread();
            try {
                if (delayMillis > 0) Thread.sleep(delayMillis);
                if (closed) throw new ServerConnection.StartFailure(spec.name() + " was stopped");
                set(LspServerStatus.STARTING, status.lastError());
                if (!mayStart.getAsBoolean()) {
                    throw new ServerConnection.StartFailure(spec.name() + ": " + command.getFirst()
                            + " changed since the folder was trusted; it does not run until approved (lathe trust --show, lathe trust)");
                }
                long started = System.nanoTime();
                ServerConnection c = ServerConnection.start(spec, command, root, env, published, versions);
                synchronized (lock) {
                    if (closed) {
                        c.close();
                        throw new ServerConnection.StartFailure(spec.name() + " was stopped");
                    }
                }
                reopen.keySet().forEach(file -> c.sync(file, () -> 0));
                set(LspServerStatus.RUNNING, status.lastError());
                f.complete(c);
                c.ended().thenRun(() -> died(c, started));
            } catch (ServerConnection.StartFailure e) {
                // the status first: whoever the failure wakes reads it
                if (!closed) failed(e.getMessage(), Map.of());
                f.completeExceptionally(e);
            } catch (RuntimeException e) {
                if (!closed) failed(spec.name() + " failed to start: " + e, Map.of());
                f.completeExceptionally(new ServerConnection.StartFailure(spec.name() + " failed to start: " + e));
            } catch (InterruptedException e) {
                f.completeExceptionally(new ServerConnection.StartFailure(spec.name() + " was stopped"));
            } finally {
                // a failure above may already have launched the next attempt, whose thread is the one to keep
                if (starting == Thread.currentThread()) starting = null;
            }
        });
        return f;
    }

    private void died(ServerConnection c, long startedNanos) {
        if (closed) return;
        if (System.nanoTime() - startedNanos >= HEALTHY.toNanos()) {
            synchronized (lock) {
                failures = 0;
            }
        }
        failed(spec.name() + " " + c.endedReason(), c.documents());
    }

    /** Records a failure and schedules the next attempt with backoff, or gives up after {@link #MAX_ATTEMPTS}. */
    private void failed(String reason, Map<Path, ServerConnection.Document> reopen) {
        synchronized (lock) {
            if (closed) return;
            failures++;
            if (failures >= MAX_ATTEMPTS) {
                set(LspServerStatus.FAILED, Optional.of(reason + "; gave up after " + failures + " attempts"));
                current = CompletableFuture.failedFuture(new ServerConnection.StartFailure(reason));
                return;
            }
            set(LspServerStatus.FAILED, Optional.of(reason + "; restarting"));
            current = launch(reopen, backoffMillis(failures));
        }
    }

    /** 0.5 s, 1 s, 2 s, 4 s: quick enough that an edit waiting 10 s sees a restarted server. */
    static long backoffMillis(int failures) {
        return 500L << Math.min(failures - 1, 6);
    }

    private void set(String state, Optional<String> lastError) {
        status = new LspServerStatus(spec.name(), state, String.join(" ", command), lastError);
        try {
            statuses.accept(status);
        } catch (RuntimeException ignored) {
            // a listener's failure must not stop the server's lifecycle
        }
    }

    void close() {
        CompletableFuture<ServerConnection> f;
        synchronized (lock) {
            if (closed) return;
            closed = true;
            f = current;
        }
        Thread start = starting;
        if (start != null) start.interrupt(); // a start still waiting for initialize gives up now, and kills what it spawned
        if (f != null) {
            f.thenAccept(ServerConnection::close);
            f.completeExceptionally(new ServerConnection.StartFailure(spec.name() + " was stopped"));
        }
        set(LspServerStatus.IDLE, status.lastError());
    }
}
