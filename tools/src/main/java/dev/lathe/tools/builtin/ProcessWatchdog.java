package dev.lathe.tools.builtin;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Ends a command tree that reached its process cap ({@link ProcessCap}: a fork bomb, a runaway loop), so it does not
 * spin against the refused forks until its timeout, and says so in the result. With a cgroup it reads the cgroup's
 * own count and its refused forks every {@link #POLL_MILLIS} ms (microseconds each) and kills through it, so processes
 * that left the session are ended too. Otherwise it counts the processes of the command's session: every command starts through
 * {@code setsid}, so its session id is the leader's pid, and a child keeps it even when its parent exits and it is
 * re-parented. The count reads {@code /proc/PID/stat} of every process (or, without {@code /proc}, the leader's
 * descendants), which takes milliseconds, so it runs when the machine's task count — read every {@link #POLL_MILLIS}
 * ms from {@code /proc/loadavg}, microseconds — jumps, and at least once a second. Over the limit, it stops the whole
 * session with SIGSTOP (so nothing forks further), then kills it with SIGKILL until no process of it is left.
 *
 * <p>Why not the kernel's limits: {@code RLIMIT_NPROC} counts every process of the user (the daemon's threads
 * included) and is ignored for root; a cgroup's {@code pids.max} needs a delegated, writable cgroup v2, which most
 * containers and many desktops do not give. This works for root and non-root alike, in the sandbox too (the pid
 * namespace's processes carry the session of the {@code bwrap} leader as seen from the host). What it cannot stop: a
 * process that calls {@code setsid} itself and leaves the session (the sandbox's pid namespace still takes it down
 * with the command), and a burst that outgrows the limit within one poll (it is still stopped at the next one).
 */
public final class ProcessWatchdog implements AutoCloseable {
    static final int POLL_MILLIS = 50;
    private static final Path PROC = Path.of("/proc");

    private final Process leader;
    private final ProcessCap cap;
    private final int limit;
    private final Thread thread;
    private volatile boolean tripped;
    private volatile int peak;
    private volatile boolean closed;

    private ProcessWatchdog(Process leader, ProcessCap cap) {
        this.leader = leader;
        this.cap = cap;
        this.limit = cap.limit();
        this.thread = Thread.ofPlatform().daemon(true).name("lathe-process-watchdog-" + leader.pid()).start(this::watch);
    }

    /**
     * Starts watching {@code leader}'s tree under {@code cap}; {@link #close} stops watching and ends what is left in the
     * cap's cgroup (with one, nothing of the tree outlives its call). Only {@link ProcessGroups} starts one.
     */
    static ProcessWatchdog watch(Process leader, ProcessCap cap) {
        return new ProcessWatchdog(leader, cap);
    }

    /** Whether the limit was exceeded and the command's processes were killed. */
    public boolean tripped() { return tripped; }

    int limit() { return limit; }

    /** The live processes of the command's cgroup; empty when it has none (then its session and group are what holds it). */
    java.util.Optional<List<Long>> cgroupMembers() { return cap.hasGroup() ? cap.members() : java.util.Optional.empty(); }

    /** The most processes of the command seen at once (at the polls). */
    int peak() { return peak; }

    /** What the result says when the watchdog stopped the command; empty when it did not. */
    public String note() {
        if (!tripped) return "";
        return "command stopped: it reached the limit of " + limit + " processes at once for one command (sandbox.maxProcesses, held by "
                + cap.heldBy() + "; " + peak + " seen); every process it started was killed. Start fewer processes at once (e.g. make -j4,"
                + " xargs -P 4, no recursive spawning), or ask the user to raise sandbox.maxProcesses in lathe.json\n";
    }

    private void watch() {
        long sid = leader.pid();
        long lastTotal = -1;
        long lastScan = 0;
        int lastCount = 0;
        while (!closed) {
            long total = tasksOnTheMachine();
            long now = System.nanoTime();
            // a full scan reads one file per process on the machine (milliseconds): it runs when the machine's count of
            // tasks grew by half the room left under the limit since the last one (how a fork bomb shows at once), and
            // at least every second (what the machine-wide count cannot show: others exiting while this one forks)
            boolean due = cap.hasGroup() || total < 0 || lastTotal < 0 || total - lastTotal > Math.max(1, (limit - lastCount) / 2)
                    || now - lastScan >= FULL_SCAN_NANOS;
            if (due) {
                List<Long> members = members(sid);
                // the leader may exit at once (a fork bomb's first shell does) while what it started lives on
                if (members.isEmpty() && !leader.isAlive()) {
                    // a fork bomb whose forks the kernel refused can die out by itself between two polls: it still hit the cap
                    if (cap.refusedFork()) tripped = true;
                    cap.close();
                    return;
                }
                if (members.size() > peak) peak = members.size();
                if (members.size() >= limit || cap.refusedFork()) {
                    tripped = true;
                    killAll(sid, members);
                    return;
                }
                lastTotal = total;
                lastScan = now;
                lastCount = members.size();
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static final long FULL_SCAN_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final Path LOADAVG = PROC.resolve("loadavg");

    /** The machine's count of tasks (processes and threads) from {@code /proc/loadavg}'s "running/total"; -1 when unknown. */
    static long tasksOnTheMachine() {
        try {
            String[] f = Files.readString(LOADAVG).split(" ");
            return Long.parseLong(f[3].substring(f[3].indexOf('/') + 1));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Stops everything first, so nothing forks while the rest is killed; then kills until none is left (at most ~5 s). */
    private void killAll(long sid, List<Long> members) {
        if (cap.hasGroup()) {
            // the cgroup holds the whole tree and it cannot grow past its cap: kill what is in it until it is empty
            signalGroup(sid, "-STOP");
            cap.close();
            leader.toHandle().destroyForcibly();
            return;
        }
        signalGroup(sid, "-STOP");
        members.forEach(pid -> signal(pid, "-STOP"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        List<Long> left = members(sid);
        do {
            signalGroup(sid, "-KILL");
            left.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
            leader.toHandle().destroyForcibly();
            left = members(sid);
        } while (!left.isEmpty() && System.nanoTime() < deadline);
    }

    private static void signalGroup(long pgid, String signal) {
        try {
            new ProcessBuilder("kill", signal, "--", "-" + pgid).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start().waitFor(2, TimeUnit.SECONDS);
        } catch (IOException e) {
            // no kill binary (or no process slot left to start one): the handles still reach each member
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void signal(long pid, String signal) {
        // ProcessHandle has no SIGSTOP; killing outright is the fallback when the kill binary cannot run
        if (signal.equals("-STOP")) return;
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }

    /** The tree's live processes: its cgroup's, else its session's. */
    private List<Long> members(long sid) {
        return cap.members().orElseGet(() -> sessionMembers(sid));
    }

    /** The live processes whose session id is {@code sid} (zombies excluded: they hold no resources but a pid). */
    static List<Long> sessionMembers(long sid) {
        List<Long> out = new ArrayList<>();
        if (!Files.isDirectory(PROC)) {
            ProcessHandle.of(sid).ifPresent(h -> {
                out.add(sid);
                h.descendants().forEach(d -> out.add(d.pid()));
            });
            return out;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (name.isEmpty() || !Character.isDigit(name.charAt(0))) continue;
                String stat;
                try {
                    stat = Files.readString(entry.resolve("stat"));
                } catch (IOException | RuntimeException gone) {
                    continue;
                }
                // pid (comm) state ppid pgrp session ...; comm may hold spaces and parentheses, so parse after the last ')'
                int close = stat.lastIndexOf(')');
                if (close < 0) continue;
                String[] f = stat.substring(close + 2).split(" ", 6);
                if (f.length < 5 || f[0].equals("Z")) continue;
                try {
                    if (Long.parseLong(f[3]) == sid || Long.parseLong(f[2]) == sid) out.add(Long.parseLong(name));
                } catch (NumberFormatException ignored) {
                    // not a process line
                }
            }
        } catch (IOException e) {
            // /proc unreadable now: counted as nothing this round
        }
        return out;
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        // the command may end (its tree collapsing once forks are refused) before a poll saw it: the kernel's count of
        // refused forks says it hit the cap all the same, and the result must say so (read before the cgroup goes)
        if (!tripped && cap.refusedFork()) tripped = true;
        cap.close();
    }
}
