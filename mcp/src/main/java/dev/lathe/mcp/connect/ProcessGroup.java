package dev.lathe.mcp.connect;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A local server's process group, led by the process Lathe started (through {@code setsid}). Killing the group also
 * kills what the server spawned (npx → node, a shell wrapper's children), which killing the one process would leave.
 */
final class ProcessGroup implements AutoCloseable {
    private final ProcessHandle leader;
    private final boolean ownGroup;

    ProcessGroup(ProcessHandle leader, boolean ownGroup) {
        this.leader = leader;
        this.ownGroup = ownGroup;
    }

    ProcessHandle leader() { return leader; }

    /** Kills the whole group with SIGKILL (the server had its chance at a graceful close), then waits briefly. */
    @Override
    public void close() {
        var descendants = leader.descendants().toList();
        if (ownGroup) {
            signalGroup();
        }
        descendants.forEach(ProcessHandle::destroyForcibly);
        leader.destroyForcibly();
        try {
            leader.onExit().get(5, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // a zombie not yet reaped by the JVM still counts as dead for the user
        }
    }

    private void signalGroup() {
        try {
            Process kill = new ProcessBuilder("kill", "-KILL", "--", "-" + leader.pid())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            kill.waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            // no kill(1): the descendants are still destroyed one by one by the caller
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The process whose pid the launcher wrote to {@code pidFile}, if it is still alive. */
    static Optional<ProcessHandle> find(long pid) {
        return ProcessHandle.of(pid);
    }
}
