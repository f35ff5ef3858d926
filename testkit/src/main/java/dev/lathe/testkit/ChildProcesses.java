package dev.lathe.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This JVM's child processes as /proc shows them: a command found by its exact command line (the command itself, not
 * the bash or sandbox that started it: a process in a sandbox's namespaces may hide its executable from the JDK), and
 * whether it still runs.
 */
public final class ChildProcesses {
    private ChildProcesses() {}

    /** The pid of the descendant of this JVM whose command line is {@code command}, once it runs (at most a minute). */
    public static long await(String command) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            var found = ProcessHandle.current().descendants().filter(p -> commandLine(p.pid()).equals(command)).findFirst();
            if (found.isPresent()) return found.get().pid();
            Thread.sleep(20);
        }
        throw new AssertionError("no process running " + command + " within 60 s");
    }

    /**
     * The pid of a live process anywhere on the machine whose command line is {@code command}, once it runs (at most a
     * minute): also one that left this JVM's tree (a {@code setsid} whose parent exited is re-parented to init).
     */
    public static long awaitAnywhere(String command) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            var found = ProcessHandle.allProcesses().filter(p -> isRunning(p.pid()) && commandLine(p.pid()).equals(command)).findFirst();
            if (found.isPresent()) return found.get().pid();
            Thread.sleep(20);
        }
        throw new AssertionError("no process running " + command + " within 60 s");
    }

    /** Alive and not a zombie (in a container, killed orphans may stay unreaped, which is not running). */
    public static boolean isRunning(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException e) {
            return false;
        }
    }

    private static String commandLine(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")), StandardCharsets.UTF_8).replace('\0', ' ').strip();
        } catch (IOException e) {
            return "";
        }
    }
}
