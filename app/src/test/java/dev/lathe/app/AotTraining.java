package dev.lathe.app;

import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.TempWorkspace;
import dev.lathe.testkit.Turn;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Builds the JDK AOT caches in the package phase, each recorded with {@code -XX:AOTCacheOutput} from one realistic
 * {@code lathe run} (config, a streamed answer with tool calls, read/edit/bash/grep) against the FakeLlm:
 * <ul>
 *   <li>{@code lathe.aot}: the run in process ({@code --standalone}: SQLite, the core, the turn loop);</li>
 *   <li>{@code lathe-client.aot}: the run as a client of a {@code lathe serve} running for the same home, which is what
 *   {@code lathe run} is while the user's server runs. {@code bin/lathe} picks it then: the in-process cache would
 *   preload ~4,500 classes a client never uses and lacks the client's own (A/B: first request −50 ms).</li>

 *   <li>{@code lathe-serve.aot}: that {@code lathe serve}, recorded while it answers the client's run: its HTTP server
 *   and event stream classes besides the core's, which the run's cache lacks (server start −45 ms, decision 57).</li>
 *   <li>{@code lathe-tui.aot}: the terminal UI on that server ({@link TuiAotTraining}).</li>
 * </ul>
 * Lives in the test sources so nothing of it ships in the jar. A failed training run only costs start-up time: it
 * never fails the build.
 *
 * <p>Arguments: the java binary, the jar, the in-process cache file to write (the others go beside it); or
 * {@code --launcher BIN/LATHE CACHE}: a release's launcher, which records each cache with its own runtime and options
 * (bin/release). There a cache that is not made fails the training (exit 1): a release must not ship without one.
 */
public final class AotTraining {
    private static final boolean WINDOWS = System.getProperty("os.name", "").startsWith("Windows");
    private static final List<String> ONE_SHOT_FLAGS = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED");
    /**
     * The client's cache holds no method profiles (decision 533): they serve only C2, which no Lathe JVM runs, and the
     * JDK maps the whole cache at start (`lathe run`'s peak RSS −1 MiB, its CPU no worse). Nor does the in-process one
     * (decision 548): with them, a one-shot JVM replays the training's profiles on a thread of its own and C1's policy
     * looks each compiled method up in them, work no C1-only JVM uses.
     */
    static final List<String> NO_PROFILES = List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:-AOTRecordTraining");
    /** The client's reflection as bin/lathe runs it (decision 540): recorded the way it runs. */
    static final List<String> CLIENT = Stream.concat(NO_PROFILES.stream(), Stream.of("-Djdk.reflect.useNativeAccessorOnly=true")).toList();

    private AotTraining() {}

    public static void main(String[] args) throws Exception {
        boolean release = args[0].equals("--launcher");
        AotLaunch launch = release ? new AotLaunch.Release(Path.of(args[1])) : new AotLaunch.Direct(args[0], Path.of(args[1]));
        Path cache = Path.of(args[2]);
        train(launch, cache);
        if (release) {
            // Windows has no pseudo-terminal to train the terminal UI in: its release starts the UI without a cache
            List<String> made = WINDOWS ? List.of("lathe.aot", "lathe-client.aot", "lathe-serve.aot")
                    : List.of("lathe.aot", "lathe-client.aot", "lathe-serve.aot", "lathe-tui.aot");
            for (String name : made) {
                if (!Files.isRegularFile(cache.resolveSibling(name))) {
                    System.err.println("AOT training: " + name + " was not made");
                    System.exit(1);
                }
            }
        }
    }

