package dev.lathe.bench;

import dev.lathe.tools.Permissions;
import dev.lathe.tools.ToolContext;
import dev.lathe.tools.ToolExecutor;
import dev.lathe.tools.ToolRegistry;
import dev.lathe.tools.ToolResult;
import dev.lathe.tools.builtin.GrepAccess;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * DESIGN §16's "grep over a 100k-file tree ≤ 1.5 × ripgrep". Writes (or reuses) a {@link SourceTree}, then times, in
 * turns and with a warm file cache: Lathe's {@code grep} tool called in-process through {@link ToolExecutor} as the
 * agent loop calls it (ripgrep underneath when installed), {@code rg} run directly with the same pattern and ignore
 * flags, and the tool on its pure-Java search (what users without ripgrep get). Every run must find the tree's known
 * number of matching lines, or the benchmark fails rather than compare unequal work.
 *
 * <p>stdout gets one JSON line per figure, for {@code bench/run}; notes go to stderr. Options: {@code --files N}
 * (100000), {@code --dir PATH} (reuse or fill a folder instead of a temporary one), {@code --iterations K} (5),
 * {@code --warmup W} (1), {@code --pattern REGEX}, {@code --no-java}.
 * {@snippet lang=sh :
 * java -cp bench/target/benchmarks.jar dev.lathe.bench.GrepBench --files 2000 --iterations 1
 * }
 */
public final class GrepBench {
    /** What to run; {@code dir} empty means a temporary folder deleted afterwards. */
    record Options(int files, Optional<Path> dir, int iterations, int warmup, String pattern, Fallback fallback) {
        static Options defaults() { return new Options(100_000, Optional.empty(), 5, 1, SourceTree.NEEDLE, Fallback.MEASURED); }
    }

    /** Whether the Java fallback is timed too (it is slow on big trees). */
    enum Fallback { MEASURED, SKIPPED }

    /** Medians in milliseconds; empty when that path was not run (no {@code rg}, {@code --no-java}). */
    record Figure(String name, int files, int iterations, String lathePath, double latheMs, Optional<Double> ripgrepMs,
            Optional<Double> javaMs, long matches) {
        Optional<Double> ratio() { return ripgrepMs.map(rg -> latheMs / rg); }

        Optional<Double> javaRatio() { return ripgrepMs.flatMap(rg -> javaMs.map(j -> j / rg)); }

        String json() {
            var fields = new LinkedHashMap<String, String>();
            fields.put("figure", '"' + name + '"');
            fields.put("files", Integer.toString(files));
            fields.put("iterations", Integer.toString(iterations));
            fields.put("lathe", number(Optional.of(latheMs)));
            fields.put("ripgrep", number(ripgrepMs));
            fields.put("ratio", number(ratio()));
            fields.put("java_fallback", number(javaMs));
            fields.put("java_ratio", number(javaRatio()));
            fields.put("matches", Long.toString(matches));
            fields.put("lathe_search", '"' + lathePath + '"');
            var sb = new StringBuilder("{");
            fields.forEach((k, v) -> sb.append(sb.length() > 1 ? "," : "").append('"').append(k).append("\":").append(v));
            return sb.append('}').toString();
        }

        private static String number(Optional<Double> v) { return v.map(d -> String.format(Locale.ROOT, "%.2f", d)).orElse("null"); }
    }

    private GrepBench() {}

    public static void main(String[] argv) throws Exception {
        Options options;
        try {
            options = parse(argv);
        } catch (IllegalArgumentException e) {
            System.err.println("GrepBench: " + e.getMessage());
            System.err.println("usage: GrepBench [--files N] [--dir PATH] [--iterations K] [--warmup W] [--pattern REGEX] [--no-java]");
            System.exit(2);
            return;
        }
        System.out.println(run(options, System.err).json());
    }

    static Options parse(String[] argv) {
        Options o = Options.defaults();
        for (int i = 0; i < argv.length; i++) {
            String flag = argv[i];
            if (flag.equals("--no-java")) {
                o = new Options(o.files(), o.dir(), o.iterations(), o.warmup(), o.pattern(), Fallback.SKIPPED);
                continue;
            }
            if (i + 1 >= argv.length) throw new IllegalArgumentException("missing value after " + flag);
            String v = argv[++i];
            o = switch (flag) {
                case "--files" -> new Options(count(flag, v, 1), o.dir(), o.iterations(), o.warmup(), o.pattern(), o.fallback());
                case "--dir" -> new Options(o.files(), Optional.of(Path.of(v)), o.iterations(), o.warmup(), o.pattern(), o.fallback());
                case "--iterations" -> new Options(o.files(), o.dir(), count(flag, v, 1), o.warmup(), o.pattern(), o.fallback());
                case "--warmup" -> new Options(o.files(), o.dir(), o.iterations(), count(flag, v, 0), o.pattern(), o.fallback());
                case "--pattern" -> new Options(o.files(), o.dir(), o.iterations(), o.warmup(), v, o.fallback());
                default -> throw new IllegalArgumentException("unknown option " + flag);
            };
        }
        return o;
    }

