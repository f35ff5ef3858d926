package dev.lathe.bench;

import dev.lathe.client.ServerDiscovery;
import dev.lathe.client.ServerEndpoint;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;

/**
 * One {@code lathe serve} as its own java process, started as {@code bin/lathe serve} starts it (the same JVM options,
 * the SQLite library extracted beside it, the jar's AOT cache when it is fresh), with every XDG folder and
 * {@code HOME} inside {@code home} and an environment holding nothing of the caller's but {@code PATH}: no provider
 * key or config of the machine reaches it. Its output goes to {@code home/serve.log}.
 */
final class ServeProcess implements AutoCloseable {
    /** How the server's code is found: the packaged jar, or the class path of this JVM (tests, where the jar may be stale). */
    sealed interface Code {
        record Jar(Path jar) implements Code {}

        record ClassPath(String classPath) implements Code {}
    }

    private final Process process;
    private final Path home;
    private final ServerEndpoint endpoint;

    private ServeProcess(Process process, Path home, ServerEndpoint endpoint) {
        this.process = process;
        this.home = home;
        this.endpoint = endpoint;
    }

    /** Starts the server with {@code configJson} as its global {@code lathe.json} and waits until it answers {@code /health}. */
    static ServeProcess start(Path java, Code code, List<String> extraJvmFlags, Path home, String configJson, Duration timeout)
            throws IOException, InterruptedException {
        Path config = home.resolve("config/lathe/lathe.json");
        Files.createDirectories(config.getParent());
        Files.writeString(config, configJson, StandardCharsets.UTF_8);
        List<String> command = new ArrayList<>(List.of(java.toString()));
        command.addAll(jvmFlags(code, home));
        command.addAll(extraJvmFlags);
        switch (code) {
            case Code.Jar j -> command.addAll(List.of("-jar", j.jar().toString()));
            case Code.ClassPath c -> command.addAll(List.of("-cp", c.classPath(), "dev.lathe.app.Main"));
        }
        command.addAll(List.of("serve", "--port", "0"));
        var pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(home.resolve("serve.log").toFile());
        Map<String, String> env = pb.environment();
        String path = env.getOrDefault("PATH", "/usr/bin:/bin");
        env.clear();
        env.put("PATH", path);
        env.put("HOME", home.toString());
        env.put("XDG_DATA_HOME", home.resolve("data").toString());
        env.put("XDG_STATE_HOME", home.resolve("state").toString());
        env.put("XDG_CONFIG_HOME", home.resolve("config").toString());
        env.put("XDG_CACHE_HOME", home.resolve("cache").toString());
        // nothing but loopback: no model catalog download from models.dev
        env.put("LATHE_DISABLE_MODELS_FETCH", "1");
        Process process = pb.start();
        process.getOutputStream().close();
        Path serverJson = home.resolve("state/lathe/server.json");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            var found = ServerDiscovery.find(serverJson, Duration.ofSeconds(2));
            if (found.isPresent() && found.get().pid() == process.pid()) return new ServeProcess(process, home, found.get());
            if (!process.isAlive()) throw new IllegalStateException("lathe serve exited with " + process.exitValue() + ":\n" + logTail(home));
            Thread.sleep(20);
        }
        process.destroyForcibly();
        throw new IllegalStateException("lathe serve was not ready within " + timeout.toSeconds() + " s:\n" + logTail(home));
    }

    /**
     * The options {@code bin/lathe} gives {@code serve} (C1 only, decision 56; its own AOT cache, decision 57; lower
     * compile thresholds, decision 62); keep the two in step.
     */
    private static List<String> jvmFlags(Code code, Path home) {
        List<String> flags = new ArrayList<>(List.of("-XX:+UseSerialGC", "-XX:-UsePerfData", "--enable-native-access=ALL-UNNAMED",
                "-XX:TieredStopAtLevel=1", "-XX:CompileThresholdScaling=0.3", "-Xms16m", "-XX:TrimNativeHeapInterval=5000"));
        if (code instanceof Code.Jar(Path jar)) {
            sqliteLibrary(jar, home.resolve("native")).ifPresent(dir ->
                    flags.addAll(List.of("-Dorg.sqlite.lib.path=" + dir, "-Dorg.sqlite.lib.name=libsqlitejdbc.so")));
            Path aot = jar.resolveSibling("lathe-serve.aot");
            if (isNewer(aot, jar)) flags.addAll(List.of("-XX:AOTCache=" + aot, "-Xlog:aot=off", "-Xlog:cds=off"));
        }
        return flags;
    }

    private static boolean isNewer(Path file, Path than) {
        try {
            return Files.isRegularFile(file) && Files.getLastModifiedTime(file).compareTo(Files.getLastModifiedTime(than)) > 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static Optional<Path> sqliteLibrary(Path jar, Path dir) {
        String arch = switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64" -> "aarch64";
            default -> "";
        };
        if (arch.isEmpty() || !System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux")) return Optional.empty();
        try (var zip = new ZipFile(jar.toFile())) {
            var entry = zip.getEntry("org/sqlite/native/Linux/" + arch + "/libsqlitejdbc.so");
            if (entry == null) return Optional.empty();
            Files.createDirectories(dir);
            try (InputStream in = zip.getInputStream(entry)) {
                Files.copy(in, dir.resolve("libsqlitejdbc.so"), StandardCopyOption.REPLACE_EXISTING);
            }
            return Optional.of(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract SQLite's native library from " + jar, e);
        }
    }

    ServerEndpoint endpoint() { return endpoint; }

    long pid() { return process.pid(); }

    /** The kernel's view of the process's memory, from {@code /proc/PID/status}. */
    record Memory(long rssKib, long hwmKib, long rssAnonKib, long rssFileKib, int threads) {
        static double mib(long kib) { return kib / 1024.0; }
    }

    Memory memory() {
        try {
            long rss = 0, hwm = 0, anon = 0, file = 0;
            int threads = 0;
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                String[] f = line.split("\\s+");
                switch (f[0]) {
                    case "VmRSS:" -> rss = Long.parseLong(f[1]);
                    case "VmHWM:" -> hwm = Long.parseLong(f[1]);
                    case "RssAnon:" -> anon = Long.parseLong(f[1]);
                    case "RssFile:" -> file = Long.parseLong(f[1]);
                    case "Threads:" -> threads = Integer.parseInt(f[1]);
                    default -> { }
                }
            }
            if (rss == 0) throw new IllegalStateException("no VmRSS for pid " + process.pid() + " (not Linux, or the server died)");
            return new Memory(rss, hwm, anon, file, threads);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/" + process.pid() + "/status", e);
        }
    }

    /**
     * CPU time the process and its children that ended (the git processes of snapshots) have used so far, user +
     * system, from {@code /proc/PID/stat}.
     */
    Cpu.OfProcess cpu() {
        return Cpu.ofProcess(process.pid());
    }

    /** Runs {@code jcmd PID what...} from the given JDK and returns its output (for diagnosis; empty on failure). */
    String jcmd(Path java, String... what) {
        Path jcmd = java.resolveSibling("jcmd");
        List<String> command = new ArrayList<>(List.of(jcmd.toString(), Long.toString(process.pid())));
        command.addAll(List.of(what));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(60, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            return "jcmd failed: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    static String logTail(Path home) {
        try {
            List<String> lines = Files.readAllLines(home.resolve("serve.log"), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no serve.log)";
        }
    }

    /** SIGTERM, then SIGKILL if it has not stopped within ten seconds (at once when interrupted). */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    Path home() { return home; }
}
