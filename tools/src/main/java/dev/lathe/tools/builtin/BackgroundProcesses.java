package dev.lathe.tools.builtin;

import dev.lathe.tools.BackgroundCommands;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@link BackgroundCommands} adapter: processes started with {@code bash background: true}, keyed by session. They
 * outlive the call and the turn (that is the point: dev servers, watchers), never their limit, their session or the
 * server that made this: it calls {@link #killAll} when it shuts down, and the JVM shutdown hook {@link #killedAtExit}
 * adds catches an exit that skips it. One ticker thread, every {@link #TICK_MILLIS} ms, hands each command's monitored
 * lines to the model (so they are coalesced per tick), its new output to the clients, and ends what ran past its limit.
 */
public final class BackgroundProcesses implements BackgroundCommands {
    /** The coalescing window of monitored lines and output events. */
    static final long TICK_MILLIS = 200;
    /** How many ticks between two looks at each tree (descendants recorded, limit and end checked): once a second. */
    static final int LOOK_EVERY = 5;
    /** The most bytes of new output one {@link Change.Printed} carries (its newest). */
    static final int PRINTED_BYTES = 4096;
    /** How many ended commands a session keeps listed (the oldest ended ones go first). */
    static final int KEPT_ENDED = 20;

    /** A new, empty set of background processes, killed when this JVM exits (the one a server makes when it starts). */
    public static BackgroundProcesses killedAtExit() {
        var processes = new BackgroundProcesses();
        try {
            Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(processes::killAll));
        } catch (IllegalStateException shuttingDown) {
            // made while the JVM shuts down: nothing runs yet to be killed, and failing here would stop what started it
        }
        return processes;
    }

    private final Map<String, BackgroundJob> jobs = new ConcurrentHashMap<>();
    private final AtomicLong counter = new AtomicLong();
    private volatile Host host = Host.NONE;
    /** What marks this server's trees beside its pid ({@link ProcessTree#newToken}): its state folder's, once known. */
    private volatile String scope = "";
    private volatile Thread ticker;

    @Override
    public void attach(Host serverSide) {
        this.host = serverSide;
    }

    /**
     * Marks this server's trees with {@code stateFolder}'s scope from now on, and ends what a server of the same folder
     * that is gone left running (killed with SIGKILL, it could not end its trees: decision 582). Returns the pids ended.
     */
    public List<Long> adoptScope(java.nio.file.Path stateFolder) {
        scope = Integer.toHexString(stateFolder.toAbsolutePath().normalize().toString().hashCode());
        return ProcessTree.reapLeftovers(scope);
    }

    @Override
    public Command start(Launch launch) throws IOException {
        String token = ProcessTree.newToken(scope);
        ProcessGroups.Started started = ProcessGroups.startInBackground(launch.command(), launch.dir(), launch.secrets(), launch.launcher(), token);
        String id = "bg_" + counter.incrementAndGet();
        var job = new BackgroundJob(id, launch, started, new ProcessTree(started.process(), started.watchdog(), token), host.limits(launch.sessionId()));
        forgetEnded(launch.sessionId());
        jobs.put(id, job);
        startTicker();
        tell(job, new Change.Started(job));
        return job;
    }

    @Override
    public Optional<Command> find(String sessionId, String id) {
        return Optional.ofNullable(jobs.get(id)).filter(j -> j.sessionId().equals(sessionId)).map(Command.class::cast);
    }

    @Override
    public List<Command> of(String sessionId) { return List.copyOf(jobsOf(sessionId)); }

    private List<BackgroundJob> jobsOf(String sessionId) {
        return jobs.values().stream().filter(j -> j.sessionId().equals(sessionId))
                .sorted(Comparator.comparingLong(BackgroundJob::startedAt).thenComparing(j -> Long.parseLong(j.id().substring(3)))).toList();
    }

    @Override
    public void killSession(String sessionId) {
        List<BackgroundJob> of = jobsOf(sessionId);
        endAll(of);
        of.forEach(j -> {
            done(j);
            jobs.remove(j.id());
        });
    }

    @Override
    public void killAll() {
        List<BackgroundJob> all = List.copyOf(jobs.values());
        endAll(all);
        jobs.clear();
    }

    /** Ends each tree, all at once (each may wait its grace for SIGTERM). */
    private static void endAll(List<BackgroundJob> of) {
        List<Thread> enders = new ArrayList<>();
        for (BackgroundJob j : of) enders.add(Thread.ofPlatform().daemon(true).start(() -> j.end(State.KILLED)));
        for (Thread t : enders) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void forgetEnded(String sessionId) {
        List<BackgroundJob> ended = jobsOf(sessionId).stream().filter(BackgroundJob::finished).toList();
        for (int i = 0; i < ended.size() - KEPT_ENDED + 1; i++) jobs.remove(ended.get(i).id());
    }

    private synchronized void startTicker() {
        if (ticker != null) return;
        ticker = Thread.ofPlatform().daemon(true).name("lathe-background-commands").start(this::tick);
    }

    private void tick() {
        long round = 0;
        while (true) {
            try {
                Thread.sleep(TICK_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            round++;
            for (BackgroundJob job : List.copyOf(jobs.values())) {
                try {
                    tick(job, round % LOOK_EVERY == 0);
                } catch (RuntimeException e) {
                    System.getLogger(BackgroundProcesses.class.getName()).log(System.Logger.Level.WARNING,
                            "background command " + job.id() + ": " + e.getMessage(), e);
                }
            }
        }
    }

    private void tick(BackgroundJob job, boolean look) {
        if (job.phase.get() == BackgroundJob.Phase.DONE) return;
        flush(job);
        if (job.phase.get() != BackgroundJob.Phase.RUNNING || !look) return;
        if (job.checkFinished()) {
            done(job);
            return;
        }
        job.look();
        Duration limit = job.limit(host.followed(job.sessionId()));
        if (job.outlived(limit) && job.phase.compareAndSet(BackgroundJob.Phase.RUNNING, BackgroundJob.Phase.ENDING)) {
            // the end waits for the tree to go (SIGTERM's grace): not on the ticker, which serves every other command
            Thread.ofVirtual().start(() -> {
                job.end(State.TIMED_OUT);
                host.tell(job.sessionId(), job.id(), "Background command " + job.id() + " (" + job.command() + ") reached its time limit of "
                        + minutes(limit) + " and was ended with every process it started. Start it again if it is still needed"
                        + " (bash timeoutSeconds sets a longer limit, up to " + minutes(job.limits().most()) + ").");
                done(job);
            });
        }
    }

    /** Hands over what is new: the output the clients have not seen (its newest {@link #PRINTED_BYTES}), the monitored lines. */
    private void flush(BackgroundJob job) {
        synchronized (job.phase) {
            long from = job.printedUpTo;
            if (job.written() > from) {
                Chunk chunk = job.readFrom(Math.max(from, job.written() - PRINTED_BYTES));
                job.printedUpTo = chunk.next();
                tell(job, new Change.Printed(job, chunk.text()));
            }
        }
        job.monitored().ifPresent(text -> host.tell(job.sessionId(), job.id(), text));
    }

    /** Its end, told once: the last output and lines, the clients' event, and to the model when it watched the command. */
    private void done(BackgroundJob job) {
        flush(job);
        if (job.phase.getAndSet(BackgroundJob.Phase.DONE) == BackgroundJob.Phase.DONE) return;
        tell(job, new Change.Exited(job));
        if (job.watched() && job.state() == State.EXITED) {
            String code = job.exitCode().isPresent() ? Integer.toString(job.exitCode().getAsInt()) : "unknown";
            host.tell(job.sessionId(), job.id(), "Background command " + job.id() + " (" + job.command() + ") exited with code " + code + ".");
        }
    }

    private void tell(BackgroundJob job, Change change) {
        try {
            host.changed(change);
        } catch (RuntimeException e) {
            System.getLogger(BackgroundProcesses.class.getName()).log(System.Logger.Level.WARNING, "event of " + job.id() + ": " + e.getMessage());
        }
    }

    private static String minutes(Duration d) {
        long s = d.toSeconds();
        return s % 60 == 0 ? s / 60 + " min" : s + " s";
    }
}