    private static int count(String flag, String v, int min) {
        try {
            int n = Integer.parseInt(v);
            if (n >= min) return n;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(flag + " needs a whole number of at least " + min + ", not " + v);
    }

    /** Writes or reuses the tree, times the paths in turns and returns the medians; notes go to {@code notes}. */
    static Figure run(Options o, PrintStream notes) throws IOException {
        Path root = o.dir().isPresent() ? Files.createDirectories(o.dir().get()).toRealPath() : Files.createTempDirectory("grepbench-").toRealPath();
        Path outputDir = Files.createTempDirectory("grepbench-out-");
        try {
            long t0 = System.nanoTime();
            SourceTree.Tree tree = SourceTree.at(root, o.files());
            notes.printf(Locale.ROOT, "tree: %d files in %s, %d matching lines expected (%.1f s to write or find)%n", tree.files(), tree.root(),
                    tree.expected(), (System.nanoTime() - t0) / 1e9);
            if (!o.pattern().equals(SourceTree.NEEDLE)) notes.println("custom pattern: match counts are compared between paths only");

            var ctx = ToolContext.builder(tree.root(), Permissions.ALLOW_ALL).session("ses_grepbench").call("call_grep").output(outputDir).build();
            String argsJson = "{\"pattern\":" + jsonString(o.pattern()) + "}";
            var lathe = new ToolExecutor(ToolRegistry.builtins());
            var java = new ToolExecutor(ToolRegistry.of(List.of(GrepAccess.javaFallback())));

            Map<String, LongSupplier> paths = new LinkedHashMap<>();
            paths.put("lathe", () -> matches(lathe.execute("grep", argsJson, ctx)));
            Optional<Path> rg = ripgrep();
            rg.ifPresentOrElse(bin -> paths.put("ripgrep", () -> ripgrepDirect(bin, o.pattern(), tree.root())),
                    () -> notes.println("rg is not on the PATH: ripgrep not timed, Lathe's grep runs its Java search"));
            if (o.fallback() == Fallback.MEASURED) paths.put("java", () -> matches(java.execute("grep", argsJson, ctx)));

            Map<String, List<Double>> samples = new LinkedHashMap<>();
            paths.keySet().forEach(k -> samples.put(k, new ArrayList<>()));
            long agreed = -1;
            List<String> order = new ArrayList<>(paths.keySet());
            for (int i = 0; i < o.warmup() + o.iterations(); i++) {
                boolean warm = i < o.warmup();
                var line = new StringBuilder(warm ? "warm-up" : "run " + (i - o.warmup() + 1)).append(':');
                for (String name : order) {
                    long start = System.nanoTime();
                    long found = paths.get(name).getAsLong();
                    double ms = (System.nanoTime() - start) / 1e6;
                    agreed = agree(agreed, found, name, o.pattern().equals(SourceTree.NEEDLE) ? tree.expected() : -1);
                    if (!warm) samples.get(name).add(ms);
                    line.append(String.format(Locale.ROOT, " %s %.1f ms", name, ms));
                }
                notes.println(line);
                order.addLast(order.removeFirst()); // take turns, so neither path always runs right after the other
            }
            if (agreed >= 10_000) notes.println("note: 10,000+ matches; the tool stops collecting there, so counts were compared capped");
            var figure = new Figure(figureName(o.files()), o.files(), o.iterations(), GrepAccess.usesRipgrep() ? "ripgrep" : "java",
                    median(samples.get("lathe")), Optional.ofNullable(samples.get("ripgrep")).map(GrepBench::median),
                    Optional.ofNullable(samples.get("java")).map(GrepBench::median), agreed);
            figure.ratio().ifPresent(r -> notes.printf(Locale.ROOT, "lathe / ripgrep = %.2f (target ≤ 1.5)%n", r));
            return figure;
        } finally {
            deleteTree(outputDir);
            if (o.dir().isEmpty()) deleteTree(root);
        }
    }

    /** The count every path must find: the tree's known one when the pattern is the needle, else the first path's. */
    private static long agree(long agreed, long found, String name, long expected) {
        long want = expected >= 0 ? Math.min(expected, 10_000) : agreed;
        if (want >= 0 && found != want) throw new IllegalStateException(name + " found " + found + " matching lines, expected " + want);
        return found;
    }

    private static long matches(ToolResult result) { return Long.parseLong(result.metadata().getOrDefault("matches", "0")); }

    /** {@code rg} as a user would run it with the tool's ignore semantics; its output read through a pipe and counted. */
    private static long ripgrepDirect(Path rg, String pattern, Path root) {
        var cmd = List.of(rg.toString(), "--hidden", "--no-require-git", "--no-messages", "--glob", "!.git", "--glob", "!node_modules",
                "--line-number", "--no-heading", "--color", "never", "--regexp", pattern, "--", root.toString());
        try {
            Process p = new ProcessBuilder(cmd).directory(root.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            p.getOutputStream().close();
            long lines = 0;
            try (InputStream in = p.getInputStream()) {
                byte[] buf = new byte[64 * 1024];
                for (int n; (n = in.read(buf)) > 0; ) for (int k = 0; k < n; k++) if (buf[k] == '\n') lines++;
            }
            int exit = p.waitFor();
            if (exit > 1) throw new IllegalStateException("rg exited " + exit);
            return Math.min(lines, 10_000);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run rg: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    static Optional<Path> ripgrep() {
        String path = System.getenv("PATH");
        if (path == null) return Optional.empty();
        return Stream.of(path.split(File.pathSeparator)).filter(d -> !d.isEmpty()).map(d -> Path.of(d, "rg")).filter(Files::isExecutable).findFirst();
    }

    private static String figureName(int files) {
        String size = files % 1000 == 0 ? files / 1000 + "k" : Integer.toString(files);
        return "grep_" + size + "_ms";
    }

    static double median(List<Double> xs) {
        List<Double> s = xs.stream().sorted().toList();
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    private static String jsonString(String s) {
        var sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        return sb.append('"').toString();
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) return;
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
