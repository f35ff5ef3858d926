package dev.lathe.client;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The per-user daemon as a client sees it (DESIGN §3): find the live server through {@code server.json}, or start
 * {@code lathe serve --daemon} detached from the terminal and wait until it answers; and stop it.
 *
 * <p>Starting: clients of this machine take a start lock ({@code daemon-start.lock} beside {@code server.json}) so
 * that two clients racing to start it launch one daemon, the second one finding the first one's server once it holds
 * the lock. The daemon runs in a new session ({@code setsid}; where there is none, a shell that ignores SIGINT and
 * SIGHUP), with standard input from {@code /dev/null}, its output appended to {@code server.log}, and the user's
 * home as its working folder, so neither Ctrl-C nor a closed terminal reaches it. The server's own data-folder lock
 * remains the last word: a daemon that loses a race with a foreground {@code lathe serve} exits, and its starter
 * finds the winner's {@code server.json}.
 *
 * <p>A stale {@code server.json} (its pid dead, or alive but not answering {@code /health}) counts as no server;
 * the new daemon replaces it.
 *
 * <p>Contract: every method blocks the calling thread, bounded by the timeouts named; failures are
 * {@link LatheClientException}s whose message names the log file. Never throws for "no server".
 */
public final class LocalDaemon {
    /**
     * How long a start may take. Long on purpose: a JVM that starts in half a second on an idle machine took over 15 s
     * on a busy two-core one (a test suite's parallel browsers and JVMs), and giving up on a daemon that is merely slow
     * leaves the user with nothing; a daemon that dies while starting ends the wait at once.
     */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    /** After this long starting, the user is told what is being waited for. */
    static final Duration SLOW_START = Duration.ofSeconds(5);
    static final long LOG_ROTATE_BYTES = 10L << 20;
    private static final Duration POLL = Duration.ofMillis(50);
    private static final Duration HEALTH_WHILE_STARTING = Duration.ofSeconds(1);
    private static final ReentrantLock IN_THIS_JVM = new ReentrantLock();

    private final Path serverJson;
    private final Path home;
    /** Built only when a daemon is launched: reading this JVM's options loads the management classes (~5-15 ms). */
    private final Supplier<List<String>> serveCommand;
    private final Duration startTimeout;
    private final Duration slowStart;

    private LocalDaemon(Path serverJson, Path home, Supplier<List<String>> serveCommand, Duration startTimeout, Duration slowStart) {
        this.serverJson = serverJson;
        this.home = home;
        this.serveCommand = serveCommand;
        this.startTimeout = startTimeout;
        this.slowStart = slowStart;
    }

    /**
     * The daemon of the user whose environment is {@code env}.
     *
     * @param serveCommand the command that runs {@code lathe serve --daemon}, usually
     *                     {@code JavaLaunch.ofThisProcess(options, mainClass, List.of("serve", "--daemon"))}
     */
    public static LocalDaemon of(Map<String, String> env, Path home, List<String> serveCommand) {
        List<String> command = List.copyOf(serveCommand);
        return of(env, home, () -> command);
    }

    /**
     * As {@link #of(Map, Path, List)}, the command built only when the daemon is started: a client of a daemon that
     * runs never asks for it (issue 70: the JVM's own options, which it starts from, are read through the management
     * classes, on the way to a {@code lathe run}'s first request).
     */
    public static LocalDaemon of(Map<String, String> env, Path home, Supplier<List<String>> serveCommand) {
        return new LocalDaemon(ServerDiscovery.defaultPath(env, home), home, serveCommand, START_TIMEOUT, SLOW_START);
    }

    LocalDaemon withStartTimeout(Duration timeout) { return new LocalDaemon(serverJson, home, serveCommand, timeout, slowStart); }

    LocalDaemon withSlowStart(Duration after) { return new LocalDaemon(serverJson, home, serveCommand, startTimeout, after); }

    public Path serverJson() { return serverJson; }

    /** Where the daemon's output goes: {@code server.log} beside {@code server.json}. */
    public Path logFile() { return serverJson.resolveSibling("server.log"); }

    /** The live server, if one answers. */
    public Optional<ServerEndpoint> find() { return ServerDiscovery.find(serverJson); }

    /**
     * The live server, started first when none answers; waits at most the start timeout (60 s) for it.
     *
     * @throws LatheClientException when it could not be started or did not come up in time; the message names the
     *                              log file and quotes its last lines
     */
    public ServerEndpoint findOrStart() { return findOrStart(_ -> {}); }

    /**
     * As {@link #findOrStart()}, telling {@code onSlowStart} once (a line for the user) when the start takes longer than
     * five seconds.
     */
    public ServerEndpoint findOrStart(Consumer<String> onSlowStart) {
        // a command that wants a server ends a stop on purpose: clients waiting may start it again from now on
        clearStoppedOnPurpose();
        Optional<ServerEndpoint> running = find();
        if (running.isPresent()) return running.get();
        long deadline = System.nanoTime() + startTimeout.toNanos();
        IN_THIS_JVM.lock();
        try (var _ = startLock(deadline)) {
            running = find();
            if (running.isPresent()) return running.get();
            return awaitStarted(launch(), deadline, onSlowStart);
        } finally {
            IN_THIS_JVM.unlock();
        }
    }