    private static void train(AotLaunch launch, Path cache) throws Exception {
        Path clientCache = cache.resolveSibling("lathe-client.aot");
        Path serveCache = cache.resolveSibling("lathe-serve.aot");
        Path tuiCache = cache.resolveSibling("lathe-tui.aot");
        Files.deleteIfExists(cache);
        Files.deleteIfExists(tuiCache);
        Files.deleteIfExists(clientCache);
        Files.deleteIfExists(serveCache);
        Path home = Files.createTempDirectory("lathe-aot-");
        try (var llm = FakeLlm.start(); var inProcess = TempWorkspace.create(); var asClient = TempWorkspace.create();
                var inTerminal = TempWorkspace.create()) {
            var env = environment(home, llm);
            enqueueTask(llm);
            if (!train(launch, cache, inProcess, env, home.resolve("training.log"), List.of("--standalone"), NO_PROFILES)) return;
            var server = new ProcessBuilder(launch.command(serveCache, ONE_SHOT_FLAGS, List.of("serve")))
                    .redirectErrorStream(true).redirectOutput(home.resolve("serve.log").toFile());
            server.environment().putAll(env);
            server.environment().putAll(launch.environment(serveCache));
            Process serving = server.start();
            try {
                if (!awaitServerJson(home.resolve("state/lathe/server.json"), serving)) {
                    System.err.println("AOT training: lathe serve did not start; lathe run as a client starts without its cache:\n"
                            + Files.readString(home.resolve("serve.log")));
                    return;
                }
                enqueueTask(llm);
                train(launch, clientCache, asClient, env, home.resolve("client-training.log"), List.of(), CLIENT);
                if (!WINDOWS) TuiAotTraining.train(launch, tuiCache, inTerminal, env, llm, home.resolve("tui-training.log"));
            } finally {
                // the serve cache is written as the server exits (a second JVM assembles it), which takes a while
                serving.destroy();
                if (!serving.waitFor(120, TimeUnit.SECONDS)) serving.destroyForcibly();
            }
        } finally {
            stopDaemonLeftIn(home);
            try (var files = Files.walk(home)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static Map<String, String> environment(Path home, FakeLlm llm) {
        return Map.of("HOME", home.toString(), "XDG_DATA_HOME", home.resolve("data").toString(), "XDG_STATE_HOME", home.resolve("state").toString(),
                "XDG_CONFIG_HOME", home.resolve("config").toString(), "XDG_CACHE_HOME", home.resolve("cache").toString(),
                "LATHE_DISABLE_MODELS_FETCH", "1", "LATHE_CONFIG_CONTENT", Lathe.providerConfig("anthropic-messages", llm.baseUrl(), "sk-training"),
                // the terminal UI's daily "new version" check must not reach the release site from a build
                "LATHE_DOWNLOAD_URL", "http://127.0.0.1:9");
    }

    /**
     * The turn each training run asks for: a read and a grep, an edit, a bash command, then an answer. The edit has a
     * step of its own, as in the bench task: an edit-only step's snapshot is written without git (decision 61).
     */
    private static void enqueueTask(FakeLlm llm) {
        llm.enqueue(Turn.of(Step.text("Reading."), Step.toolCall("c1", "read", "{\"path\":\"a.txt\"}"),
                Step.toolCall("c2", "grep", "{\"pattern\":\"beta\"}")));
        llm.enqueue(Turn.of(Step.toolCall("c3", "edit", "{\"path\":\"a.txt\",\"oldString\":\"alpha\",\"newString\":\"gamma\"}")));
        llm.enqueue(Turn.of(Step.toolCall("c4", "bash", "{\"command\":\"cat a.txt\"}")));
        llm.enqueue(Turn.of(Step.text("Done.")));
    }

    /** One {@code lathe run} in {@code ws} recording {@code cache}; false (and the log printed) when it failed. */
    private static boolean train(AotLaunch launch, Path cache, TempWorkspace ws, Map<String, String> env, Path log, List<String> runFlags,
            List<String> recordFlags) throws IOException, InterruptedException {
        ws.write("a.txt", "alpha\n").write("src/b.txt", "beta\n").initGitRepo();
        List<String> args = new ArrayList<>(List.of("run", "--dir", ws.path().toString(), "--allow-all"));
        args.addAll(runFlags);
        args.add("train");
        var pb = new ProcessBuilder(launch.command(cache, Stream.concat(ONE_SHOT_FLAGS.stream(), recordFlags.stream()).toList(), args)).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File(WINDOWS ? "NUL" : "/dev/null")));
        pb.environment().putAll(env);
        pb.environment().putAll(launch.environment(cache));
        // the client run must find the serve started for it, also when the build itself runs with CI set (the
        // in-process run says --standalone, which a set CI would only repeat)
        pb.environment().remove("CI");
        Process p = pb.start();
        if (p.waitFor(5, TimeUnit.MINUTES) && p.exitValue() == 0) return true;
        p.destroyForcibly();
        System.err.println("AOT training run failed; lathe will start without " + cache.getFileName() + ":\n" + Files.readString(log));
        return false;
    }

    /**
     * A daemon a training run started itself (the terminal UI starts one when it finds no server it can use) would
     * idle for half an hour after the training's home is gone: stopped by the pid its server.json names.
     */
    private static void stopDaemonLeftIn(Path home) {
        try {
            Path serverJson = home.resolve("state/lathe/server.json");
            if (!Files.exists(serverJson)) return;
            var pid = java.util.regex.Pattern.compile("\"pid\"\\s*:\\s*(\\d+)").matcher(Files.readString(serverJson));
            if (!pid.find()) return;
            ProcessHandle.of(Long.parseLong(pid.group(1))).filter(p -> p.info().commandLine().orElse("").contains(" serve")).ifPresent(p -> {
                p.destroy();
                p.onExit().completeOnTimeout(p, 30, TimeUnit.SECONDS).join();
            });
        } catch (IOException | RuntimeException e) {
            // nothing to stop, or it cannot be: the training's result stands either way
        }
    }

    private static boolean awaitServerJson(Path serverJson, Process server) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (Files.exists(serverJson)) return true;
            if (!server.isAlive()) return false;
            Thread.sleep(50);
        }
        return false;
    }
}
