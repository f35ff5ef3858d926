package dev.lathe.tools.builtin;

import dev.lathe.tools.ProcessLauncher;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Starting commands in a process group of their own and killing the whole group. {@code setsid} makes the child a
 * session and group leader (pgid = its pid), so {@code kill -- -pid} reaches everything it started, even a grandchild
 * whose parent already exited.
 */
public final class ProcessGroups {
    private ProcessGroups() {}

    /**
     * Starts {@code bash -c command} in {@code dir} with the scrubbed child environment, through {@code launcher}
     * (which may wrap the command line); stdin closed, stderr merged.
     */
    static Process start(String command, Path dir, Set<String> secrets, ProcessLauncher launcher) throws IOException {
        var pb = new ProcessBuilder("setsid", "bash", "-c", command).directory(dir.toFile()).redirectErrorStream(true);
        ChildEnvironment.scrub(pb.environment(), secrets, dir);
        Process process = launcher.launch(pb);
        process.getOutputStream().close();
        return process;
    }

    /** Kills the group and closes the process's streams (what is still unread in the pipe is lost). */
    static void kill(Process process) {
        signal(process);
        process.destroyForcibly();
    }

    /**
     * Kills the process group, then any descendant that escaped it (one that called setsid itself), through process
     * handles only: {@link Process#destroyForcibly} would also close the output pipe before the reader drained it.
     */
    public static void signal(Process process) {
        long pid = process.pid();
        List<ProcessHandle> descendants = process.descendants().toList();
        try {
            new ProcessBuilder("kill", "-KILL", "--", "-" + pid).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(2, TimeUnit.SECONDS);
        } catch (IOException e) {
            // no kill binary: fall back to the handles below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        descendants.forEach(ProcessHandle::destroyForcibly);
        process.toHandle().destroyForcibly();
    }
}