    private ServerEndpoint awaitStarted(Process daemon, long deadline, Consumer<String> onSlowStart) {
        long slowAt = System.nanoTime() + slowStart.toNanos();
        boolean told = false;
        while (System.nanoTime() < deadline) {
            if (!told && System.nanoTime() >= slowAt) {
                told = true;
                onSlowStart.accept("lathe: the Lathe server (pid " + daemon.pid() + ") is still starting; waiting up to "
                        + startTimeout.toSeconds() + " s (its log: " + logFile() + ")");
            }
            Optional<ServerEndpoint> found = ServerDiscovery.find(serverJson, HEALTH_WHILE_STARTING);
            if (found.isPresent()) return found.get();
            // setsid forks when it has to and its first process then exits 0: only a failure ends the wait early
            if (!daemon.isAlive() && daemon.exitValue() != 0) {
                found = ServerDiscovery.find(serverJson, Duration.ofSeconds(2));
                if (found.isPresent()) return found.get();
                // the server's own reason first (a taken port, a broken config): the first line is what a client shows
                throw new LatheClientException("the Lathe server exited with status " + daemon.exitValue() + " while starting"
                        + reason(logLines()).map(r -> ": " + r).orElse("") + "; see " + logFile() + tail());
            }
            sleep(POLL);
        }
        throw new LatheClientException("the Lathe server (pid " + daemon.pid() + ") did not answer within " + startTimeout.toSeconds()
                + " s; see " + logFile() + tail());
    }

