package dev.lathe.core.session.runner;

import dev.lathe.core.cluster.SessionLeases;
import dev.lathe.protocol.api.DrainStarted;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A team node's drain (DESIGN §34): asked for by {@code SIGTERM} or {@code POST /admin/drain}, once. The node takes no
 * new turn from then on (a prompt sent through it waits in the store for another node), its running turns have the
 * grace ({@code drain.seconds}) to end, and what still runs then is stopped as a user's stop would (the answer keeps
 * what it wrote). The leases of the sessions it stopped running are let go, each with a waiting prompt queued for
 * another node, and {@link #drained} completes: the server exits.
 */
public final class NodeDrain {
    private static final System.Logger LOG = System.getLogger(NodeDrain.class.getName());
    /** How long turns stopped at the end of the grace get to close their answers before the leases are let go. */
    static final Duration STOP_WAIT = Duration.ofSeconds(2);
    /**
     * The least a drain lasts: the answer to the request that started it ({@code POST /admin/drain}, 202) is written
     * before the server closes its connections, even when nothing ran.
     */
    static final Duration AT_LEAST = Duration.ofMillis(500);

    /** How long running turns may go on once a drain starts: the server's {@code drain.seconds}, read when it starts. */
    @FunctionalInterface
    public interface Grace {
        Duration read();
    }

    private final Runners runners;
    private final SessionLeases leases;
    private final String node;
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    /** What the first request was answered; null until one came (under this). */
    private DrainStarted started;

    public NodeDrain(Runners runners, SessionLeases leases, String node) {
        this.runners = runners;
        this.leases = leases;
        this.node = node;
    }

    /** Whether this node can drain: a team node, whose sessions other nodes take (one process has none to hand them to). */
    public boolean possible() {
        return leases.mayRunElsewhere();
    }

    /** Starts the drain with {@code grace} for the running turns; asked again, answers as the first time (one drain). */
    public synchronized DrainStarted start(Duration grace) {
        if (started != null) return started;
        started = new DrainStarted(node, true, grace.toSeconds(), runners.running().size());
        LOG.log(System.Logger.Level.INFO, "draining: no new turn here; {0} running turns have {1} s to end", started.running(), grace.toSeconds());
        // the leases first: from here no prompt is taken by this node, so none lands in a runner that will not run it
        leases.drain();
        runners.drain();
        Thread.ofPlatform().name("lathe-drain").daemon().start(() -> finish(grace));
        return started;
    }

    public synchronized boolean draining() {
        return started != null;
    }

    /** Completes once the drain let go of what it could: the server stops then. */
    public CompletableFuture<Void> drained() {
        return drained;
    }

    private void finish(Duration grace) {
        long startedAt = System.nanoTime();
        try {
            if (!runners.awaitNoneRunning(grace)) {
                LOG.log(System.Logger.Level.INFO, "draining: {0} turns still run after {1} s: stopping them", runners.running().size(), grace.toSeconds());
                runners.abortAll();
                runners.awaitNoneRunning(STOP_WAIT);
            }
            leases.release();
            long left = AT_LEAST.toNanos() - (System.nanoTime() - startedAt);
            if (left > 0) Thread.sleep(Duration.ofNanos(left));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "draining: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            drained.complete(null);
        }
    }
}
