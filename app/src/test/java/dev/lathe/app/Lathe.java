package dev.lathe.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the packaged {@code lathe.jar} as a user would, in its own process, with every XDG folder inside one temp
 * folder so runs are isolated from each other and from the machine's real Lathe.
 */
final class Lathe {
    record Result(int exit, String stdout, String stderr) {}

    private final Path home;
    private final Map<String, String> env = new HashMap<>();
    private final List<String> jvmFlags = new ArrayList<>();

    Lathe(Path home, String configJson) {
        this.home = home;
        env.put("HOME", home.toString());
        env.put("XDG_DATA_HOME", home.resolve("data").toString());
        env.put("XDG_STATE_HOME", home.resolve("state").toString());
        env.put("XDG_CONFIG_HOME", home.resolve("config").toString());
        env.put("XDG_CACHE_HOME", home.resolve("cache").toString());
        env.put("LATHE_CONFIG_CONTENT", configJson);
        // tests never reach the network: no catalog download from models.dev
        env.put("LATHE_DISABLE_MODELS_FETCH", "1");
        // `lathe run` as a CI job runs it (DESIGN §3): in process, no daemon to start, share or leave behind. The
        // environment is cleared for the child, so this holds whether or not the suite itself runs with CI set;
        // tests of the default, daemon-first path call daemonFirst() and stop the daemon they start (RunDaemonIT)
        env.put("CI", "1");
    }

    /** {@code lathe run} as on a developer's machine: it uses the daemon of this home and starts one when none runs. */
    Lathe daemonFirst() {
        env.remove("CI");
        return this;
    }

    static String providerConfig(String protocol, String baseUrl, String apiKey) {
        return "{\"model\": \"fake/fake-model\", \"provider\": {\"fake\": {\"protocol\": \"" + protocol + "\", \"baseUrl\": \"" + baseUrl
                + "\", \"apiKey\": \"" + apiKey + "\", \"models\": {\"fake-model\": {\"context\": 100000, \"output\": 4096}}}}}";
    }

    /** Adds a variable to the child's environment ({@code CI} is set unless {@link #daemonFirst}). */
    Lathe withEnv(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** Takes a variable out of the child's environment. */
    Lathe withoutEnv(String name) {
        env.remove(name);
        return this;
    }

    /** Adds JVM options (an AOT cache, a pre-extracted native library) to every process started from now on. */
    Lathe withJvmFlags(List<String> flags) {
        jvmFlags.addAll(flags);
        return this;
    }

    Path home() { return home; }

    Path database() { return home.resolve("data/lathe/lathe.db"); }

    Path serverJson() { return home.resolve("state/lathe/server.json"); }

    ProcessBuilder command(String... args) {
        // SIGINT as a terminal gives it: a suite started as a background job of a non-interactive shell (a CI runner)
        // has it ignored, which every child inherits, and the Ctrl-C tests would test nothing (env execs: same pid)
        List<String> cmd = new ArrayList<>(List.of("env", "--default-signal=INT", System.getProperty("lathe.java", "java"),
                "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC"));
        cmd.addAll(LauncherFlags.of(List.of(args), env));
        cmd.addAll(jvmFlags);
        // a test that chose its own cache (or none: the AOT tests record one) keeps its choice
        if (jvmFlags.stream().noneMatch(f -> f.startsWith("-XX:AOT"))) cmd.addAll(LauncherCache.flags(List.of(args), env));
        // the terminal UI's terminal provider as bin/lathe gives it (decision 351), its library beside the jar
        cmd.addAll(ServeFlags.terminalProvider(ServeFlags.jar().resolveSibling("native")));
        cmd.addAll(List.of("-jar", System.getProperty("lathe.jar", "target/lathe.jar")));
        cmd.addAll(List.of(args));
        var pb = new ProcessBuilder(cmd);
        pb.environment().clear();
        pb.environment().put("PATH", System.getenv("PATH"));
        pb.environment().putAll(env);
        return pb;
    }

    Result run(String... args) throws IOException, InterruptedException {
        return runWithInput("", args);
    }

    /** Runs with {@code input} on standard input (a pipe, as in {@code echo KEY | lathe auth login openai}). */
    Result runWithInput(String input, String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile(home, "out", ".txt");
        Path err = Files.createTempFile(home, "err", ".txt");
        Process p = command(args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("lathe did not finish: " + Files.readString(err));
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    /** A {@code lathe} process left running, its standard input a pipe, its output in files. */
    record Started(Process process, Path out, Path err) {
        String stdout() throws IOException { return Files.readString(out, StandardCharsets.UTF_8); }

        String stderr() throws IOException { return Files.readString(err, StandardCharsets.UTF_8); }

        /** Writes one line to its standard input. */
        Started type(String line) throws IOException {
            process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().flush();
            return this;
        }

        /** Closes its standard input (Ctrl-D). */
        Started endInput() throws IOException {
            process.getOutputStream().close();
            return this;
        }

        int awaitExit() throws InterruptedException, IOException {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("lathe did not exit: " + stderr());
            }
            return process.exitValue();
        }
    }

    /** Starts {@code lathe args...} in {@code workDir} without waiting for it. */
    Started start(Path workDir, String... args) throws IOException {
        Path out = Files.createTempFile(home, "out", ".txt");
        Path err = Files.createTempFile(home, "err", ".txt");
        Process p = command(args).directory(workDir.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        return new Started(p, out, err);
    }

    /** Runs {@code lathe args...} in {@code workDir} with {@code input} on standard input, waiting for it. */
    Result runIn(Path workDir, String input, String... args) throws IOException, InterruptedException {
        var started = start(workDir, args);
        started.process().getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        started.endInput();
        int exit = started.awaitExit();
        return new Result(exit, started.stdout(), started.stderr());
    }

    Path serverLog() { return home.resolve("state/lathe/server.log"); }

    /** The live daemon of this home, if any. */
    java.util.Optional<dev.lathe.client.ServerEndpoint> server() {
        return dev.lathe.client.ServerDiscovery.find(serverJson(), java.time.Duration.ofSeconds(2));
    }

    /** {@code lathe stop}, for finally blocks: never throws, and kills what it cannot stop. */
    void stopDaemon() {
        var pid = dev.lathe.client.ServerDiscovery.read(serverJson()).map(dev.lathe.client.ServerEndpoint::pid);
        try {
            run("stop");
        } catch (IOException | InterruptedException | AssertionError e) {
            // fall through to the kill below
        }
        pid.flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive).ifPresent(ProcessHandle::destroyForcibly);
    }
}