    private Process launch() {
        Path log = logFile();
        var cmd = new ArrayList<String>(detachPrefix());
        cmd.addAll(serveCommand.get());
        try {
            Files.createDirectories(log.getParent());
            if (Files.isRegularFile(log) && Files.size(log) > LOG_ROTATE_BYTES) {
                Files.move(log, log.resolveSibling("server.log.1"), StandardCopyOption.REPLACE_EXISTING);
            }
            Files.writeString(log, "[" + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "] started by pid " + ProcessHandle.current().pid()
                    + ": " + String.join(" ", cmd) + System.lineSeparator(), StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            var pb = new ProcessBuilder(cmd)
                    .directory(Files.isDirectory(home) ? home.toFile() : null)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectErrorStream(true);
            File devNull = new File("/dev/null");
            if (devNull.exists()) pb.redirectInput(ProcessBuilder.Redirect.from(devNull));
            Process p = pb.start();
            if (!devNull.exists()) p.getOutputStream().close();
            return p;
        } catch (IOException e) {
            throw new LatheClientException("cannot start the Lathe server (" + String.join(" ", cmd) + "): " + e.getMessage() + "; see " + log, e);
        }
    }

    /** A new session, so the terminal's signals (Ctrl-C, hang-up) never reach the daemon. */
    static List<String> detachPrefix() {
        Optional<Path> setsid = onPath("setsid");
        if (setsid.isPresent()) return List.of(setsid.get().toString());
        if (Files.isExecutable(Path.of("/bin/sh"))) {
            // a signal ignored at exec stays ignored, and the JVM then installs no handler for it
            return List.of("/bin/sh", "-c", "trap '' INT HUP; exec \"$@\"", "lathe-daemon");
        }
        return List.of();
    }

    private static Optional<Path> onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) return Optional.empty();
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) return Optional.of(candidate);
        }
        return Optional.empty();
    }

    /** Serialises starts among this machine's clients; bounded by {@code deadline}. */
    private Held startLock(long deadline) {
        Path file = serverJson.resolveSibling("daemon-start.lock");
        try {
            Files.createDirectories(file.getParent());
            var raf = new RandomAccessFile(file.toFile(), "rw");
            FileChannel channel = raf.getChannel();
            while (true) {
                FileLock lock = channel.tryLock();
                if (lock != null) return () -> close(raf);
                if (System.nanoTime() >= deadline) {
                    raf.close();
                    throw new LatheClientException("another client has been starting the Lathe server for " + startTimeout.toSeconds()
                            + " s without success; see " + logFile() + tail());
                }
                sleep(POLL);
            }
        } catch (IOException e) {
            throw new LatheClientException("cannot lock " + file + ": " + e.getMessage(), e);
        }
    }

    /** A held lock; closing releases it. */
    private interface Held extends AutoCloseable {
        @Override void close();
    }

    private static void close(RandomAccessFile file) {
        try {
            file.close();  // releases the lock
        } catch (IOException e) {
            // the lock goes with the process at the latest
        }
    }

    /** What {@link #stop} found and did. */
    public enum StopOutcome {
        /** No {@code server.json}. */
        NOT_RUNNING,
        /** {@code server.json} named a process that is gone or not a Lathe server; the file was removed. */
        STALE_REMOVED,
        /** The server exited after SIGTERM. */
        STOPPED,
        /** The server did not exit after SIGTERM within the timeout and was killed. */
        KILLED
    }

    /** {@link StopOutcome} and the pid it concerns (0 when none). */
    public record Stopped(StopOutcome outcome, long pid) {}

    /**
     * Stops the server of {@code server.json}: verifies that its pid is a live Lathe server (it answers
     * {@code /health}, or the process's command line runs {@code serve}), sends SIGTERM, waits up to {@code timeout}
     * for it to exit, then kills it. A file naming anything else is stale and removed.
     *
     * @throws LatheClientException when the process cannot be signalled (another user's)
     */
    public Stopped stop(Duration timeout) {
        Optional<ServerEndpoint> endpoint = ServerDiscovery.read(serverJson);
        if (endpoint.isEmpty()) return new Stopped(StopOutcome.NOT_RUNNING, 0);
        long pid = endpoint.get().pid();
        Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(p -> !ProcessEnd.ended(p));
        if (process.isEmpty() || !isLatheServer(process.get(), endpoint.get())) {
            removeIfStill(endpoint.get());
            return new Stopped(StopOutcome.STALE_REMOVED, pid);
        }
        ProcessHandle handle = process.get();
        // marked before the signal: a terminal UI that notices the exit at once must already find the stop on purpose
        markStoppedOnPurpose(pid);
        if (!handle.destroy()) throw new LatheClientException("cannot signal the Lathe server (pid " + pid + ")");
        StopOutcome outcome = StopOutcome.STOPPED;
        if (!ProcessEnd.await(handle, timeout)) {
            handle.destroyForcibly();
            if (!ProcessEnd.await(handle, Duration.ofSeconds(5))) throw new LatheClientException("the Lathe server (pid " + pid + ") does not exit");
            outcome = StopOutcome.KILLED;
        }
        removeIfStill(endpoint.get());
        return new Stopped(outcome, pid);
    }

    /**
     * As {@link #stop}, for a server this client started and no longer needs (a run that failed before it began): not the
     * user's {@code lathe stop}, so a terminal UI that loses it may start it again.
     */
    public Stopped release(Duration timeout) {
        Stopped stopped = stop(timeout);
        clearStoppedOnPurpose();
        return stopped;
    }

    /**
     * The server was stopped with {@code lathe stop} and nothing has asked for one since: a client that lost it (the
     * terminal UI) must not start it again behind the user's back (issue 42), only when the user says so.
     */
    public boolean stoppedOnPurpose() { return Files.exists(stoppedMarker()); }

    /** Beside {@code server.json}: written by {@link #stop}, removed by {@link #findOrStart}. */
    private Path stoppedMarker() { return serverJson.resolveSibling("server.stopped"); }

    private void markStoppedOnPurpose(long pid) {
        try {
            Files.writeString(stoppedMarker(), "stopped pid " + pid + " at " + java.time.Instant.now() + "\n");
        } catch (IOException e) {
            // without the mark a terminal UI starts the server again, as before: not worth failing the stop
        }
    }

    private void clearStoppedOnPurpose() {
        try {
            Files.deleteIfExists(stoppedMarker());
        } catch (IOException e) {
            // a mark left behind only keeps terminal UIs from restarting on their own
        }
    }

    private static boolean isLatheServer(ProcessHandle process, ServerEndpoint endpoint) {
        if (ServerDiscovery.isHealthy(endpoint.uri(), Duration.ofSeconds(2))) return true;
        return process.info().arguments().map(args -> List.of(args).contains("serve")).orElse(false);
    }

    /** Deletes {@code server.json} unless a newer server has rewritten it meanwhile. */
    private void removeIfStill(ServerEndpoint stale) {
        try {
            Optional<ServerEndpoint> now = ServerDiscovery.read(serverJson);
            if (now.isPresent() && now.get().pid() == stale.pid() && now.get().url().equals(stale.url())) Files.deleteIfExists(serverJson);
        } catch (IOException e) {
            // a leftover stale file is harmless: discovery checks the pid and /health
        }
    }

    private String tail() {
        List<String> lines = logLines();
        List<String> last = lines.subList(Math.max(0, lines.size() - 5), lines.size());
        return last.isEmpty() ? "" : System.lineSeparator() + String.join(System.lineSeparator(), last);
    }

    private List<String> logLines() {
        try {
            return Files.readAllLines(logFile(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * Why a server that exited while starting gave up, in its own words: the last {@code lathe: …} line of its log (the
     * time stamp a daemon puts before it dropped) since the start's own first line, without the {@code lathe: }. Empty when it
     * wrote none.
     */
    static Optional<String> reason(List<String> logLines) {
        for (String line : logLines.reversed()) {
            String text = line.replaceFirst("^\\[[^\\]]*\\] ", "");
            if (text.startsWith("started by pid ")) break;  // an earlier start's lines are not this one's reason
            if (text.startsWith("lathe: ") && text.length() > "lathe: ".length()) return Optional.of(text.substring("lathe: ".length()).strip());
        }
        return Optional.empty();
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LatheClientException("interrupted while waiting for the Lathe server", e);
        }
    }
}
