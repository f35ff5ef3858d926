package dev.lathe.app;

import dev.lathe.client.ServerDiscovery;
import dev.lathe.client.ServerEndpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One {@code lathe serve} started from the packaged jar as its own java process (no launcher script in between, so
 * {@link #kill} hits the server itself), with its output appended to {@code serve.log} in the Lathe home.
 */
final class ServeProcess {
    /** Exit status the JDK reports for a process ended by signal 9: 128 + SIGKILL. */
    static final int KILLED_BY_SIGKILL = 128 + 9;

    private final Process process;
    private final Path serverJson;
    private final long startedAt = System.nanoTime();

    private ServeProcess(Process process, Path serverJson) {
        this.process = process;
        this.serverJson = serverJson;
    }

    /** Starts the server; returns at once, before it is listening (see {@link #awaitReady}). */
    static ServeProcess start(Lathe lathe) throws IOException {
        Path log = Files.createDirectories(lathe.home()).resolve("serve.log");
        Process p = lathe.command("serve").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        return new ServeProcess(p, lathe.serverJson());
    }

    long pid() { return process.pid(); }

    boolean isAlive() { return process.isAlive(); }

    /**
     * Waits for the {@code server.json} of this very process (a killed predecessor's file names a dead pid) and a
     * healthy {@code /health}; returns the endpoint and how long the start took.
     */
    Ready awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(serverJson)) {
                var found = ServerDiscovery.find(serverJson, Duration.ofSeconds(2));
                if (found.isPresent() && found.get().pid() == process.pid()) {
                    return new Ready(found.get(), Duration.ofNanos(System.nanoTime() - startedAt));
                }
            }
            if (!process.isAlive()) throw new AssertionError("lathe serve exited with " + process.exitValue() + " before it was ready");
            Thread.sleep(10);
        }
        throw new AssertionError("lathe serve (pid " + process.pid() + ") was not ready within " + timeout.toSeconds() + " s");
    }

    record Ready(ServerEndpoint endpoint, Duration startup) {}

    /**
     * {@code kill -9}: SIGKILL to the java process itself (the JDK's {@code destroyForcibly} on Unix), checked by the
     * exit status. The tool processes it started (bash groups of their own) are orphaned by that, as they would be
     * for a user; they are killed afterwards only to keep the machine quiet, never before.
     */
    void kill() throws InterruptedException {
        List<ProcessHandle> children = process.descendants().toList();
        String command = process.info().command().orElse("");
        if (!command.isEmpty() && !command.endsWith("/java")) throw new AssertionError("not the java process of the server: " + command);
        process.destroyForcibly();
        awaitKilled();
        for (ProcessHandle child : children) child.destroyForcibly();
    }

    /**
     * SIGKILL at once, from whatever thread sees the moment; {@link #awaitKilled} checks it afterwards. Tool
     * processes are left to end on their own (looking them up first would cost the moment).
     */
    void killNow() { process.destroyForcibly(); }

    /** Waits for the process killed by {@link #killNow} and checks that SIGKILL ended it. */
    void awaitKilled() throws InterruptedException {
        if (!process.waitFor(10, TimeUnit.SECONDS)) throw new AssertionError("lathe serve survived SIGKILL");
        if (process.exitValue() != KILLED_BY_SIGKILL) {
            throw new AssertionError("lathe serve ended with " + process.exitValue() + " instead of being killed by SIGKILL");
        }
    }

    /** SIGTERM, as {@code lathe stop} or a logout would; returns the exit status. */
    int stop(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("lathe serve did not stop within " + timeout.toSeconds() + " s of SIGTERM");
        }
        return process.exitValue();
    }
}
