package dev.lathe.tools.builtin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Every process a background command started, wherever it went (decision 580): {@code cmd &}, {@code nohup} and a
 * double fork keep the leader's session ({@code setsid} made the leader its own); one that called {@code setsid}
 * itself leaves that session but not its cgroup (when {@link ProcessCap} made one), not the {@link #MARK} variable
 * carrying this tree's token (inherited through every fork and exec unless a program clears its environment), and not
 * {@link #look}'s record of the leader's descendants (taken every second while its parent still lives). The tree is
 * the union of the four, each a {@link ProcessHandle} (which carries the start time, so a reused pid is never taken
 * for a member); it is ended with SIGTERM, then SIGKILL after a grace, until none of it is left.
 */
final class ProcessTree {
    /** The variable every process of a background command inherits: its tree's token. */
    static final String MARK = "LATHE_PROCESS_TREE";
    private static final Path PROC = Path.of("/proc");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Process leader;
    private final ProcessWatchdog watchdog;
    private final String token;
    private final Set<ProcessHandle> seen = ConcurrentHashMap.newKeySet();

    ProcessTree(Process leader, ProcessWatchdog watchdog, String token) {
        this.leader = leader;
        this.watchdog = watchdog;
        this.token = token;
    }

    /** This server's own part of a mark: its pid and start time, so a later server can tell the marks of one that died. */
    private static final String SELF = ProcessHandle.current().pid() + "." + ProcessHandle.current().info().startInstant().map(i -> i.toEpochMilli()).orElse(0L);

    /**
     * A fresh token for a tree about to start (put in its environment as {@link #MARK}): {@code SCOPE.PID.START.RANDOM},
     * the server's {@code scope} (its state folder's), its own pid and start time, and a random part of its own.
     */
    static String newToken(String scope) {
        byte[] b = new byte[12];
        RANDOM.nextBytes(b);
        return scope + "." + SELF + "." + HexFormat.of().formatHex(b);
    }

    /**
     * Ends every process marked with {@code scope} by a server that is gone (its pid dead, or reused by a process that
     * started at another time): what a server killed with SIGKILL, or lost with its machine's memory, left running. A
     * server of the same scope that still runs (a daemon beside an in-process {@code lathe run}) keeps its own. Returns
     * the pids ended.
     */
    static List<Long> reapLeftovers(String scope) {
        if (scope.isEmpty() || !Files.isDirectory(PROC)) return List.of();
        byte[] prefix = (MARK + "=" + scope + ".").getBytes(StandardCharsets.UTF_8);
        List<ProcessHandle> found = new java.util.ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (name.isEmpty() || !Character.isDigit(name.charAt(0))) continue;
                markOf(entry, prefix).filter(ProcessTree::serverGone).ifPresent(m -> ProcessHandle.of(Long.parseLong(name)).ifPresent(found::add));
            }
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
        found.forEach(ProcessHandle::destroyForcibly);
        return found.stream().map(ProcessHandle::pid).toList();
    }

    /** {@code PID.START.RANDOM} of a mark whose value starts with the scope, read from the process's environment. */
    private static java.util.Optional<String> markOf(Path entry, byte[] prefix) {
        byte[] env;
        try {
            env = Files.readAllBytes(entry.resolve("environ"));
        } catch (IOException | RuntimeException gone) {
            return java.util.Optional.empty();
        }
        int at = indexOf(env, prefix);
        if (at < 0) return java.util.Optional.empty();
        int end = at + prefix.length;
        while (end < env.length && env[end] != 0) end++;
        return java.util.Optional.of(new String(env, at + prefix.length, end - at - prefix.length, StandardCharsets.UTF_8));
    }

    private static boolean serverGone(String mark) {
        String[] f = mark.split("\\.");
        if (f.length < 3) return false;
        try {
            long pid = Long.parseLong(f[0]);
            long start = Long.parseLong(f[1]);
            if (pid == ProcessHandle.current().pid()) return false;
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .map(h -> h.info().startInstant().map(i -> i.toEpochMilli() != start).orElse(false)).orElse(true);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Where {@code mark} starts a variable of {@code env} (at its start or after a NUL); -1 when it does not. */
    private static int indexOf(byte[] env, byte[] mark) {
        outer:
        for (int i = 0; i + mark.length <= env.length; i++) {
            if (i > 0 && env[i - 1] != 0) continue;
            for (int j = 0; j < mark.length; j++) if (env[i + j] != mark[j]) continue outer;
            return i;
        }
        return -1;
    }

    /** Records the leader's descendants as they are now: a later {@code setsid} and exit of their parent keeps them known. */
    void look() {
        leader.descendants().forEach(seen::add);
    }

    /** The processes of the tree alive now (the leader included while it runs). */
    List<ProcessHandle> alive() {
        Map<Long, ProcessHandle> out = new LinkedHashMap<>();
        if (leader.isAlive()) out.put(leader.pid(), leader.toHandle());
        leader.descendants().forEach(h -> out.putIfAbsent(h.pid(), h));
        for (ProcessHandle h : seen) if (h.isAlive()) out.putIfAbsent(h.pid(), h);
        watchdog.cgroupMembers().ifPresent(pids -> pids.forEach(p -> ProcessHandle.of(p).ifPresent(h -> out.putIfAbsent(p, h))));
        scanProc(out);
        seen.removeIf(h -> !h.isAlive() || zombie(h.pid()));
        // a zombie is dead: it waits only for a parent (or an init that may never reap it) to collect its status
        out.values().removeIf(h -> h.pid() != leader.pid() && zombie(h.pid()));
        return List.copyOf(out.values());
    }

    /** Whether anything of the tree still runs. */
    boolean running() {
        return !alive().isEmpty();
    }

    /**
     * Ends the whole tree: SIGTERM to all of it, up to {@code graceMillis} for it to go, then SIGKILL until nothing of
     * it is left (a process that ignores SIGTERM, or forks while it is ended, is found again at each round). Returns the
     * pids it ended.
     */
    List<Long> end(long graceMillis) {
        List<ProcessHandle> first = alive();
        List<Long> pids = first.stream().map(ProcessHandle::pid).toList();
        signalGroup("-TERM");
        first.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(graceMillis);
        while (System.nanoTime() < deadline && !alive().isEmpty()) pause(50);
        long hardDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<ProcessHandle> left = alive();
        while (!left.isEmpty() && System.nanoTime() < hardDeadline) {
            signalGroup("-KILL");
            left.forEach(ProcessHandle::destroyForcibly);
            pause(20);
            left = alive();
        }
        watchdog.close();
        leader.destroyForcibly();
        return pids;
    }

    private void signalGroup(String signal) {
        try {
            new ProcessBuilder("kill", signal, "--", "-" + leader.pid()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(2, TimeUnit.SECONDS);
        } catch (IOException e) {
            // no kill binary: the handles reach each member
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Adds every live process of the leader's session or group, or whose environment carries this tree's token. */
    private void scanProc(Map<Long, ProcessHandle> out) {
        if (!Files.isDirectory(PROC)) return;
        long sid = leader.pid();
        byte[] mark = (MARK + "=" + token + "\0").getBytes(StandardCharsets.UTF_8);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (name.isEmpty() || !Character.isDigit(name.charAt(0))) continue;
                long pid;
                try {
                    pid = Long.parseLong(name);
                } catch (NumberFormatException e) {
                    continue;
                }
                if (out.containsKey(pid) || pid == ProcessHandle.current().pid()) continue;
                if (member(entry, sid) || carries(entry, mark)) ProcessHandle.of(pid).filter(ProcessHandle::isAlive).ifPresent(h -> out.put(pid, h));
            }
        } catch (IOException e) {
            // /proc unreadable now: the other sources still hold
        }
    }

    /** Whether the process is in session or group {@code sid} and no zombie (a zombie holds nothing but its pid). */
    private static boolean member(Path entry, long sid) {
        try {
            String stat = Files.readString(entry.resolve("stat"));
            int close = stat.lastIndexOf(')');
            if (close < 0) return false;
            String[] f = stat.substring(close + 2).split(" ", 6);
            if (f.length < 5 || f[0].equals("Z")) return false;
            return Long.parseLong(f[2]) == sid || Long.parseLong(f[3]) == sid;
        } catch (IOException | RuntimeException gone) {
            return false;
        }
    }

    private static boolean zombie(long pid) {
        try {
            String stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"));
            int close = stat.lastIndexOf(')');
            return close >= 0 && stat.length() > close + 2 && stat.charAt(close + 2) == 'Z';
        } catch (IOException | RuntimeException gone) {
            return false;
        }
    }

    /** Whether the process's environment holds {@code mark} ({@code NAME=token} and its terminating NUL). */
    private static boolean carries(Path entry, byte[] mark) {
        try {
            return indexOf(Files.readAllBytes(entry.resolve("environ")), mark) >= 0;
        } catch (IOException | RuntimeException gone) {
            return false;
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
