package dev.lathe.bench;

import dev.lathe.core.worktree.Worktrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The cost of a session's worktree (DESIGN §19): {@code Worktrees.create} (checks, {@code .git/info/exclude},
 * {@code git worktree add}, {@code .worktreeinclude}) and its end on a repository of {@code --files} files, beside a
 * plain {@code git worktree add} of the same tree, the two alternating. Prints one JSON line in milliseconds: the medians
 * of both, git's spread ({@code git_min}, {@code git_max}), and Lathe's own cost, {@code overhead} = the median of
 * Lathe − git per pair (wall) and {@code overhead_cpu} (CPU time of this process and the git processes, Lathe's minus
 * git's), which a loaded disk moves far less than the wall figures. {@code WorktreeBench [--files N] [--iterations K]};
 * target: creating under 1 s at 10,000 files.
 */
public final class WorktreeBench {
    private WorktreeBench() {}

    public static void main(String[] argv) throws Exception {
        int files = 10_000;
        int iterations = 5;
        for (int i = 0; i + 1 < argv.length; i += 2) {
            switch (argv[i]) {
                case "--files" -> files = Integer.parseInt(argv[i + 1]);
                case "--iterations" -> iterations = Integer.parseInt(argv[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + argv[i] + " (expected --files N, --iterations K)");
            }
        }
        Path repo = Files.createTempDirectory("lathe-worktree-bench-");
        try {
            System.err.println("WorktreeBench: a repository of " + files + " files in " + repo);
            for (int i = 0; i < files; i++) {
                Path f = repo.resolve("src/pkg" + (i / 100) + "/File" + i + ".java");
                Files.createDirectories(f.getParent());
                Files.writeString(f, "class File" + i + " {\n    int value() { return " + i + "; }\n}\n");
            }
            Files.writeString(repo.resolve(".gitignore"), ".env\n");
            Files.writeString(repo.resolve(".env"), "KEY=value\n");
            Files.writeString(repo.resolve(".worktreeinclude"), ".env\n");
            git(repo, "init", "-q", "-b", "main");
            git(repo, "add", "-A");
            git(repo, "-c", "user.name=bench", "-c", "user.email=bench@lathe.invalid", "commit", "-q", "-m", "tree");
            var worktrees = new Worktrees(_ -> Optional.empty());
            List<Double> lathe = new ArrayList<>();
            List<Double> plain = new ArrayList<>();
            List<Double> latheCpu = new ArrayList<>();
            List<Double> plainCpu = new ArrayList<>();
            // Lathe's own cost is what it adds to the checkout: taken pair by pair (same moment, same disk state), as git's
            // own checkout of 10,000 files swings 0.8-5 s on a shared disk and a ratio of two medians hides that
            List<Double> overhead = new ArrayList<>();
            List<Double> overheadCpu = new ArrayList<>();
            for (int i = 0; i < iterations + 1; i++) {
                // which goes first alternates: the second checkout of 10,000 files pays for the kernel writing the
                // first one's back to disk, which made Lathe (always second) look up to 1.4 s slower than git
                boolean gitFirst = i % 2 == 0;
                long[] g = new long[2];
                long[] l = new long[2];
                if (gitFirst) g = plainAdd(repo, i);
                long c1 = cpuMs();
                long t1 = System.nanoTime();
                var tree = worktrees.create(repo, Optional.of("bench" + i), Worktrees.BaseRef.HEAD);
                l[0] = System.nanoTime() - t1;
                l[1] = cpuMs() - c1;
                if (!gitFirst) g = plainAdd(repo, i);
                if (i > 0) {  // the first of each warms the JIT and the file cache
                    plain.add(g[0] / 1e6);
                    lathe.add(l[0] / 1e6);
                    plainCpu.add((double) g[1]);
                    latheCpu.add((double) l[1]);
                    overhead.add((l[0] - g[0]) / 1e6);
                    overheadCpu.add((double) (l[1] - g[1]));
                }
                worktrees.end(repo, tree.name());
                git(repo, "worktree", "remove", "--force", repo.resolve("plain" + i).toString());
            }
            double l = median(lathe);
            double g = median(plain);
            System.out.println(String.format(Locale.ROOT, "{\"figure\":\"worktree_create_ms\",\"files\":%d,\"iterations\":%d,\"lathe\":%.1f,"
                    + "\"git\":%.1f,\"ratio\":%.2f,\"overhead\":%.1f,\"git_min\":%.1f,\"git_max\":%.1f,\"lathe_cpu\":%.0f,\"git_cpu\":%.0f,"
                    + "\"overhead_cpu\":%.0f,\"load\":%.2f}", files, iterations, l, g, l / g, median(overhead), min(plain), max(plain),
                    median(latheCpu), median(plainCpu), median(overheadCpu), loadAverage()));
        } finally {
            try (Stream<Path> all = Files.walk(repo)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** A plain {@code git worktree add} of the tree: {nanoseconds, CPU milliseconds of git and what it started}. */
    private static long[] plainAdd(Path repo, int i) throws IOException, InterruptedException {
        long c0 = cpuMs();
        long t0 = System.nanoTime();
        git(repo, "worktree", "add", "--quiet", "-b", "plain" + i, repo.resolve("plain" + i).toString(), "HEAD");
        return new long[] {System.nanoTime() - t0, cpuMs() - c0};
    }

    /** CPU time of this process and of the children it waited for (git, and what git waited for). */
    private static long cpuMs() {
        return Cpu.ofProcess(ProcessHandle.current().pid()).total().toMillis();
    }

    /** The machine's one-minute load average, to label the wall-clock figures with. */
    private static double loadAverage() throws IOException {
        return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    }

    private static double min(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).min().orElse(0);
    }

    private static double max(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static void git(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) throw new IllegalStateException("git " + String.join(" ", args) + ": " + out);
    }
}
