package dev.lathe.tools.builtin;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The kernel's cap on how many processes one command tree may have (issue 52, DESIGN §24 "bounded under hostile
 * load"), set before the command runs its first instruction, so a fork bomb meets a refused {@code fork} rather than
 * the machine's limits. Every command a tool runs starts through {@link ProcessGroups#start}, which puts this cap's
 * {@link #gate} in front of it; a rule test ({@code ProcessCapRuleTest}) fails when a command starts another way.
 *
 * <p>How the cap is held, best first:
 * <ul>
 *   <li><b>a cgroup</b> of its own with {@code pids.max}, under the server's own cgroup, when that is writable (cgroup
 *   v2 with the {@code pids} controller delegated, as systemd gives a user's services; or v1's {@code pids}
 *   hierarchy, for root). Exact: it counts every process and thread of the tree, including ones that left its
 *   session with {@code setsid}, and nothing else; the tree is killed through it at the end.</li>
 *   <li><b>{@code RLIMIT_NPROC}</b> otherwise, for a user other than root (the kernel does not apply it to root). It
 *   counts every process and thread of the user, not of the tree, so it is set to the count the user has when the
 *   command starts plus the cap: the tree may add the cap, whatever else the user runs; a user whose other programs
 *   start processes meanwhile leaves the tree less room, never more.</li>
 *   <li><b>none</b> for root without a writable cgroup: then only {@link ProcessWatchdog}'s count holds, which stops
 *   the command's session once it is seen over the cap (at its next poll, so a burst may overshoot).</li>
 * </ul>
 * The gate is a shell that waits for one line on its standard input before it {@code exec}s the command: the server
 * first moves it into the cgroup (then everything it starts is inside), or tells it the {@code RLIMIT_NPROC} to set,
 * so there is no moment when the command runs uncapped. The gate runs outside any sandbox ({@link #outerWords}): the
 * cgroup and the limit then hold the sandbox's own processes too.
 */
public final class ProcessCap implements AutoCloseable {
    /** How the kernel holds the cap. */
    public enum Mechanism { CGROUP, RLIMIT, NONE }

    /** The name the gate shell runs under ({@code $0}), so a listing shows what it is. */
    static final String GATE_NAME = "lathe-process-cap";
    private static final String GATE_SCRIPT = "IFS= read -r cap || exit 125; case $cap in "
            + "nproc=*) ulimit -u \"${cap#nproc=}\" 2>/dev/null || ulimit -u \"$(ulimit -Hu)\" || exit 125;; "
            + "go) ;; *) exit 125;; esac; exec \"$@\"";
    private static final Path PROC = Path.of("/proc");
    private static final AtomicLong COUNTER = new AtomicLong();
    private static final long SELF = ProcessHandle.current().pid();

    /** Set once a cgroup could be made but not joined (a cgroup.procs this server may not write): not tried again. */
    private static volatile boolean cgroupsRefused;

    private final int limit;
    /** How the cap holds; a cgroup that cannot be joined falls back to the next mechanism in {@link #admit}. */
    private volatile Mechanism mechanism;
    /** The tree's own cgroup folder; empty unless {@link Mechanism#CGROUP}. */
    private volatile Optional<Path> group;

    private ProcessCap(int limit, Mechanism mechanism, Optional<Path> group) {
        this.limit = limit;
        this.mechanism = mechanism;
        this.group = group;
    }

    /**
     * A cap of {@code limit} processes for one command about to start: its own cgroup when one can be made here, else
     * {@code RLIMIT_NPROC}, else none (root without a writable cgroup).
     */
    static ProcessCap of(int limit) {
        Optional<Path> parent = cgroupsRefused ? Optional.empty() : CgroupParent.find();
        if (parent.isPresent()) {
            Path dir = parent.get().resolve("lathe-" + SELF + "-" + COUNTER.incrementAndGet());
            try {
                Files.createDirectory(dir);
                Files.writeString(dir.resolve("pids.max"), Integer.toString(limit));
                return new ProcessCap(limit, Mechanism.CGROUP, Optional.of(dir));
            } catch (IOException | RuntimeException e) {
                remove(dir);
            }
        }
        return new ProcessCap(limit, withoutCgroup(), Optional.empty());
    }

    /**
     * Until closed, commands start without a cgroup, as where none can be made: how a test proves what holds a tree
     * then (its session, group, token and descendants). Restores what was before on close.
     */
    static AutoCloseable withoutCgroups() {
        boolean before = cgroupsRefused;
        cgroupsRefused = true;
        return () -> cgroupsRefused = before;
    }

    private static Mechanism withoutCgroup() {
        return UserTasks.ownUid() == 0 ? Mechanism.NONE : Mechanism.RLIMIT;
    }

    public int limit() { return limit; }

    public Mechanism mechanism() { return mechanism; }

    /** Whether the tree has a cgroup of its own (which counts and kills it exactly). */
    boolean hasGroup() { return group.isPresent(); }

    /** The words to put in front of the command line ({@code setsid …}): the gate that waits for {@link #admit}. */
    List<String> gate() {
        return List.of("bash", "-c", GATE_SCRIPT, GATE_NAME);
    }

    /**
     * {@code command} without the gate in front of it: what the user's command line is, for what people read (the
     * audit of a refusal names the command, not Lathe's own wrapping).
     */
    public static List<String> withoutGate(List<String> command) {
        return gated(command) ? command.subList(GATE_WORDS, command.size()) : command;
    }

    private static final int GATE_WORDS = 4;

    private static boolean gated(List<String> command) {
        return command.size() >= GATE_WORDS && command.get(0).equals("bash") && command.get(1).equals("-c")
                && command.get(2).equals(GATE_SCRIPT) && command.get(3).equals(GATE_NAME);
    }

    /**
     * How many leading words of {@code command} must run outside a sandbox's wrapper: the gate and the {@code setsid}
     * after it (or a lone {@code setsid}), so the cap and the process group hold the sandbox itself.
     */
    public static int outerWords(List<String> command) {
        int n = gated(command) ? GATE_WORDS : 0;
        if (command.size() > n && command.get(n).equals("setsid")) n++;
        return n;
    }

    /**
     * Lets the gate of {@code started} go on under the cap: moves it into the cgroup, or tells it the
     * {@code RLIMIT_NPROC} to set. A cgroup that was made but cannot be joined (its parent's {@code cgroup.procs} not
     * writable by this user) falls back to the next mechanism, for this command and the ones after it. When the gate
     * cannot be told, the process is killed and the start fails: it never runs past a gate it was not let through.
     */
    void admit(Process started) throws IOException {
        try {
            if (mechanism == Mechanism.CGROUP) {
                try {
                    Files.writeString(group.orElseThrow().resolve("cgroup.procs"), Long.toString(started.pid()));
                } catch (IOException | RuntimeException refused) {
                    cgroupsRefused = true;
                    close();
                    group = Optional.empty();
                    mechanism = withoutCgroup();
                }
            }
            String line = switch (mechanism) {
                case CGROUP, NONE -> "go";
                case RLIMIT -> "nproc=" + UserTasks.limitFor(limit);
            };
            OutputStream in = started.getOutputStream();
            in.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
            in.flush();
        } catch (IOException | RuntimeException e) {
            started.destroyForcibly();
            close();
            throw new IOException("could not put the command under its process cap (sandbox.maxProcesses): " + e.getMessage(), e);
        }
    }

    /** Whether the kernel refused the tree a process because of the cap (known with a cgroup only). */
    boolean refusedFork() {
        Optional<Path> own = group;
        if (own.isEmpty()) return false;
        try {
            for (String line : Files.readAllLines(own.get().resolve("pids.events"))) {
                if (line.startsWith("max ") && Long.parseLong(line.substring(4).strip()) > 0) return true;
            }
        } catch (IOException | RuntimeException e) {
            // gone or unreadable: nothing known
        }
        return false;
    }

    /** The tree's live processes as its cgroup counts them; empty when there is no cgroup (the caller counts). */
    Optional<List<Long>> members() {
        Optional<Path> own = group;
        if (own.isEmpty()) return Optional.empty();
        List<Long> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(own.get().resolve("cgroup.procs"))) {
                if (!line.isBlank()) out.add(Long.parseLong(line.strip()));
            }
        } catch (IOException | RuntimeException e) {
            // the folder is gone: nothing left in it
        }
        return Optional.of(out);
    }

    /** What the result says about how the cap is held, for the model and the user. */
    String heldBy() {
        return switch (mechanism) {
            case CGROUP -> "a cgroup's pids.max";
            case RLIMIT -> "RLIMIT_NPROC";
            case NONE -> "Lathe's process count";
        };
    }

    /** Kills whatever is left in the tree's cgroup and removes it; nothing to do without one. Idempotent. */
    @Override
    public void close() {
        Optional<Path> own = group;
        if (own.isEmpty()) return;
        Path dir = own.get();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (Files.isDirectory(dir) && System.nanoTime() < deadline) {
            List<Long> left = members().orElse(List.of());
            left.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
            if (left.isEmpty() && remove(dir)) return;
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static boolean remove(Path dir) {
        try {
            Files.deleteIfExists(dir);
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Where this server may make a cgroup per command: its own cgroup, when the {@code pids} controller can be used there. */
    static final class CgroupParent {
        private CgroupParent() {}

        static Optional<Path> find() {
            try {
                List<String> own = Files.readAllLines(PROC.resolve("self/cgroup"));
                List<String> mounts = Files.readAllLines(PROC.resolve("self/mountinfo"));
                return v1(own, mounts).or(() -> v2(own, mounts)).filter(CgroupParent::usable);
            } catch (IOException | RuntimeException e) {
                return Optional.empty();
            }
        }

        /** cgroup v1: the {@code pids} hierarchy's mount plus this process's path in it. */
        private static Optional<Path> v1(List<String> own, List<String> mounts) {
            for (String line : own) {
                String[] f = line.split(":", 3);
                if (f.length == 3 && List.of(f[1].split(",")).contains("pids")) {
                    return mountOf(mounts, "cgroup", "pids").map(m -> m.resolve(f[2].replaceFirst("^/", "")));
                }
            }
            return Optional.empty();
        }

        /** cgroup v2: the unified mount plus this process's path, when {@code pids} is available there. */
        private static Optional<Path> v2(List<String> own, List<String> mounts) {
            for (String line : own) {
                if (!line.startsWith("0::")) continue;
                Optional<Path> dir = mountOf(mounts, "cgroup2", "").map(m -> m.resolve(line.substring(3).replaceFirst("^/", "")));
                if (dir.isEmpty()) return dir;
                try {
                    if (!List.of(Files.readString(dir.get().resolve("cgroup.controllers")).strip().split(" ")).contains("pids")) return Optional.empty();
                    Path control = dir.get().resolve("cgroup.subtree_control");
                    // pids is a threaded controller: it may be enabled below a cgroup that holds processes (this server)
                    if (!List.of(Files.readString(control).strip().split(" ")).contains("pids")) Files.writeString(control, "+pids");
                    return dir;
                } catch (IOException | RuntimeException e) {
                    return Optional.empty();
                }
            }
            return Optional.empty();
        }

        /** The mount point of a file system of {@code type} whose options name {@code option} (any when empty). */
        private static Optional<Path> mountOf(List<String> mounts, String type, String option) {
            for (String line : mounts) {
                int dash = line.indexOf(" - ");
                if (dash < 0) continue;
                String[] before = line.substring(0, dash).split(" ");
                String[] after = line.substring(dash + 3).split(" ");
                if (before.length < 5 || after.length < 3 || !after[0].equals(type)) continue;
                if (!option.isEmpty() && !List.of(after[2].split(",")).contains(option)) continue;
                return Optional.of(Path.of(before[4]));
            }
            return Optional.empty();
        }

        private static boolean usable(Path dir) {
            return Files.isDirectory(dir) && Files.isWritable(dir);
        }
    }

    /** The tasks (processes and threads) of this server's user, which {@code RLIMIT_NPROC} counts. */
    static final class UserTasks {
        private UserTasks() {}

        /**
         * The limit that leaves the user's tree {@code cap} more tasks than the user has now (the gate sets the hard limit
         * instead when that is lower: the machine's own bound then holds first).
         */
        static long limitFor(int cap) {
            long now = count(ownUid());
            return now + cap;
        }

        static long ownUid() {
            return uidOf(PROC.resolve("self/status"));
        }

        /** The user's tasks now, as far as this server can see them in {@code /proc}. */
        static long count(long uid) {
            long sum = 0;
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC)) {
                for (Path entry : entries) {
                    String name = entry.getFileName().toString();
                    if (name.isEmpty() || !Character.isDigit(name.charAt(0))) continue;
                    long threads = 0;
                    long owner = -1;
                    try {
                        for (String line : Files.readAllLines(entry.resolve("status"))) {
                            if (line.startsWith("Uid:")) owner = Long.parseLong(line.substring(4).strip().split("\\s+")[0]);
                            else if (line.startsWith("Threads:")) threads = Long.parseLong(line.substring(8).strip());
                        }
                    } catch (IOException | RuntimeException gone) {
                        continue;
                    }
                    if (owner == uid) sum += Math.max(1, threads);
                }
            } catch (IOException e) {
                // no /proc: counted as nothing, so the tree gets the cap alone
            }
            return sum;
        }

        private static long uidOf(Path status) {
            try {
                for (String line : Files.readAllLines(status)) {
                    if (line.startsWith("Uid:")) return Long.parseLong(line.substring(4).strip().split("\\s+")[0]);
                }
            } catch (IOException | RuntimeException e) {
                // unknown: treated as root, for whom RLIMIT_NPROC does not hold
            }
            return 0;
        }
    }
}
