package dev.lathe.mcp.connect;

import io.modelcontextprotocol.client.McpClient;
import dev.lathe.mcp.Elicitor;
import dev.lathe.mcp.client.SdkServerClient;
import dev.lathe.mcp.client.ServerClient;
import dev.lathe.mcp.stateless.Era;
import dev.lathe.mcp.stateless.Probe;
import dev.lathe.mcp.stateless.StatelessClient;
import dev.lathe.mcp.stateless.StdioChannel;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Starts a local MCP server and connects to it over stdio with the SDK's {@link StdioClientTransport}. The SDK gives
 * no access to the {@link Process} it starts, so the command is wrapped: {@code setsid} makes the server the leader
 * of a new process group (so the whole group can be killed), and a {@code sh} prologue writes its pid to a file
 * before {@code exec}ing the real command (same pid). Stderr lines go to {@code logFile} (appended, one per line).
 *
 * <p>The era probe (2026-07-28) shares the process with the SDK ({@link StdioChannel}): {@code server/discover} is
 * sent first and {@code initialize} right behind it, without waiting. A server whose discover result lists
 * 2026-07-28 gets Lathe's {@link StatelessClient} (its answer to {@code initialize}, an error or a legacy session, is
 * ignored); any other answer, or {@code initialize} succeeding first, keeps the SDK session. A legacy server (which
 * refuses or ignores the discover) so starts exactly as fast as without the probe.
 */
public final class StdioConnector {
    private static final int STDERR_TAIL = 5;

    private StdioConnector() {}

    /** The nice value of a local server's autogroup until it answered {@code initialize} (19: the lowest weight). */
    static final int STARTING_NICE = 19;

    /**
     * How long a starting server keeps the lowest weight at most: long enough for the first model request of a run to
     * go out (0.15 s with the daemon, ~0.35 s from a cold JVM), short enough that a busy machine does not hold the
     * server's start back for as long as it stays busy.
     */
    static final Duration STARTING_GRACE = Duration.ofMillis(1500);
    /** How long a start given up early waits for its process's pid, to kill it ({@link #lateGroup}). */
    private static final Duration LATE_PID = Duration.ofSeconds(1);

    /**
     * Shell that sets its autogroup's nice to {@link #STARTING_NICE}. Unprivileged, Linux takes one autogroup change
     * per 100 ms across the machine and answers EAGAIN meanwhile: ten servers starting at once retry, up to a second.
     */
    private static final String LOW_WEIGHT = "if [ -w /proc/self/autogroup ]; then n=0; until { echo " + STARTING_NICE
            + " > /proc/self/autogroup; } 2>/dev/null || [ $n -ge 20 ]; do n=$((n+1)); sleep 0.05; done; fi; ";

    /**
     * Spawns {@code command}, initializes the MCP session within {@code timeout}, and returns the live connection.
     * Fails (never hangs past {@code timeout}) when the command cannot start, exits first, or does not answer.
     */
    public static Connection connect(List<String> command, Map<String, String> env, Duration timeout, Path logFile,
                                     Consumer<McpClient.SyncSpec> customizer) throws ConnectFailure {
        return connect(logFile.getFileName().toString().replaceFirst("\\.log$", ""), command, env, timeout, logFile, customizer,
                Elicitor.DECLINE);
    }

    /**
     * As {@link #connect(List, Map, Duration, Path, Consumer)}, for server {@code name}, whose elicitation
     * (2026-07-28 {@code input_required} rounds) {@code elicitor} answers.
     */
    public static Connection connect(String name, List<String> command, Map<String, String> env, Duration timeout, Path logFile,
                                     Consumer<McpClient.SyncSpec> customizer, Elicitor elicitor) throws ConnectFailure {
        return connect(name, command, env, timeout, logFile, customizer, elicitor, Optional.empty());
    }

