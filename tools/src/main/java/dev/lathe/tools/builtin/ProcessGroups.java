package dev.lathe.tools.builtin;

import dev.lathe.tools.ProcessLauncher;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Starting commands in a process group of their own, under their process cap, and killing the whole group.
 * {@code setsid} makes the child a session and group leader (pgid = its pid), so {@code kill -- -pid} reaches everything
 * it started, even a grandchild whose parent already exited. {@link #start(ProcessBuilder, ProcessLauncher)} is the one
 * place every command a tool runs starts (bash in the foreground and the background, the user's {@code !cmd}, script
 * tools): {@link ProcessCap} holds its tree to {@code sandbox.maxProcesses}, and a rule test keeps it the only place.
 */
public final class ProcessGroups {
    private ProcessGroups() {}

    /** A command started under its cap: its group's leader, and the watchdog that ends the tree at the cap. */
    public record Started(Process process, ProcessWatchdog watchdog) {}

    /**
     * Starts {@code bash -c command} in {@code dir} with the scrubbed child environment, through {@code launcher}
     * (which may wrap the command line); stdin closed, stderr merged.
     */
    static Started start(String command, Path dir, Set<String> secrets, ProcessLauncher launcher) throws IOException {
        var pb = new ProcessBuilder("bash", "-c", command).directory(dir.toFile()).redirectErrorStream(true);
        ChildEnvironment.scrub(pb.environment(), secrets, dir);
        Started started = start(pb, launcher);
        started.process().getOutputStream().close();
        return started;
    }

    /**
     * Starts a background command: as {@link #start(String, Path, Set, ProcessLauncher)}, with {@code mark} (its tree's
     * token, {@link ProcessTree#MARK}) in its environment and its standard input left open, a pipe a person attached to
     * it writes to ({@code lathe attach --process}).
     */
    static Started startInBackground(String command, Path dir, Set<String> secrets, ProcessLauncher launcher, String mark) throws IOException {
        var pb = new ProcessBuilder("bash", "-c", command).directory(dir.toFile()).redirectErrorStream(true);
        ChildEnvironment.scrub(pb.environment(), secrets, dir);
        pb.environment().put(ProcessTree.MARK, mark);
        return start(pb, launcher);
    }

    /**
     * Starts {@code command} in a process group of its own ({@code setsid}) through {@code launcher}, under a process
     * cap of {@code launcher.processLimit()}: the cap's gate goes in front, outside any sandbox the launcher wraps it in,
     * and the command runs its first instruction only once the cap holds. Its standard input is the caller's to write
     * (and close) after this returns. The watchdog must be closed when the command is done with.
     */
    public static Started start(ProcessBuilder command, ProcessLauncher launcher) throws IOException {
        ProcessCap cap = ProcessCap.of(launcher.processLimit());
        List<String> words = new ArrayList<>(cap.gate());
        words.add("setsid");
        words.addAll(command.command());
        command.command(words);
        Process process;
        try {
            process = launcher.launch(command);
        } catch (IOException | RuntimeException e) {
            cap.close();
            throw e;
        }
        cap.admit(process);
        return new Started(process, ProcessWatchdog.watch(process, cap));
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