    /**
     * As {@link #connect(String, List, Map, Duration, Path, Consumer, Elicitor)}, the process started from {@code base}
     * (then {@code env} added) instead of inheriting Lathe's environment when {@code base} is present.
     */
    public static Connection connect(String name, List<String> command, Map<String, String> env, Duration timeout, Path logFile,
                                     Consumer<McpClient.SyncSpec> customizer, Elicitor elicitor, Optional<Map<String, String>> base)
            throws ConnectFailure {
        Path pidFile;
        BufferedWriter log;
        try {
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            pidFile = Files.createTempFile(logFile.toAbsolutePath().getParent(), "mcp-", ".pid");
            log = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new ConnectFailure(ConnectFailure.Kind.FAILED, "cannot write the server log " + logFile + ": " + e, e);
        }
        boolean ownGroup = setsidAvailable();
        List<String> args = new ArrayList<>();
        if (ownGroup) args.add("sh");
        // the server's own session (setsid) is also its own scheduling autogroup on Linux, as heavy as all of Lathe:
        // it starts at the lowest weight so ten servers starting at once cannot hold up the first model request, and
        // is set back to normal once it answered initialize (raising an autogroup's nice back to 0 needs no privilege)
        String lowWeight = ownGroup ? LOW_WEIGHT : "";
        args.addAll(List.of("-c", "echo $$ > \"$0\" || exit 1; " + lowWeight + "exec \"$@\"", pidFile.toString()));
        args.addAll(command);
        var params = ServerParameters.builder(ownGroup ? "setsid" : "sh").args(args).env(env).build();
        var transport = base.isEmpty() ? new StdioClientTransport(params, McpJsonDefaults.getMapper())
                : new StdioClientTransport(params, McpJsonDefaults.getMapper()) {
                    // the SDK's process builder inherits Lathe's whole environment and adds the parameters' env to it
                    @Override
                    protected ProcessBuilder getProcessBuilder() {
                        ProcessBuilder builder = super.getProcessBuilder();
                        builder.environment().clear();
                        builder.environment().putAll(base.get());
                        return builder;
                    }
                };
        Deque<String> tail = new ArrayDeque<>();
        var stderrLines = new java.util.concurrent.atomic.AtomicLong();
        transport.setStdErrorHandler(line -> {
            stderrLines.incrementAndGet();
            synchronized (tail) {
                tail.addLast(line);
                if (tail.size() > STDERR_TAIL) tail.removeFirst();
                try {
                    log.write(line);
                    log.newLine();
                    log.flush();
                } catch (IOException ignored) {
                    // a full disk must not stop the server; the tail still reaches the status
                }
            }
        });
        var channel = new StdioChannel(transport, timeout);
        var spec = McpClient.sync(channel.sdkTransport()).initializationTimeout(timeout).requestTimeout(timeout);
        customizer.accept(spec);
        SdkServerClient client = SdkServerClient.build(spec, timeout);
        CompletableFuture<Era> era;
        try {
            channel.open();
            era = probeThenInitialize(channel, client);
        } catch (RuntimeException e) {
            // the process may have started before the failure (an interrupt during the SDK's connect)
            boolean interrupted = Thread.interrupted();
            Optional<ProcessGroup> late = lateGroup(pidFile, ownGroup);
            if (interrupted) Thread.currentThread().interrupt();
            deleteQuietly(pidFile);
            throw failure(client, late, log, "could not start: " + e.getMessage() + stderr(tail), e);
        }
        var init = era;
        long started = System.nanoTime();
        long deadline = started + timeout.toNanos();
        boolean raised = false;
        Optional<ProcessGroup> group = Optional.empty();
        try {
            while (true) {
                if (ownGroup && !raised && group.isPresent() && System.nanoTime() - started > STARTING_GRACE.toNanos()) {
                    // past the first model request's moment: on a busy machine the lowest weight would starve the start
                    // for as long as others run (a slash command waiting on it took 20 s beside a build)
                    normalPriority(group.get().leader().pid());
                    raised = true;
                }
                Optional<Long> pid = readPid(pidFile);
                if (group.isEmpty() && pid.isPresent()) {
                    group = ProcessHandle.of(pid.get()).map(p -> new ProcessGroup(p, ownGroup));
                    if (group.isEmpty()) {
                        awaitQuiet(stderrLines);
                        throw failure(client, group, log, "exited before it answered initialize" + stderr(tail), null);
                    }
                }
                try {
                    init.get(50, TimeUnit.MILLISECONDS);
                    if (group.isEmpty()) {
                        group = readPid(pidFile).flatMap(ProcessHandle::of).map(p -> new ProcessGroup(p, ownGroup));
                    }
                    break;
                } catch (TimeoutException slow) {
                    if (group.isPresent() && !group.get().leader().isAlive()) {
                        awaitQuiet(stderrLines);
                        throw failure(client, group, log, "exited before it answered initialize" + stderr(tail), null);
                    }
                    if (System.nanoTime() > deadline) {
                        // a start starved of CPU may have written its pid only now: it is killed all the same
                        if (group.isEmpty()) group = readPid(pidFile).flatMap(ProcessHandle::of).map(p -> new ProcessGroup(p, ownGroup));
                        throw failure(client, group, log, "did not answer initialize within " + timeout.toSeconds()
                                + " s" + stderr(tail), null);
                    }
                }
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            // the SDK's own initialization timeout (the same length, started just before our deadline was taken)
            // fires a moment before ours, first under load: that is still a timeout
            group = group.or(() -> lateGroup(pidFile, ownGroup));
            // a server that closed its side (exited) said why on stderr, often after the exit was seen: its log keeps it
            if (group.map(g -> !g.leader().isAlive()).orElse(true)) awaitQuiet(stderrLines);
            if (System.nanoTime() > deadline - TimeUnit.MILLISECONDS.toNanos(500)) {
                throw failure(client, group, log, "did not answer initialize within " + timeout.toSeconds() + " s" + stderr(tail), cause);
            }
            throw failure(client, group, log, "initialize failed: " + cause.getMessage() + stderr(tail), cause);
        } catch (InterruptedException e) {
            group = group.or(() -> lateGroup(pidFile, ownGroup)); // before the flag is set again: it waits
            Thread.currentThread().interrupt();
            throw failure(client, group, log, "interrupted while starting", e);
        } finally {
            deleteQuietly(pidFile);
        }
        if (ownGroup && !raised) group.ifPresent(g -> normalPriority(g.leader().pid()));
        var ended = new CompletableFuture<String>();
        Optional<ProcessGroup> finalGroup = group;
        finalGroup.ifPresent(g -> g.leader().onExit().thenRun(() -> ended.complete("exited" + stderr(tail))));
        AutoCloseable resources = () -> {
            channel.close();
            finalGroup.ifPresent(ProcessGroup::close);
            log.close();
        };
        ServerClient connected = client;
        if (era.join() instanceof Era.Stateless(var discovery)) {
            channel.useStateless();
            connected = new StatelessClient(name, channel, discovery, elicitor);
        }
        return new Connection(connected, ended, resources);
    }

    /**
     * Sends {@code server/discover}, then {@code initialize} at once; completes with the era as soon as one answer
     * decides it: a discover result listing 2026-07-28 (stateless), or a successful {@code initialize} (session).
     * A failed {@code initialize} decides nothing until the discover answer came (a 2026-07-28-only server refuses
     * {@code initialize}); it fails the future only when that answer did not make the server stateless.
     */
    private static CompletableFuture<Era> probeThenInitialize(StdioChannel channel, SdkServerClient client) {
        CompletableFuture<Era> probe = Probe.start(channel);
        var init = CompletableFuture.supplyAsync(client.sdk()::initialize, r -> Thread.ofVirtual().start(r));
        var decided = new CompletableFuture<Era>();
        probe.thenAccept(era -> {
            if (era instanceof Era.Stateless) decided.complete(era);
            else init.whenComplete((ok, failed) -> {
                if (failed == null) decided.complete(era);
                else decided.completeExceptionally(failed);
            });
        });
        init.whenComplete((ok, failed) -> {
            if (failed == null) decided.complete(new Era.Session("initialized"));
            else probe.thenAccept(era -> {
                if (!(era instanceof Era.Stateless)) decided.completeExceptionally(failed);
            });
        });
        return decided;
    }

    private static ConnectFailure failure(SdkServerClient client, Optional<ProcessGroup> group, BufferedWriter log,
                                         String message, Throwable cause) {
        client.close();
        group.ifPresent(ProcessGroup::close);
        try {
            log.close();
        } catch (IOException ignored) {
            // nothing more to log
        }
        return new ConnectFailure(ConnectFailure.Kind.FAILED, message, cause);
    }

    /**
     * Sets the autogroup of the server's session back to nice 0, on a thread of its own (the change may have to wait
     * its turn, see {@link #LOW_WEIGHT}); nothing where there is no autogroup.
     */
    static void normalPriority(long pid) {
        Path autogroup = Path.of("/proc", Long.toString(pid), "autogroup");
        if (!Files.isWritable(autogroup)) return; // not Linux, or a kernel without autogroups
        Thread.ofVirtual().name("mcp-autogroup-" + pid).start(() -> {
            for (int attempt = 0; attempt < 30; attempt++) {
                try {
                    Files.writeString(autogroup, "0");
                    return;
                } catch (IOException | RuntimeException busy) {
                    // EAGAIN (another change within 100 ms), or the server is gone: try again shortly, then give up
                    if (!Files.exists(autogroup)) return;
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    /**
     * Waits until the SDK's stderr reader, a thread of its own, has passed on what a server that just exited wrote
     * (a line, then none for 50 ms; at most 500 ms): its last words are the error users need, and the exit is often seen
     * before the reader got to them.
     */
    private static void awaitQuiet(java.util.concurrent.atomic.AtomicLong stderrLines) {
        long seen = -1;
        // until a line came and none followed for 50 ms; a server that wrote nothing costs the whole 2 s (its failure
        // only), since the reader cannot say it reached the end: on a loaded machine the reader's first line can take
        // longer than 500 ms, and the log is closed after this (a line later is lost from it)
        for (int i = 0; i < 40 && (stderrLines.get() == 0 || stderrLines.get() != seen); i++) {
            seen = stderrLines.get();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static String stderr(Deque<String> tail) {
        synchronized (tail) {
            return tail.isEmpty() ? "" : "; stderr: " + String.join(" | ", tail);
        }
    }

    /**
     * The group of a process started but given up before its launcher wrote its pid (a stop right after the start): the
     * SDK's close only asks it to end, asynchronously, so without this it could live on, and write its pid file after
     * that file was deleted. Waits at most {@link #LATE_PID} for the pid; nothing when the process died before writing.
     */
    private static Optional<ProcessGroup> lateGroup(Path pidFile, boolean ownGroup) {
        long deadline = System.nanoTime() + LATE_PID.toNanos();
        while (true) {
            Optional<ProcessGroup> group = readPid(pidFile).flatMap(ProcessHandle::of).map(p -> new ProcessGroup(p, ownGroup));
            if (group.isPresent() || System.nanoTime() > deadline) return group;
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
    }

    private static Optional<Long> readPid(Path pidFile) {
        try {
            String text = Files.readString(pidFile).strip();
            return text.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(text));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a stray pid file in the log folder harms nothing
        }
    }

    private static boolean setsidAvailable() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "setsid"))) return true;
        }
        return false;
    }
}
